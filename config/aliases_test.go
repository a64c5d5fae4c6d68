package config

import (
	"fmt"
	"strings"
	"testing"
)

// aliasCases gives, for each old name, a value as the old install held it
// and the value the new key must end up with.
var aliasCases = []struct {
	name, value, key, want string
}{
	{"SJ_SERVER_ADDRESS", "https://sj2.example.com/", "servicejourney.url", "https://sj2.example.com"},
	{"SOLUTION_URL", "https://sj3.example.com", "servicejourney.url", "https://sj3.example.com"},
	{"DOMAIN_CODE", "UA103_Production.tenant62", "servicejourney.domain", "UA103_Production.tenant62"},
	{"DCM_BaseDomain", "DCM_Playground_Production.tenant1", "servicejourney.domain", "DCM_Playground_Production.tenant1"},
	{"DCM_TokenSystemDomain", "config.tenant12", "servicejourney.systemDomain", "config.tenant12"},
	{"DCM_SystemUser", "old.integration.user", "servicejourney.systemUser", "old.integration.user"},
	{"DCM_SystemPassword", "old-sys-password", "servicejourney.systemPassword", "old-sys-password"},
	{"INTEGRATION_CODE", "MY_GENESYS_INTEGRATION", "servicejourney.integrationCode", "MY_GENESYS_INTEGRATION"},
	{"GENESYS_CLOUD_ADDRESS", "https://apps.mypurecloud.de/", "genesys.environment", "mypurecloud.de"},
	{"PureCloud_ApiHost", "api.mypurecloud.com.au", "genesys.environment", "mypurecloud.com.au"},
	{"PureCloud_Region", "us_west_2", "genesys.environment", "usw2.pure.cloud"},
	{"clientId", "11111111-2222-4333-8444-555555555555", "genesys.clientId", "11111111-2222-4333-8444-555555555555"},
	{"clientSecret", "old-client-secret", "genesys.clientSecret", "old-client-secret"},
	{"CLIENT_ID", "66666666-7777-4888-9999-aaaaaaaaaaaa", "genesys.browserClientId", "66666666-7777-4888-9999-aaaaaaaaaaaa"},
	{"DCM_EndPoint", "https://cc.example.com/dcm-connect-service/", "server.publicURL", "https://cc.example.com"},
	{"REDIRECT_URI", "https://cc.example.com/dcm-connect-docs/", "server.publicURL", "https://cc.example.com"},
	{"GENESYS_INTEGRATION_URL", "https://cc.example.com/sj/dcm-connect-service/DCMServices.asmx/", "server.publicURL", "https://cc.example.com/sj"},
	{"WIZARD_URL", "https://cc.example.com/dcm-connect-docs/wizard/index.html?response_type=token&state=pcEnvironment=usw2.pure.cloud", "server.publicURL", "https://cc.example.com"},
}

func TestEveryAliasIsTested(t *testing.T) {
	tested := map[string]bool{}
	for _, c := range aliasCases {
		tested[c.name] = true
		a, ok := LookupAlias(c.name)
		if !ok || a.Key != c.key {
			t.Errorf("alias %s -> %q, want %s", c.name, a.Key, c.key)
		}
	}
	for _, a := range Aliases() {
		if !tested[a.Name] {
			t.Errorf("alias %s has no test case", a.Name)
		}
		if _, ok := fieldByPath[a.Key]; !ok {
			t.Errorf("alias %s points at unknown key %s", a.Name, a.Key)
		}
	}
}

// dropKey removes key's line from validYAML so the alias alone sets it.
func dropKey(t *testing.T, key string) string {
	t.Helper()
	last := key[strings.LastIndex(key, ".")+1:]
	if !strings.Contains(validYAML, " "+last+":") {
		return validYAML
	}
	return replaceLine(t, validYAML, last+":", "# "+last+" removed")
}

func TestAliasAsTopLevelYAMLKey(t *testing.T) {
	for _, tc := range aliasCases {
		t.Run(tc.name, func(t *testing.T) {
			yml := dropKey(t, tc.key) + fmt.Sprintf("%s: %q\n", tc.name, tc.value)
			c, ps := Parse([]byte(yml), nil)
			if err := ps.Err(); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.Get(tc.key); got != tc.want {
				t.Fatalf("%s = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestAliasAsEnvironmentVariable(t *testing.T) {
	for _, tc := range aliasCases {
		t.Run(tc.name, func(t *testing.T) {
			c, ps := Parse(nil, append(withEnvExcept(EnvName(tc.key)), tc.name+"="+tc.value))
			if err := ps.Err(); err != nil {
				t.Fatal(err)
			}
			if got, _ := c.Get(tc.key); got != tc.want {
				t.Fatalf("%s = %q, want %q", tc.key, got, tc.want)
			}
		})
	}
}

func TestAliasEnvNameIsExact(t *testing.T) {
	c, ps := Parse([]byte(validYAML), []string{"DCM_BASEDOMAIN=Other_Production.tenant3"})
	if c.ServiceJourney.Domain != "DCM_Production.tenant12" {
		t.Fatalf("a wrongly-cased old name must not apply; domain = %q", c.ServiceJourney.Domain)
	}
	p := onlyProblem(t, ps, "servicejourney.domain", true)
	if !strings.Contains(p.Message, "DCM_BASEDOMAIN") || !strings.Contains(p.Fix, "DCM_BaseDomain") {
		t.Fatalf("problem = %s", p)
	}
}

func TestAliasSecretFromFile(t *testing.T) {
	path := writeFile(t, "old-client-secret\n")
	c, ps := Parse(nil, append(withEnvExcept("DCM_GENESYS_CLIENTSECRET"), "clientSecret_FILE="+path))
	if err := ps.Err(); err != nil {
		t.Fatal(err)
	}
	if c.Genesys.ClientSecret != "old-client-secret" {
		t.Fatalf("clientSecret = %q", c.Genesys.ClientSecret)
	}
}

func TestAliasAndNewKeyDisagreeing(t *testing.T) {
	// In the file.
	yml := validYAML + "SJ_SERVER_ADDRESS: https://other.example.com\n"
	c, ps := Parse([]byte(yml), nil)
	p := onlyProblem(t, ps, "servicejourney.url", false)
	for _, want := range []string{"SJ_SERVER_ADDRESS", "servicejourney.url", "https://other.example.com", "line 10", "line 14"} {
		if !strings.Contains(p.Message, want) {
			t.Errorf("message %q lacks %q", p.Message, want)
		}
	}
	if c.ServiceJourney.URL != "https://sj.example.com" {
		t.Errorf("the new key must win: url = %q", c.ServiceJourney.URL)
	}
	// In the environment, for a secret: the values must not be echoed.
	_, ps = Parse(nil, append(minimalEnv, "DCM_SystemPassword=another-password"))
	p = onlyProblem(t, ps, "servicejourney.systemPassword", false)
	if strings.Contains(ps.String(), "another-password") || strings.Contains(ps.String(), "sys-password-value") {
		t.Fatalf("secret echoed: %s", ps)
	}
	if !strings.Contains(p.Message, "DCM_SystemPassword") || !strings.Contains(p.Message, "DCM_SERVICEJOURNEY_SYSTEMPASSWORD") {
		t.Fatalf("problem = %s", p)
	}
	// Two old names for the environment that disagree (Web.config held both).
	_, ps = Parse(nil, append(withEnvExcept("DCM_GENESYS_ENVIRONMENT"), "PureCloud_ApiHost=api.mypurecloud.ie", "PureCloud_Region=us_east_1"))
	onlyProblem(t, ps, "genesys.environment", false)
	// ... and agreeing ones pass, though spelled differently.
	c = mustParse(t, "", append(withEnvExcept("DCM_GENESYS_ENVIRONMENT"), "PureCloud_ApiHost=api.mypurecloud.ie", "PureCloud_Region=eu_west_1")...)
	if c.Genesys.Environment != "mypurecloud.ie" {
		t.Fatalf("environment = %q", c.Genesys.Environment)
	}
}

func TestEnvOverridesYAMLAlias(t *testing.T) {
	yml := dropKey(t, "servicejourney.url") + "SJ_SERVER_ADDRESS: https://from-file.example.com\n"
	c := mustParse(t, yml, "DCM_SERVICEJOURNEY_URL=https://from-env.example.com")
	if c.ServiceJourney.URL != "https://from-env.example.com" {
		t.Fatalf("url = %q", c.ServiceJourney.URL)
	}
}

func TestStripOldPath(t *testing.T) {
	cases := map[string]string{
		"https://sj.example.com/dcm-connect-docs/":                                  "https://sj.example.com",
		"https://sj.example.com/dcm-connect-docs/wizard/index.html?response_type=x": "https://sj.example.com",
		"https://sj.example.com:8443/DCM-Connect-Service/DCMServices.asmx/":         "https://sj.example.com:8443",
		"https://sj.example.com/apps/dcm-connect-service":                           "https://sj.example.com/apps",
		"https://sj.example.com/#frag":                                              "https://sj.example.com",
		"not a url":                                                                 "not a url",
	}
	for in, want := range cases {
		if got := StripOldPath(in); got != want {
			t.Errorf("StripOldPath(%q) = %q, want %q", in, got, want)
		}
	}
}
