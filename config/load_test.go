package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidFileHasNoProblems(t *testing.T) {
	c := mustParse(t, validYAML)
	if c.ServiceJourney.URL != "https://sj.example.com" || c.Genesys.Environment != "mypurecloud.ie" {
		t.Fatalf("config = %+v", c.Redacted())
	}
	if c.ServiceJourney.SystemDomain != "config.tenant12" {
		t.Fatalf("systemDomain not derived from the domain: %q", c.ServiceJourney.SystemDomain)
	}
}

func TestThreeMistakesAreAllReported(t *testing.T) {
	yml := replaceLine(t, validYAML, "environment:", "environment: mypurecloud.xx")
	yml = replaceLine(t, yml, "url:", "url: sj.example.com")
	yml = replaceLine(t, yml, "domain:", "domain: DCM_Production")
	_, ps := Parse([]byte(yml), nil)
	if n := len(ps.Errors()); n != 3 {
		t.Fatalf("want 3 errors, got %d:\n%s", n, ps)
	}
	for _, key := range []string{"genesys.environment", "servicejourney.url", "servicejourney.domain"} {
		onlyProblem(t, ps, key, false)
	}
	err := ps.Err()
	if err == nil {
		t.Fatal("Err() = nil with three errors")
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 4 || !strings.Contains(lines[0], "3 problems") {
		t.Fatalf("Err() = %q", err)
	}
	for _, l := range lines[1:] {
		if !strings.Contains(l, " — fix: ") {
			t.Errorf("line without a fix: %q", l)
		}
	}
}

func TestUnknownKeySuggestions(t *testing.T) {
	yml := validYAML + `usermap:
  syncIntervall: 5m
  writeback: true
interactions:
  defaultcountry: GB
domain: x
genesis:
  clientId: y
`
	_, ps := Parse([]byte(yml), nil)
	cases := map[string]struct{ line, fix string }{
		"usermap.syncIntervall":       {"line 15", "did you mean usermap.syncInterval?"},
		"usermap.writeback":           {"line 16", "did you mean usermap.writeBack?"},
		"interactions.defaultcountry": {"line 18", "did you mean interactions.defaultCountry?"},
		"domain":                      {"line 19", "did you mean servicejourney.domain?"},
		"genesis":                     {"line 20", "did you mean genesys?"},
	}
	for key, want := range cases {
		p := onlyProblem(t, ps, key, false)
		if !strings.Contains(p.Message, "unknown key") || !strings.Contains(p.Message, want.line) || !strings.Contains(p.Fix, want.fix) {
			t.Errorf("%s: got %s; want %s and %q", key, p, want.line, want.fix)
		}
	}
	// Nothing else: the known keys around them were read fine.
	if n := len(ps.List); n != len(cases) {
		t.Errorf("want %d problems, got:\n%s", len(cases), ps)
	}
	// A far-off name gets no misleading suggestion.
	_, ps = Parse([]byte(validYAML+"server:\n  zzqqxx: 1\n"), nil)
	for _, p := range ps.List {
		if p.Key == "server.zzqqxx" && strings.Contains(p.Fix, "did you mean") {
			t.Errorf("unexpected suggestion: %s", p)
		}
	}
}

func TestMalformedYAML(t *testing.T) {
	cases := map[string]string{
		"tab":      "server:\n\tlisten: \":8080\"\n",
		"colon":    "server:\n  listen: a: b\n",
		"unclosed": "genesys:\n  clientId: \"abc\n",
	}
	for name, yml := range cases {
		_, ps := Parse([]byte(yml), minimalEnv)
		if len(ps.List) != 1 {
			t.Errorf("%s: want just the syntax error, got:\n%s", name, ps)
			continue
		}
		p := ps.List[0]
		if p.Key != "config file" || !strings.Contains(p.Message, "malformed YAML") || !strings.Contains(p.Message, "line ") {
			t.Errorf("%s: %s", name, p)
		}
	}
}

func TestWrongShapes(t *testing.T) {
	yml := validYAML + `usermap:
  supervisorPermissions:
    bad: map
interactions: [a, b]
`
	_, ps := Parse([]byte(yml), nil)
	onlyProblem(t, ps, "usermap.supervisorPermissions", false)
	onlyProblem(t, ps, "interactions", false)
	_, ps = Parse([]byte("- a\n- b\n"), nil)
	if p := ps.List[0]; p.Key != "config file" || !strings.Contains(p.Message, "mapping of sections") {
		t.Fatalf("got %s", p)
	}
}

func TestDuplicateKey(t *testing.T) {
	_, ps := Parse([]byte(validYAML+"server:\n  listen: \":1\"\n"), nil)
	p := onlyProblem(t, ps, "server", false)
	if !strings.Contains(p.Message, "lines 2 and 14") {
		t.Fatalf("got %s", p)
	}
}

func TestSecondDocument(t *testing.T) {
	_, ps := Parse([]byte(validYAML+"---\nserver:\n  listen: \":1\"\n"), nil)
	p := onlyProblem(t, ps, "config file", false)
	if !strings.Contains(p.Message, "second YAML document") {
		t.Fatalf("got %s", p)
	}
}

func TestPlaceholders(t *testing.T) {
	yml := replaceLine(t, validYAML, "browserClientId:", `browserClientId: "@CLIENT_ID@"`)
	yml = replaceLine(t, yml, "systemPassword:", `systemPassword: "@SJ_INTEGRATION_PASSWORD@"`)
	yml = replaceLine(t, yml, "publicURL:", `publicURL: "@SJ_SERVER_ADDRESS@/dcm-connect-docs/"`)
	_, ps := Parse([]byte(yml), nil)
	p := onlyProblem(t, ps, "genesys.browserClientId", false)
	if !strings.Contains(p.Message, "still a placeholder (@CLIENT_ID@)") || !strings.Contains(p.Fix, "browser OAuth client") {
		t.Errorf("got %s", p)
	}
	p = onlyProblem(t, ps, "servicejourney.systemPassword", false)
	if !strings.Contains(p.Message, "still a placeholder") || strings.Contains(p.String(), "SJ_INTEGRATION_PASSWORD") {
		t.Errorf("secret placeholder: %s", p)
	}
	p = onlyProblem(t, ps, "server.publicURL", false)
	if !strings.Contains(p.Message, "@SJ_SERVER_ADDRESS@") || !strings.Contains(p.Fix, "base URL") {
		t.Errorf("got %s", p)
	}
	if len(ps.List) != 3 {
		t.Errorf("want 3 problems, got:\n%s", ps)
	}
	// Via an old name in the environment too.
	_, ps = Parse(nil, append(withEnvExcept("DCM_GENESYS_BROWSERCLIENTID"), "CLIENT_ID=@CLIENT_ID@"))
	p = onlyProblem(t, ps, "genesys.browserClientId", false)
	if !strings.Contains(p.Message, "from CLIENT_ID") {
		t.Errorf("got %s", p)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	if err := os.WriteFile(path, []byte(validYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	c, ps := Load(path, []string{"DCM_SERVER_LISTEN=:9999"})
	if len(ps.List) != 0 || c.Server.Listen != ":9999" {
		t.Fatalf("listen %q, problems:\n%s", c.Server.Listen, ps)
	}
	_, ps = Load(filepath.Join(t.TempDir(), "nope.yaml"), minimalEnv)
	if len(ps.List) != 1 || ps.List[0].Key != "config file" || !strings.Contains(ps.List[0].Message, "no such file") {
		t.Fatalf("got:\n%s", ps)
	}
}

func TestDefaults(t *testing.T) {
	c := mustParse(t, validYAML)
	checks := map[string]string{
		"server.listen": ":8080", "server.readTimeout": "15s", "server.writeTimeout": "30s",
		"server.idleTimeout": "2m0s", "server.shutdownTimeout": "20s", "server.maxBodyBytes": "1048576",
		"server.logLevel": "info", "genesys.browserGrant": "pkce", "genesys.requestsPerMinute": "300",
		"genesys.timeout": "15s", "genesys.tokenRefreshMargin": "5m0s", "genesys.retryAfterCap": "1m0s",
		"servicejourney.integrationCode": "ROOT_GENESYS", "servicejourney.profile": "standard", "servicejourney.loginMethod": "post", "servicejourney.timeout": "20s",
		"servicejourney.pages.party": DefaultPartyPage, "servicejourney.pages.case": DefaultCasePage,
		"servicejourney.pages.newCase": DefaultNewCasePage, "servicejourney.pages.appId": "root_CaseManagement",
		"usermap.syncInterval": "15m0s", "interactions.syncInterval": "5m0s", "interactions.initialLookback": "24h0m0s",
		"interactions.defaultCountry": "US", "interactions.caseIdAttribute": "CaseId", "interactions.partyIdAttribute": "PartyId",
	}
	for key, want := range checks {
		if got, ok := c.Get(key); !ok || got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if !c.InProcessUserSync() || !c.InProcessInteractionSync() {
		t.Error("in-process jobs must default to on")
	}
	// Defaults fills only what is unset.
	d := &Config{Server: Server{Listen: ":1"}}
	d.Defaults()
	if d.Server.Listen != ":1" || d.Server.LogLevel != "info" {
		t.Errorf("Defaults: %+v", d.Server)
	}
}
