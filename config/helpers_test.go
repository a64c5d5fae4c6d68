package config

import (
	"strings"
	"testing"
)

// validYAML is a complete, valid configuration; tests change one thing at a time.
const validYAML = `
server:
  publicURL: https://sj.example.com
genesys:
  environment: mypurecloud.ie
  clientId: 3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f
  clientSecret: cc-secret-value
  browserClientId: 7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f0a
servicejourney:
  url: https://sj.example.com
  domain: DCM_Production.tenant12
  systemUser: genesys.integration
  systemPassword: sys-password-value
`

// minimalEnv is validYAML as environment variables.
var minimalEnv = []string{
	"DCM_SERVER_PUBLICURL=https://sj.example.com",
	"DCM_GENESYS_ENVIRONMENT=mypurecloud.ie",
	"DCM_GENESYS_CLIENTID=3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f",
	"DCM_GENESYS_CLIENTSECRET=cc-secret-value",
	"DCM_GENESYS_BROWSERCLIENTID=7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
	"DCM_SERVICEJOURNEY_URL=https://sj.example.com",
	"DCM_SERVICEJOURNEY_DOMAIN=DCM_Production.tenant12",
	"DCM_SERVICEJOURNEY_SYSTEMUSER=genesys.integration",
	"DCM_SERVICEJOURNEY_SYSTEMPASSWORD=sys-password-value",
}

// withEnvExcept returns minimalEnv without the variables named.
func withEnvExcept(names ...string) []string {
	var out []string
next:
	for _, kv := range minimalEnv {
		for _, n := range names {
			if strings.HasPrefix(kv, n+"=") {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}

// mustParse parses and fails the test on any problem, warnings included.
func mustParse(t *testing.T, yml string, env ...string) *Config {
	t.Helper()
	c, ps := Parse([]byte(yml), env)
	if len(ps.List) != 0 {
		t.Fatalf("unexpected problems:\n%s", ps)
	}
	return c
}

// problemsFor returns the problems whose key is key.
func problemsFor(ps *Problems, key string) []Problem {
	var out []Problem
	for _, p := range ps.List {
		if p.Key == key {
			out = append(out, p)
		}
	}
	return out
}

// onlyProblem asserts exactly one problem for key, of the given severity, and returns it.
func onlyProblem(t *testing.T, ps *Problems, key string, warning bool) Problem {
	t.Helper()
	got := problemsFor(ps, key)
	if len(got) != 1 {
		t.Fatalf("want exactly one problem for %s, got %d; all problems:\n%s", key, len(got), ps)
	}
	if got[0].Warning != warning {
		t.Fatalf("%s: warning=%v, want %v: %s", key, got[0].Warning, warning, got[0])
	}
	return got[0]
}

// replaceLine swaps one line of validYAML (matched by its trimmed prefix).
func replaceLine(t *testing.T, yml, prefix, with string) string {
	t.Helper()
	lines := strings.Split(yml, "\n")
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), prefix) {
			indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
			lines[i] = indent + with
			return strings.Join(lines, "\n")
		}
	}
	t.Fatalf("no line starting with %q", prefix)
	return ""
}
