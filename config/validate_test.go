package config

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestValidation changes one line of validYAML (or adds one) and expects
// exactly one problem of the given severity for the key, mentioning want.
func TestValidation(t *testing.T) {
	cases := []struct {
		name      string
		prefix    string // line of validYAML to replace ("" appends extra)
		with      string
		extra     string
		key       string
		warning   bool
		want, fix string
	}{
		{"relative url", "url:", "url: sj.example.com", "", "servicejourney.url", false, "not an absolute http(s) URL", "https://"},
		{"ftp url", "url:", "url: ftp://sj.example.com", "", "servicejourney.url", false, "not an absolute http(s) URL", ""},
		{"url with query", "url:", "url: https://sj.example.com/?a=1", "", "servicejourney.url", false, "without query", "https://sj.example.com/"},
		{"url with credentials", "url:", "url: https://admin:hunter2@sj.example.com", "", "servicejourney.url", false, "credentials", ""},
		{"http sj url", "url:", "url: http://sj.example.com", "", "servicejourney.url", true, "not https", "system password"},
		{"http public url", "publicURL:", "publicURL: http://sj.example.com", "", "server.publicURL", true, "not https", "https://sj.example.com"},
		{"old path in public url", "publicURL:", "publicURL: https://sj.example.com/dcm-connect-docs/index.html", "", "server.publicURL", true, "old /dcm-connect", "use https://sj.example.com"},
		{"domain without tenant", "domain:", "domain: DCM_Production", "", "servicejourney.domain", false, "<Solution>.tenant<N>", "tenant12"},
		{"domain unusual", "domain:", "domain: DCM Production.tenant12", "", "servicejourney.domain", true, "unusual", ""},
		{"domain is system domain", "domain:", "domain: config.tenant12", "", "servicejourney.domain", true, "system domain", ""},
		{"system domain odd", "", "", "  systemDomain: tenant12\n", "servicejourney.systemDomain", true, "config.tenant<N>", ""},
		{"system domain tenant mismatch", "", "", "  systemDomain: config.tenant13\n", "servicejourney.systemDomain", true, "tenant 13 differs", "config.tenant12"},
		{"grant implicit", "", "", "  browserGrant: implicit\n", "genesys.browserGrant", true, "March 2027", "pkce"},
		{"grant unknown", "", "", "  browserGrant: code\n", "genesys.browserGrant", false, "not a supported grant", "pkce"},
		{"client id not uuid", "clientId:", "clientId: not-a-uuid", "", "genesys.clientId", true, "does not look like", ""},
		{"same clients", "clientId:", "clientId: 7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f0a", "", "genesys.browserClientId", true, "same client", ""},
		{"zero duration", "", "", "  timeout: 0s\n", "servicejourney.timeout", false, "not a positive duration", ""},
		{"negative duration", "", "", "  timeout: -5s\n", "servicejourney.timeout", false, "not a positive duration", ""},
		{"duration without unit", "", "", "  timeout: 30\n", "servicejourney.timeout", false, "no unit", "30s"},
		{"duration garbage", "", "", "  timeout: soon\n", "servicejourney.timeout", false, "not a duration", "Go duration syntax"},
		{"rate above limit", "", "", "  requestsPerMinute: 600\n", "genesys.requestsPerMinute", true, "limit of 300", ""},
		{"empty allowlist entry", "", "", "  ruleAllowlist: [A_RULE, \"\"]\n", "servicejourney.ruleAllowlist", false, "entry 2 is empty", ""},
		{"blank allowlist entry", "", "", "  ruleAllowlist: [\"  \"]\n", "servicejourney.ruleAllowlist", false, "entry 1 is empty", ""},
		{"unknown rule op", "", "", "  rules: {FINDCASE: X}\n", "servicejourney.rules.FINDCASE", false, "unknown operation", "FINDCASES"},
		{"bad integration code", "", "", "  integrationCode: ROOT GENESYS\n", "servicejourney.integrationCode", false, "not a rule prefix", ""},
		{"empty page", "", "", "  pages: {party: \"\"}\n", "servicejourney.pages.party", false, "is empty", ""},
		{"metrics listen garbage", "", "", "  metricsListen: nope\n", "server.metricsListen", false, "not a listen address", "host:port"},
		{"metrics listen bad port", "", "", "  metricsListen: \"127.0.0.1:99999\"\n", "server.metricsListen", false, "invalid port", "1-65535"},
		{"metrics listen is listen", "", "", "  metricsListen: \":8080\"\n", "server.metricsListen", false, "server.listen too", "another port"},
		{"trusted proxy not an address", "", "", "  trustedProxies: [\"10.0.0.5\", \"10.0.0.0/8\", proxy.local]\n", "server.trustedProxies", false, "neither an IP", "CIDR"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			yml := validYAML
			if tc.prefix != "" {
				yml = replaceLine(t, yml, tc.prefix, tc.with)
			}
			if tc.extra != "" {
				section := strings.SplitN(tc.key, ".", 2)[0]
				yml = strings.Replace(yml, section+":\n", section+":\n"+tc.extra, 1)
			}
			_, ps := Parse([]byte(yml), nil)
			p := onlyProblem(t, ps, tc.key, tc.warning)
			if !strings.Contains(p.Message, tc.want) || !strings.Contains(p.Fix, tc.fix) {
				t.Fatalf("got %s; want message with %q and fix with %q", p, tc.want, tc.fix)
			}
			if len(ps.List) != 1 {
				t.Fatalf("want one problem, got:\n%s", ps)
			}
			if strings.Contains(ps.String(), "hunter2") {
				t.Fatal("password from URL echoed")
			}
		})
	}
}

func TestServerSectionValidation(t *testing.T) {
	yml := strings.Replace(validYAML, "  publicURL: https://sj.example.com\n", `  publicURL: https://sj.example.com
  listen: "8080"
  logLevel: verbose
  maxBodyBytes: 0
  frameAncestors: ["https://x.example.com/", "*.example.com", "https://ok.example.com:8443"]
  corsOrigins: ["*", "HTTPS://Upper.example.com", "https://ok.example.com", "mailto:a@b"]
`, 1)
	_, ps := Parse([]byte(yml), nil)
	if len(problemsFor(ps, "server.listen")) != 1 || len(problemsFor(ps, "server.logLevel")) != 1 ||
		len(problemsFor(ps, "server.maxBodyBytes")) != 1 {
		t.Fatalf("got:\n%s", ps)
	}
	fa := problemsFor(ps, "server.frameAncestors")
	if len(fa) != 2 || !strings.Contains(fa[0].Fix, "use https://x.example.com") || !strings.Contains(fa[1].Message, "wildcards") {
		t.Fatalf("frameAncestors: %v", fa)
	}
	co := problemsFor(ps, "server.corsOrigins")
	if len(co) != 3 || !strings.Contains(co[0].Message, "wildcards") || !strings.Contains(co[1].Fix, "lower case") || !strings.Contains(co[2].Message, "not an origin") {
		t.Fatalf("corsOrigins: %v", co)
	}
	if p := problemsFor(ps, "server.logLevel")[0]; !strings.Contains(p.Fix, "debug, info, warn, error") {
		t.Fatalf("logLevel: %s", p)
	}
}

func TestLoopbackPublicURLNeedsNoHTTPS(t *testing.T) {
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"} {
		yml := replaceLine(t, validYAML, "publicURL:", "publicURL: "+u)
		mustParse(t, yml)
	}
}

func TestCountry(t *testing.T) {
	for _, ok := range []string{"US", "gb", "IE", "DE", "AU"} {
		mustParse(t, validYAML+"interactions:\n  defaultCountry: "+ok+"\n")
	}
	for bad, fix := range map[string]string{"UK": "use GB", "USA": "alpha-2", "XX": "alpha-2", "1": "alpha-2"} {
		_, ps := Parse([]byte(validYAML+"interactions:\n  defaultCountry: \""+bad+"\"\n"), nil)
		p := onlyProblem(t, ps, "interactions.defaultCountry", false)
		if !strings.Contains(p.Fix, fix) {
			t.Errorf("%s: %s", bad, p)
		}
	}
}

func TestMissingRequiredListsEveryKey(t *testing.T) {
	_, ps := Parse(nil, nil)
	for _, key := range required {
		p := onlyProblem(t, ps, key, false)
		if p.Message != "missing" || !strings.Contains(p.Fix, EnvName(key)) {
			t.Errorf("%s: %s", key, p)
		}
		if IsSecret(key) && !strings.Contains(p.Fix, EnvName(key)+"_FILE") {
			t.Errorf("%s: fix should offer _FILE: %s", key, p)
		}
	}
	if len(ps.List) != len(required) {
		t.Errorf("want only the %d missing keys, got:\n%s", len(required), ps)
	}
}

func TestWarningsAlonePass(t *testing.T) {
	yml := strings.Replace(validYAML, "genesys:\n", "genesys:\n  browserGrant: implicit\n", 1)
	_, ps := Parse([]byte(yml), nil)
	if len(ps.Warnings()) != 1 || ps.Err() != nil {
		t.Fatalf("warnings %d, Err %v", len(ps.Warnings()), ps.Err())
	}
	if !strings.HasPrefix(ps.String(), "genesys.browserGrant: warning: ") {
		t.Fatalf("String() = %q", ps.String())
	}
	var nilProblems *Problems
	if nilProblems.Err() != nil || nilProblems.String() != "" {
		t.Fatal("nil *Problems must be empty")
	}
}

func TestValidateOnBuiltConfig(t *testing.T) {
	c := mustParse(t, validYAML)
	if ps := c.Validate(); len(ps.List) != 0 {
		t.Fatalf("problems:\n%s", ps)
	}
	c.ServiceJourney.Domain = "nodomain"
	if ps := c.Validate(); ps.Err() == nil {
		t.Fatal("Validate missed a bad domain")
	}
}

// A URL-like value can carry a password (user:password@host, with or
// without a scheme) or a token in its query; a problem quoting the value
// must mask them, wherever the value is checked.
func TestURLProblemsNeverQuoteCredentials(t *testing.T) {
	const secret = "Pa55-w0rd-Value"
	cases := map[string]string{
		"servicejourney.url":    "admin:" + secret + "@sj.example.com",
		"server.publicURL":      "https://sj.example.com/?access_token=" + secret,
		"genesys.environment":   "https://admin:" + secret + "@nowhere.example",
		"server.corsOrigins":    `["https://admin:` + secret + `@apps.mypurecloud.ie"]`,
		"server.frameAncestors": `["https://admin:` + secret + `@*.example.com"]`,
	}
	for key, val := range cases {
		section, name, _ := strings.Cut(key, ".")
		var yml string
		if strings.HasPrefix(val, "[") {
			yml = strings.Replace(validYAML, section+":\n", section+":\n  "+name+": "+val+"\n", 1)
		} else {
			yml = replaceLine(t, validYAML, name+":", name+": \""+val+"\"")
		}
		_, ps := Parse([]byte(yml), nil)
		if len(problemsFor(ps, key)) == 0 {
			t.Errorf("%s: no problem reported for %q:\n%s", key, val, ps)
		}
		if s := ps.String(); strings.Contains(s, secret) {
			t.Errorf("%s: the password is quoted:\n%s", key, s)
		}
	}
}

// TestEventsValidation: the events keys name the key and the fix.
func TestEventsValidation(t *testing.T) {
	for _, tc := range []struct{ yml, key, want, fix string }{
		{"events:\n  enabled: true\n", "events.queueIds", "is empty", "events.topics"},
		{"events:\n  topics: agents\n", "events.topics", "not a topic choice", "queues, users or both"},
		{"events:\n  leader:\n    mode: zookeeper\n", "events.leader.mode", "not a leader mode", "kubernetes"},
	} {
		_, ps := Parse([]byte(validYAML+tc.yml), nil)
		p := onlyProblem(t, ps, tc.key, false)
		if !strings.Contains(p.Message, tc.want) || !strings.Contains(p.Fix, tc.fix) {
			t.Errorf("%s: %q / fix %q; want %q and %q", tc.key, p.Message, p.Fix, tc.want, tc.fix)
		}
	}
	c, ps := Parse([]byte(validYAML+"events:\n  enabled: true\n  topics: Users\n"), nil)
	if len(problemsFor(ps, "events.topics")) != 0 || c.Events.Leader.Mode != "inprocess" || c.Events.Leader.LeaseName != "dcmconnect-events" {
		t.Fatalf("defaults: %+v, problems %v", c.Events, ps)
	}
}

// TestActionsValidation: bad actions.* values name the key and the fix; the
// password is never quoted.
func TestActionsValidation(t *testing.T) {
	const pass = "a-long-enough-secret-value"
	for _, tc := range []struct {
		yml, key, want, fix string
		warning             bool
	}{
		{"actions:\n  password: " + pass + "\n  budget: 30s\n", "actions.budget", "not shorter than server.writeTimeout", "5s", false},
		{"actions:\n  password: " + pass + "\n  userName: \"dcm:actions\"\n", "actions.userName", "contains a colon", "Basic", false},
		{"actions:\n  password: " + pass + "\n  userName: \" \"\n", "actions.userName", "is empty while actions.password is set", "genesys-data-actions", false},
		{"actions:\n  password: short\n", "actions.password", "shorter than 16", "random characters", true},
		{"actions:\n  ratePerSecond: -1\n", "actions.ratePerSecond", "not positive", "default", false},
	} {
		_, ps := Parse([]byte(validYAML+tc.yml), nil)
		p := onlyProblem(t, ps, tc.key, tc.warning)
		if !strings.Contains(p.Message, tc.want) || !strings.Contains(p.Fix, tc.fix) {
			t.Errorf("%s: %q / fix %q; want %q and %q", tc.key, p.Message, p.Fix, tc.want, tc.fix)
		}
		if s := ps.String(); strings.Contains(s, pass) || strings.Contains(s, "short\"") {
			t.Errorf("%s: the password is quoted:\n%s", tc.key, s)
		}
	}
	// A longer write timeout admits a longer budget; defaults fill the rest.
	c, ps := Parse([]byte(strings.Replace(validYAML, "server:\n", "server:\n  writeTimeout: 60s\n", 1)+
		"actions:\n  password: "+pass+"\n  budget: 30s\n"), nil)
	if len(ps.List) != 0 || !c.ActionsEnabled() || c.Actions.UserName != "genesys-data-actions" || c.Actions.RatePerSecond != 50 {
		t.Fatalf("actions %+v enabled=%v, problems:\n%s", c.Actions, c.ActionsEnabled(), ps)
	}
	if c, _ := Parse([]byte(validYAML), nil); c.ActionsEnabled() || c.Actions.Budget != 5*time.Second {
		t.Fatalf("without a password the actions are off with the default budget: %+v", c.Actions)
	}
}

// interactions.syncWriters is bounded above: the error names the key, the
// line, the bound and why; the bound itself and the default pass.
func TestSyncWritersBound(t *testing.T) {
	for _, tc := range []struct {
		yml  string
		want int // 0: a problem
	}{
		{"", 32},
		{"interactions:\n  syncWriters: 64\n", 64},
		{"interactions:\n  syncWriters: 1\n", 1},
		{"interactions:\n  syncWriters: 65\n", 0},
		{"interactions:\n  syncWriters: 500\n", 0},
	} {
		c, ps := Parse([]byte(validYAML+tc.yml), nil)
		if tc.want > 0 {
			if len(ps.List) != 0 || c.Interactions.SyncWriters != tc.want {
				t.Errorf("%q: writers %d, problems:\n%s", tc.yml, c.Interactions.SyncWriters, ps)
			}
			continue
		}
		p := onlyProblem(t, ps, "interactions.syncWriters", false)
		if !strings.Contains(p.Message, "more than ServiceJourney should be asked to serve at once") || !strings.Contains(p.Message, "line") ||
			!strings.Contains(p.Fix, fmt.Sprintf("at most %d", MaxSyncWriters)) || !strings.Contains(p.Fix, "database connection") {
			t.Errorf("%q: %q / fix %q", tc.yml, p.Message, p.Fix)
		}
	}
	_, ps := Parse([]byte(validYAML+"interactions:\n  syncWriters: -1\n"), nil)
	if p := onlyProblem(t, ps, "interactions.syncWriters", false); !strings.Contains(p.Message, "not positive") {
		t.Errorf("-1: %q", p.Message)
	}
}
