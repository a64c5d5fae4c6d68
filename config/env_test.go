package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestEnvOnlyConfiguration(t *testing.T) {
	c, ps := Load("", minimalEnv)
	if len(ps.List) != 0 {
		t.Fatalf("problems:\n%s", ps)
	}
	if c.Genesys.ClientSecret != "cc-secret-value" || c.ServiceJourney.SystemDomain != "config.tenant12" {
		t.Fatalf("config = %+v", c.Redacted())
	}
}

func TestEnvOverridesEveryKind(t *testing.T) {
	env := append(minimalEnv,
		"DCM_SERVER_LISTEN=127.0.0.1:9090",
		"dcm_server_readtimeout=7s", // case-insensitive
		"DCM_SERVER_MAX_BODY_BYTES=2MiB",
		"DCM_SERVER_CORS_ORIGINS=https://a.example.com, https://b.example.com",
		"DCM_GENESYS_REQUESTS_PER_MINUTE=120",
		"DCM_GENESYS_BROWSER_GRANT=implicit",
		"DCM_SERVICEJOURNEY_RULES_GETUSERS=MY_GETUSERS",
		"DCM_SERVICEJOURNEY_RULES_findparties=MY_FIND",
		"DCM_SERVICEJOURNEY_RULE_ALLOWLIST=A_RULE,B_RULE",
		"DCM_SERVICEJOURNEY_PAGES_NEW_CASE=my_NewCase",
		"DCM_USERMAP_WRITEBACK=true",
		"DCM_USERMAP_INPROCESS=false",
		"DCM_INTERACTIONS_IN_PROCESS=false",
		"DCM_INTERACTIONS_INITIALLOOKBACK=72h",
		"DCM_INTERACTIONS_DEFAULTCOUNTRY=ie",
		"DCM_SKIP_BROWSER=1", // another tool's variable: ignored
		"DCM_CONFIG=/etc/dcmconnect.yaml",
	)
	c, ps := Parse([]byte(validYAML), env)
	if err := ps.Err(); err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		got, want any
	}{
		{c.Server.Listen, "127.0.0.1:9090"},
		{c.Server.ReadTimeout, 7 * time.Second},
		{c.Server.MaxBodyBytes, int64(2 << 20)},
		{c.Server.CORSOrigins, []string{"https://a.example.com", "https://b.example.com"}},
		{c.Genesys.RequestsPerMinute, 120},
		{c.Genesys.BrowserGrant, "implicit"},
		{c.ServiceJourney.Rules, map[string]string{"GETUSERS": "MY_GETUSERS", "FINDPARTIES": "MY_FIND"}},
		{c.ServiceJourney.RuleAllowlist, []string{"A_RULE", "B_RULE"}},
		{c.ServiceJourney.Pages.NewCase, "my_NewCase"},
		{c.UserMap.WriteBack, true},
		{c.InProcessUserSync(), false},
		{c.InProcessInteractionSync(), false},
		{c.Interactions.InitialLookback, 72 * time.Hour},
		{c.Interactions.DefaultCountry, "IE"},
	}
	for i, ch := range checks {
		if !reflect.DeepEqual(ch.got, ch.want) {
			t.Errorf("check %d: got %#v, want %#v", i, ch.got, ch.want)
		}
	}
	if len(ps.Warnings()) != 1 || ps.Warnings()[0].Key != "genesys.browserGrant" {
		t.Errorf("want only the implicit-grant warning, got:\n%s", ps)
	}
}

func TestEnvBeatsFile(t *testing.T) {
	c := mustParse(t, validYAML+"usermap:\n  syncInterval: 1h\n", "DCM_USERMAP_SYNCINTERVAL=10m")
	if c.UserMap.SyncInterval != 10*time.Minute {
		t.Fatalf("syncInterval = %v", c.UserMap.SyncInterval)
	}
}

func TestSecretFromFile(t *testing.T) {
	for _, name := range []string{"DCM_GENESYS_CLIENTSECRET_FILE", "DCM_GENESYS_CLIENT_SECRET_FILE"} {
		path := writeFile(t, "from-a-file\r\n")
		c, ps := Parse(nil, append(withEnvExcept("DCM_GENESYS_CLIENTSECRET"), name+"="+path))
		if err := ps.Err(); err != nil {
			t.Fatal(err)
		}
		if c.Genesys.ClientSecret != "from-a-file" {
			t.Fatalf("%s: clientSecret = %q", name, c.Genesys.ClientSecret)
		}
	}
}

func TestSecretFileProblemsNameTheVariable(t *testing.T) {
	dir := t.TempDir()
	empty := writeFile(t, "\n")
	cases := map[string]string{
		filepath.Join(dir, "missing"): "no such file",
		dir:                           "is a directory",
		empty:                         "is empty",
	}
	for path, want := range cases {
		c, ps := Parse(nil, append(withEnvExcept("DCM_SERVICEJOURNEY_SYSTEMPASSWORD"), "DCM_SERVICEJOURNEY_SYSTEMPASSWORD_FILE="+path))
		p := onlyProblem(t, ps, "servicejourney.systemPassword", false)
		if !strings.Contains(p.Message, "DCM_SERVICEJOURNEY_SYSTEMPASSWORD_FILE") || !strings.Contains(p.Message, want) {
			t.Errorf("%s: problem = %s", path, p)
		}
		if c.ServiceJourney.SystemPassword != "" {
			t.Errorf("password set despite the error")
		}
	}
}

func TestSecretFileAndValueBothSet(t *testing.T) {
	path := writeFile(t, "x")
	_, ps := Parse(nil, append(minimalEnv, "DCM_GENESYS_CLIENTSECRET_FILE="+path))
	p := onlyProblem(t, ps, "genesys.clientSecret", false)
	if !strings.Contains(p.Message, "DCM_GENESYS_CLIENTSECRET_FILE") {
		t.Fatalf("problem = %s", p)
	}
}

func TestFileOnlyForSecrets(t *testing.T) {
	path := writeFile(t, "x")
	_, ps := Parse([]byte(validYAML), []string{"DCM_SERVICEJOURNEY_SYSTEMUSER_FILE=" + path})
	p := onlyProblem(t, ps, "servicejourney.systemUser", false)
	if !strings.Contains(p.Message, "only secrets") {
		t.Fatalf("problem = %s", p)
	}
}

func TestUnknownEnvVariableInOurSection(t *testing.T) {
	_, ps := Parse([]byte(validYAML), []string{"DCM_GENESYS_CLIENTSECRT=x", "DCM_GENESIS_CLIENTID=y"})
	errs := ps.Errors()
	if len(errs) != 1 || errs[0].Key != "genesys" {
		t.Fatalf("want one error for genesys, got:\n%s", ps)
	}
	p := errs[0]
	if !strings.Contains(p.Message, "DCM_GENESYS_CLIENTSECRT") || !strings.Contains(p.Fix, "did you mean DCM_GENESYS_CLIENTSECRET?") {
		t.Fatalf("problem = %s", p)
	}
	// A near-miss section is only a warning: the variable may belong to something else.
	var sawSection bool
	for _, w := range ps.Warnings() {
		sawSection = sawSection || strings.Contains(w.Message, "DCM_GENESIS_CLIENTID")
	}
	if !sawSection {
		t.Fatalf("no warning for DCM_GENESIS_CLIENTID:\n%s", ps)
	}
}

func TestBadEnvValues(t *testing.T) {
	env := append(minimalEnv, "DCM_SERVER_READTIMEOUT=15", "DCM_GENESYS_REQUESTSPERMINUTE=lots", "DCM_USERMAP_INPROCESS=maybe")
	_, ps := Parse(nil, env)
	for key, want := range map[string]string{
		"server.readTimeout":        "DCM_SERVER_READTIMEOUT",
		"genesys.requestsPerMinute": "DCM_GENESYS_REQUESTSPERMINUTE",
		"usermap.inProcess":         "DCM_USERMAP_INPROCESS",
	} {
		p := onlyProblem(t, ps, key, false)
		if !strings.Contains(p.Message, want) || p.Fix == "" {
			t.Errorf("%s: %s", key, p)
		}
	}
}
