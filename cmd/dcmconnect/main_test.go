package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(t *testing.T, env []string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, env, &out, &errb)
	if err != nil {
		code = exitFailure
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func TestCheckConfigReportsEveryMistake(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := filepath.Join(dir, "dcmconnect.yaml")
	// Three mistakes: a typo'd key, an unknown region, a domain without a tenant;
	// and the data actions': a budget past the write timeout, a colon in the
	// Basic user name, a short password.
	os.WriteFile(p, []byte(`
server:
  publicURL: https://sj.example.com
genesys:
  environment: eu_nowhere_9
  clientId: cc
  clientSecret: s3cret
  browserClientId: browser
servicejourney:
  url: https://sj.example.com
  domain: DCM_Production
  systemUser: sys
  systemPasword: pw
actions:
  userName: "dcm:actions"
  password: tiny-pw
  budget: 45s
`), 0o600)
	_, stderr, code := runCmd(t, nil, "--config", p, "check-config")
	if code != exitUsage {
		t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
	}
	for _, key := range []string{"servicejourney.systemPasword", "genesys.environment", "servicejourney.domain",
		"actions.budget", "actions.userName", "actions.password"} {
		if !strings.Contains(stderr, key) {
			t.Errorf("report does not name %s:\n%s", key, stderr)
		}
	}
	if strings.Contains(stderr, "s3cret") || strings.Contains(stderr, "pw\n") || strings.Contains(stderr, "tiny-pw") {
		t.Errorf("a secret was echoed:\n%s", stderr)
	}
}

func TestCheckConfigAcceptsExampleFileAndFlagAfterCommand(t *testing.T) {
	t.Parallel()
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("from-a-file\n"), 0o600)
	env := []string{"DCM_GENESYS_CLIENTSECRET_FILE=" + secret, "DCM_SERVICEJOURNEY_SYSTEMPASSWORD=pw"}
	out, stderr, code := runCmd(t, env, "check-config", "--config", "../../deploy/dcmconnect.example.yaml")
	if code != 0 || !strings.Contains(out, "configuration is valid") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, stderr)
	}
}

func TestUnknownCommandIsUsageError(t *testing.T) {
	t.Parallel()
	if _, _, code := runCmd(t, nil, "frobnicate"); code != exitUsage {
		t.Fatalf("exit %d, want 2", code)
	}
	out, _, code := runCmd(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "dcmconnect ") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestMigrateCommandWritesALoadableConfig(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	td := "../../migrate/testdata/complete/"
	stdout, stderr, code := runCmd(t, nil, "migrate", "--web-config", td+"Web.config", "--config-js", td+"config.js", "--out", out)
	if code != 0 {
		t.Fatalf("migrate exit %d\n%s\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "servicejourney.domain") {
		t.Fatalf("report does not show mapped keys:\n%s", stdout)
	}
	env := []string{
		"DCM_GENESYS_CLIENTSECRET_FILE=" + filepath.Join(filepath.Dir(out), "secrets", "genesys-client-secret"),
		"DCM_SERVICEJOURNEY_SYSTEMPASSWORD_FILE=" + filepath.Join(filepath.Dir(out), "secrets", "servicejourney-system-password"),
	}
	if _, stderr, code := runCmd(t, env, "check-config", "--config", out); code != 0 {
		t.Fatalf("migrated config does not load: %s", stderr)
	}
	if _, _, code := runCmd(t, nil, "migrate"); code != exitUsage {
		t.Fatalf("migrate without inputs: exit %d, want 2", code)
	}
}

// The demo serves fakes with known credentials: it refuses to listen
// anywhere but loopback.
func TestDemoRefusesNonLoopbackAddresses(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"demo", "--listen", "0.0.0.0:8080"},
		{"demo", "--genesys-listen", "10.1.2.3:8081"},
		{"demo", "--sj-listen", ":8082"},
	} {
		_, stderr, code := runCmd(t, nil, args...)
		if code != exitUsage || !strings.Contains(stderr, "loopback") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
}
