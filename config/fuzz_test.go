package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse feeds arbitrary YAML and one DCM_* variable through the whole
// loader: it must never panic, always return a Config and Problems, never
// quote the secret it was given, and give every problem a key.
func FuzzParse(f *testing.F) {
	if ex, err := os.ReadFile("../deploy/dcmconnect.example.yaml"); err == nil {
		f.Add(ex, "DCM_GENESYS_CLIENTSECRET=s3cr3t-value-x")
	}
	f.Add([]byte("genesys:\n  environment: mypurecloud.ie\n  clientId: abc\n  clientSecret: s3cr3t-value-x\n"), "DCM_SERVER_LISTEN=:8080")
	f.Add([]byte("servicejourney:\n  url: https://sj.example.com\n  domain: DCM.tenant1\n"), "DCM_SERVICEJOURNEY_SYSTEMPASSWORD=s3cr3t-value-x")
	f.Add([]byte("server: [1, 2\n"), "DCM_=x")
	f.Add([]byte("SJ_SERVER_ADDRESS: https://x\nPureCloud_Region: eu_west_1\n"), "DCM_GENESYS_CLIENTSECRET_FILE=/nonexistent")
	f.Add([]byte("a: &x {b: *x}\n"), "DCM_USERMAP_SYNCINTERVAL=banana")
	f.Fuzz(func(t *testing.T, data []byte, env string) {
		const secret = "s3cr3t-value-x"
		cfg, probs := Parse(data, []string{env})
		if cfg == nil || probs == nil {
			t.Fatalf("Parse returned a nil Config or Problems")
		}
		for _, p := range probs.List {
			if p.Key == "" {
				t.Errorf("problem without a key: %q", p.String())
			}
			if strings.Contains(p.String(), secret) && strings.Contains(env, secret) {
				t.Errorf("problem quotes the secret: %q", p.String())
			}
		}
	})
}
