package appbase

import (
	"strings"
	"testing"
	"time"
)

func TestOptionsValidation(t *testing.T) {
	_, err := New(Options{URL: "sj.example.com/x?y", Domain: "a/b", Rules: map[string]string{"getuser": "X", "FINDCASES": ""}, LoginMethod: "soap"})
	if err == nil {
		t.Fatal("New accepted bad options")
	}
	msg := err.Error()
	for _, want := range []string{
		"servicejourney.url", "servicejourney.domain", "servicejourney.systemUser", "servicejourney.systemPassword",
		`unknown operation "getuser"`, "servicejourney.rules.FINDCASES", "LoginMethod",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q:\n%s", want, msg)
		}
	}
}

func TestOptionsDefaultsAndRuleNames(t *testing.T) {
	c, err := New(Options{URL: "https://sj.example.com/", Domain: "DCM_Production.tenant1", User: "u", Password: "secret-pw",
		Rules: map[string]string{"findcases": "root_MY_FINDCASES"}})
	if err != nil {
		t.Fatal(err)
	}
	o := c.opts
	if o.URL != "https://sj.example.com" || o.Timeout != 20*time.Second || o.PageSize != 500 || o.MaxRetries != 2 || o.LoginMethod != "post" || o.Profile != ProfileConnector || o.IntegrationCode != DefaultIntegrationCode {
		t.Errorf("defaults not applied: %+v", o)
	}
	if got := c.RuleName("getusers"); got != "ROOT_GENESYS_GETUSERS" {
		t.Errorf("RuleName(getusers) = %q", got)
	}
	if got := c.RuleName(OpFindCases); got != "root_MY_FINDCASES" {
		t.Errorf("override: RuleName(FINDCASES) = %q", got)
	}
	if op := c.opFor("ROOT_my_findcases"); op != OpFindCases {
		t.Errorf("opFor = %q", op)
	}
	if len(Operations()) != 7 {
		t.Errorf("Operations() = %v", Operations())
	}
	c2, err := New(Options{URL: "http://h", Domain: "d", User: "u", Password: "p", MaxRetries: -1, IntegrationCode: "ROOT_X"})
	if err != nil {
		t.Fatal(err)
	}
	if c2.opts.MaxRetries != 0 || c2.RuleName("GETUSERS") != "ROOT_X_GETUSERS" {
		t.Errorf("MaxRetries=%d RuleName=%s", c2.opts.MaxRetries, c2.RuleName("GETUSERS"))
	}
}
