package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestRedacted(t *testing.T) {
	yml := strings.Replace(validYAML, "servicejourney:\n", "servicejourney:\n  ruleAllowlist: [A]\n  rules: {GETUSERS: X}\n", 1)
	yml += "actions:\n  password: actions-password-value\n"
	c := mustParse(t, yml)
	r := c.Redacted()
	if r.Genesys.ClientSecret != "******" || r.ServiceJourney.SystemPassword != "******" {
		t.Fatalf("secrets not redacted: %+v / %+v", r.Genesys, r.ServiceJourney)
	}
	dump := fmt.Sprintf("%+v", *r)
	for _, secret := range []string{"cc-secret-value", "sys-password-value", "actions-password-value"} {
		if strings.Contains(dump, secret) {
			t.Fatalf("%q in redacted dump", secret)
		}
	}
	// Every secret-tagged field is covered (no hand-kept list).
	for _, f := range fields {
		if f.secret {
			if got, _ := r.Get(f.path); got != "******" {
				t.Errorf("%s = %q in Redacted()", f.path, got)
			}
		}
	}
	// The original is untouched and the copy shares nothing mutable.
	if c.Genesys.ClientSecret != "cc-secret-value" {
		t.Fatal("Redacted changed the original")
	}
	r.ServiceJourney.RuleAllowlist[0] = "changed"
	r.ServiceJourney.Rules["GETUSERS"] = "changed"
	if c.ServiceJourney.RuleAllowlist[0] != "A" || c.ServiceJourney.Rules["GETUSERS"] != "X" {
		t.Fatal("Redacted shares slices or maps with the original")
	}
	// Non-secret fields are kept.
	r.ServiceJourney.RuleAllowlist[0], r.ServiceJourney.Rules["GETUSERS"] = "A", "X"
	r.Genesys.ClientSecret, r.ServiceJourney.SystemPassword = c.Genesys.ClientSecret, c.ServiceJourney.SystemPassword
	r.Actions.Password = c.Actions.Password
	if !reflect.DeepEqual(r, c) {
		t.Fatalf("Redacted changed non-secret fields:\n%+v\n%+v", r, c)
	}
	// An unset secret stays visibly unset.
	if (&Config{}).Redacted().Genesys.ClientSecret != "" {
		t.Fatal("empty secret shown as set")
	}
}

func TestSecretsNeverInProblems(t *testing.T) {
	const secret = "Sup3r-S3cret-Value"
	env := []string{
		"DCM_GENESYS_CLIENTSECRET=" + secret,
		"clientSecret=other-" + secret,
		"DCM_SERVICEJOURNEY_SYSTEMPASSWORD=" + secret,
		"DCM_SystemPassword=different-" + secret,
		"DCM_GENESYS_CLIENTID=" + secret, // pasted into the wrong key
	}
	_, ps := Parse([]byte("genesys:\n  clientSecret: [\""+secret+"\"]\n"), env)
	if len(ps.List) == 0 {
		t.Fatal("expected problems")
	}
	if s := ps.String(); strings.Contains(s, secret) {
		t.Fatalf("secret in problems:\n%s", s)
	}
}
