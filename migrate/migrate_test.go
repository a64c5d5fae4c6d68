package migrate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"dcmconnect/config"
)

const (
	ccSecret   = "xY9_kL2-pQ7vW4zR8tN1mB6cF3hJ5gD0sA"
	sjPassword = "S3rv1ce&Journey!" // &amp; in the XML
)

func run(t *testing.T, opts MigrateOptions) (Report, string) {
	t.Helper()
	if opts.OutPath == "" {
		opts.OutPath = filepath.Join(t.TempDir(), "dcmconnect.yaml")
	}
	rep, err := Run(opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	data, err := os.ReadFile(opts.OutPath)
	if err != nil {
		t.Fatal(err)
	}
	return rep, string(data)
}

func secretEnv(rep Report) []string {
	var env []string
	for _, sf := range rep.SecretFiles {
		env = append(env, sf.EnvVar+"="+sf.Path)
	}
	return env
}

var completeWant = map[string]string{
	"server.publicURL":               "https://sj.contoso.com",
	"genesys.environment":            "mypurecloud.ie",
	"genesys.clientId":               "3f1c2a9e-5b7d-4e8a-9c0f-1a2b3c4d5e6f",
	"genesys.clientSecret":           ccSecret,
	"genesys.browserClientId":        "7d9e8f6a-1b2c-4d3e-8f4a-5b6c7d8e9f0a",
	"genesys.browserGrant":           "implicit",
	"servicejourney.url":             "https://sj.contoso.com",
	"servicejourney.domain":          "DCM_Production.tenant12",
	"servicejourney.systemDomain":    "config.tenant12",
	"servicejourney.systemUser":      "genesys.integration",
	"servicejourney.systemPassword":  sjPassword,
	"servicejourney.integrationCode": "ROOT_GENESYS_INTEGRATION",
	// An old install has the custom rules, not necessarily the stock ones.
	"servicejourney.profile": "connector",
}

func TestMigrateCompleteInstall(t *testing.T) {
	rep, yml := run(t, MigrateOptions{WebConfigPath: "testdata/complete/Web.config", ConfigJSPath: "testdata/complete/config.js"})

	// The written file loads without errors once the secret files are given.
	c, ps := config.Load(rep.OutPath, secretEnv(rep))
	if err := ps.Err(); err != nil {
		t.Fatalf("migrated config does not load:\n%v\n---\n%s", err, yml)
	}
	if w := ps.Warnings(); len(w) != 1 || w[0].Key != "genesys.browserGrant" {
		t.Errorf("want only the implicit-grant warning, got:\n%s", ps)
	}
	for key, want := range completeWant {
		if got, _ := c.Get(key); got != want {
			t.Errorf("%s = %q, want %q", key, got, want)
		}
	}
	if rep.Problems == nil || rep.Problems.Err() != nil {
		t.Errorf("report problems: %v", rep.Problems)
	}

	// Secrets: in files of mode 0600, never in the YAML or the report.
	if len(rep.SecretFiles) != 2 {
		t.Fatalf("secret files: %+v", rep.SecretFiles)
	}
	wantFiles := map[string]string{"genesys-client-secret": ccSecret, "servicejourney-system-password": sjPassword}
	for _, sf := range rep.SecretFiles {
		want, ok := wantFiles[filepath.Base(sf.Path)]
		if !ok || filepath.Dir(sf.Path) != filepath.Join(filepath.Dir(rep.OutPath), "secrets") {
			t.Errorf("unexpected secret file %s", sf.Path)
			continue
		}
		data, err := os.ReadFile(sf.Path)
		if err != nil || strings.TrimSpace(string(data)) != want {
			t.Errorf("%s holds %q (%v)", sf.Path, data, err)
		}
		if fi, _ := os.Stat(sf.Path); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", sf.Path, fi.Mode().Perm())
		}
		if !strings.Contains(yml, sf.EnvVar+"="+sf.Path) {
			t.Errorf("YAML lacks the hint %s=%s", sf.EnvVar, sf.Path)
		}
	}
	for _, secret := range []string{ccSecret, sjPassword} {
		if strings.Contains(yml, secret) || strings.Contains(rep.String(), secret) {
			t.Fatalf("secret %q leaked into the YAML or the report", secret)
		}
	}

	// Every old setting that has a new key is reported as mapped, with its line.
	mapped := map[string]string{}
	for _, m := range rep.Mapped {
		mapped[m.Source+" "+m.Name] = m.Key
		if m.Line == 0 {
			t.Errorf("%s %s: no line", m.Source, m.Name)
		}
	}
	for name, key := range map[string]string{
		"Web.config DCM_SystemUser": "servicejourney.systemUser", "Web.config DCM_SystemPassword": "servicejourney.systemPassword",
		"Web.config DCM_BaseDomain": "servicejourney.domain", "Web.config DCM_TokenSystemDomain": "servicejourney.systemDomain",
		"Web.config DCM_EndPoint": "server.publicURL", "Web.config clientId": "genesys.clientId",
		"Web.config clientSecret": "genesys.clientSecret", "Web.config PureCloud_ApiHost": "genesys.environment",
		"Web.config PureCloud_Region": "genesys.environment", "config.js config.clientId": "genesys.browserClientId",
		"config.js config.redirectUri": "server.publicURL", "config.js config.integrationCode": "servicejourney.integrationCode",
		"config.js config.domainCode": "servicejourney.domain", "config.js config.solutionUrl": "servicejourney.url",
		"config.js config.genesysIntegrationUrl": "server.publicURL", "config.js config.wizardUrl": "server.publicURL",
	} {
		if mapped[name] != key {
			t.Errorf("%s mapped to %q, want %s", name, mapped[name], key)
		}
	}
	if len(rep.Mapped) != 16 {
		t.Errorf("want 16 mapped settings, got %d", len(rep.Mapped))
	}

	// What has no new key is reported, and nothing from comments or removed keys.
	unmapped := map[string]bool{}
	for _, u := range rep.Unmapped {
		unmapped[u.Source+" "+u.Name] = true
	}
	for _, name := range []string{"Web.config webpages:Version", "Web.config LogRequests", "config.js config.appName",
		"config.js config.scopes", "config.js config.pages.agent", "config.js config.helpUrl", "config.js config.premiumAppName"} {
		if !unmapped[name] {
			t.Errorf("%s not reported as unmapped", name)
		}
	}
	for _, name := range []string{"Web.config RequestTimeoutSeconds", "config.js nested", "config.js config.scopes.nested"} {
		if unmapped[name] || mapped[name] != "" {
			t.Errorf("%s should not appear at all", name)
		}
	}
	if len(rep.Placeholders) != 0 || len(rep.Conflicts) != 0 {
		t.Errorf("placeholders %v conflicts %v", rep.Placeholders, rep.Conflicts)
	}
	if !strings.Contains(yml, "# from Web.config DCM_BaseDomain (line 19)") {
		t.Errorf("YAML lacks provenance comments:\n%s", yml)
	}
}

func TestMigrateInlineSecrets(t *testing.T) {
	rep, yml := run(t, MigrateOptions{WebConfigPath: "testdata/complete/Web.config", ConfigJSPath: "testdata/complete/config.js", InlineSecrets: true})
	if len(rep.SecretFiles) != 0 {
		t.Fatalf("secret files written: %v", rep.SecretFiles)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(rep.OutPath), "secrets")); !os.IsNotExist(err) {
		t.Fatalf("secrets dir exists: %v", err)
	}
	if fi, _ := os.Stat(rep.OutPath); fi.Mode().Perm() != 0o600 {
		t.Errorf("YAML with secrets has mode %v, want 0600", fi.Mode().Perm())
	}
	c, ps := config.Load(rep.OutPath, nil)
	if err := ps.Err(); err != nil {
		t.Fatalf("%v\n%s", err, yml)
	}
	if c.Genesys.ClientSecret != ccSecret || c.ServiceJourney.SystemPassword != sjPassword {
		t.Fatal("inline secrets not written")
	}
	if strings.Contains(rep.String(), ccSecret) {
		t.Fatal("secret in report")
	}
}

func TestMigratePlaceholders(t *testing.T) {
	rep, yml := run(t, MigrateOptions{WebConfigPath: "testdata/placeholders/Web.config", ConfigJSPath: "testdata/placeholders/config.js"})
	got := map[string]string{}
	for _, p := range rep.Placeholders {
		got[p.Source+" "+p.Name] = p.Key
	}
	want := map[string]string{
		"Web.config clientId":                           "genesys.clientId",
		"Web.config clientSecret":                       "genesys.clientSecret",
		"Web.config DCM_BaseDomain":                     "servicejourney.domain",
		"Web.config DCM_EndPoint":                       "server.publicURL",
		"config.js window.config.clientId":              "genesys.browserClientId",
		"config.js window.config.redirectUri":           "server.publicURL",
		"config.js window.config.genesysIntegrationUrl": "server.publicURL",
		"config.js window.config.wizardUrl":             "server.publicURL",
	}
	for name, key := range want {
		if got[name] != key {
			t.Errorf("placeholder %s -> %q, want %s", name, got[name], key)
		}
	}
	if len(got) != len(want) {
		t.Errorf("placeholders: %v", got)
	}
	// A real value for the same key beats a placeholder.
	c, ps := config.Load(rep.OutPath, nil)
	if c.ServiceJourney.Domain != "DCM_Sandbox.tenant7" {
		t.Errorf("domain = %q", c.ServiceJourney.Domain)
	}
	// Empty old values are reported, not written.
	empty := 0
	for _, u := range rep.Unmapped {
		if strings.HasPrefix(u.Reason, "empty") {
			empty++
		}
	}
	if empty != 2 {
		t.Errorf("want 2 empty settings reported, got %v", rep.Unmapped)
	}
	// Loading the result names every key still to fix.
	for _, key := range []string{"genesys.clientId", "genesys.clientSecret", "genesys.browserClientId", "server.publicURL"} {
		found := false
		for _, p := range ps.Errors() {
			found = found || (p.Key == key && strings.Contains(p.Message, "still a placeholder"))
		}
		if !found {
			t.Errorf("%s not reported as a placeholder by Load:\n%s", key, ps)
		}
	}
	if !strings.Contains(yml, "TODO: still a placeholder") {
		t.Errorf("YAML lacks TODO comments:\n%s", yml)
	}
	if len(rep.SecretFiles) != 0 {
		t.Errorf("a placeholder secret must not be written to a file: %v", rep.SecretFiles)
	}
}

func TestMigrateBadXML(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	_, err := Run(MigrateOptions{WebConfigPath: "testdata/broken/Web.config", OutPath: out})
	if err == nil {
		t.Fatal("no error for malformed XML")
	}
	for _, want := range []string{"testdata/broken/Web.config", "line 5", "malformed XML", "fix:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "a<b") {
		t.Errorf("error echoes the password value: %v", err)
	}
	if _, statErr := os.Stat(out); !os.IsNotExist(statErr) {
		t.Error("output written despite the error")
	}
	// An element that is never closed.
	path := writeTemp(t, "Web.config", "<configuration>\n  <appSettings>\n    <add key=\"a\" value=\"b\" />\n")
	if _, err := Run(MigrateOptions{WebConfigPath: path, OutPath: out}); err == nil || !strings.Contains(err.Error(), "XML") {
		t.Errorf("unclosed element: %v", err)
	}
}

func TestMigrateRefusesToOverwrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	if err := os.WriteFile(out, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Run(MigrateOptions{WebConfigPath: "testdata/complete/Web.config", OutPath: out})
	if err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("err = %v", err)
	}
	if data, _ := os.ReadFile(out); string(data) != "keep me" {
		t.Fatal("existing file changed")
	}
	if _, err := Run(MigrateOptions{OutPath: out + "2"}); err == nil || !strings.Contains(err.Error(), "--web-config") {
		t.Fatalf("no inputs: %v", err)
	}
	if _, err := Run(MigrateOptions{WebConfigPath: "testdata/nope/Web.config", OutPath: out + "3"}); err == nil {
		t.Fatal("missing input accepted")
	}
}

func TestMigrateConflictingValues(t *testing.T) {
	web := writeTemp(t, "Web.config", `<configuration><appSettings>
<add key="DCM_BaseDomain" value="DCM_Production.tenant12"/>
<add key="DCM_SystemPassword" value="first-pass"/>
</appSettings></configuration>`)
	js := writeTemp(t, "config.js", "var config = { domainCode: 'DCM_Staging.tenant12' };\n")
	rep, yml := run(t, MigrateOptions{WebConfigPath: web, ConfigJSPath: js})
	if len(rep.Conflicts) != 1 {
		t.Fatalf("conflicts: %+v", rep.Conflicts)
	}
	cf := rep.Conflicts[0]
	if cf.Key != "servicejourney.domain" || cf.Kept.Source != "Web.config" || cf.Dropped.Name != "config.domainCode" {
		t.Fatalf("conflict: %+v", cf)
	}
	if !strings.Contains(yml, "domain: DCM_Production.tenant12") || !strings.Contains(yml, "DCM_Staging.tenant12") {
		t.Fatalf("YAML:\n%s", yml)
	}
	if !strings.Contains(rep.String(), "Disagreeing values") {
		t.Fatalf("report:\n%s", rep)
	}
}

func TestMigrateUTF16WebConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/complete/Web.config")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `encoding="utf-8"`, `encoding="utf-16"`, 1)
	u := utf16.Encode([]rune(text))
	buf := []byte{0xFF, 0xFE}
	for _, c := range u {
		buf = append(buf, byte(c), byte(c>>8))
	}
	path := filepath.Join(t.TempDir(), "Web.config")
	if err := os.WriteFile(path, buf, 0o600); err != nil {
		t.Fatal(err)
	}
	rep, _ := run(t, MigrateOptions{WebConfigPath: path})
	c, _ := config.Load(rep.OutPath, secretEnv(rep))
	if c.ServiceJourney.SystemPassword != sjPassword || c.Genesys.Environment != "mypurecloud.ie" {
		t.Fatalf("UTF-16 file not read: %+v", c.Redacted())
	}
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestUsesTheConfigAliasTable: every old name config accepts is recognised
// by migrate in the file it came from, so the two can never drift apart.
func TestUsesTheConfigAliasTable(t *testing.T) {
	for _, a := range config.Aliases() {
		if a.Origin == config.OriginWebConfig {
			if got, ok := lookupWebConfig(a.Name); !ok || got.Key != a.Key {
				t.Errorf("Web.config %s -> %v", a.Name, got)
			}
			if got, ok := lookupWebConfig(strings.ToUpper(a.Name)); !ok || got.Key != a.Key {
				t.Errorf("Web.config %s (upper case) -> %v", a.Name, got)
			}
			continue
		}
		camel := camelCase(a.Name)
		if got, ok := lookupConfigJS("config."+camel, "x"); !ok || got.Key != a.Key {
			t.Errorf("config.js %s -> %v", camel, got)
		}
		if got, ok := lookupConfigJS("config.someOtherName", "@"+a.Name+"@"); !ok || got.Key != a.Key {
			t.Errorf("config.js placeholder @%s@ -> %v", a.Name, got)
		}
	}
}

// camelCase turns SOLUTION_URL into solutionUrl.
func camelCase(s string) string {
	parts := strings.Split(strings.ToLower(s), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// A second migrate into the same directory (another site, another --out)
// must not overwrite the secret files the first config reads; the same
// value is reused.
func TestMigrateNeverOverwritesASecretFile(t *testing.T) {
	dir := t.TempDir()
	first, _ := run(t, MigrateOptions{WebConfigPath: "testdata/complete/Web.config", OutPath: filepath.Join(dir, "a.yaml")})
	if len(first.SecretFiles) == 0 {
		t.Fatal("no secret files written")
	}
	before := map[string]string{}
	for _, sf := range first.SecretFiles {
		b, err := os.ReadFile(sf.Path)
		if err != nil {
			t.Fatal(err)
		}
		before[sf.Path] = string(b)
	}

	// The same install again: same values, the files are shared.
	same, _ := run(t, MigrateOptions{WebConfigPath: "testdata/complete/Web.config", OutPath: filepath.Join(dir, "same.yaml")})
	if len(same.SecretFiles) != len(first.SecretFiles) {
		t.Fatalf("secret files: %+v", same.SecretFiles)
	}

	other := writeTemp(t, "Web.config", `<configuration><appSettings>
<add key="clientSecret" value="another-sites-secret"/>
</appSettings></configuration>`)
	out := filepath.Join(dir, "b.yaml")
	_, err := Run(MigrateOptions{WebConfigPath: other, OutPath: out})
	if err == nil || !strings.Contains(err.Error(), "already exists") || !strings.Contains(err.Error(), "--out") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "another-sites-secret") {
		t.Fatal("the secret is in the error")
	}
	for path, want := range before {
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Fatalf("%s was overwritten", path)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("b.yaml written: %v", err)
	}
}
