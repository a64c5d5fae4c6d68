package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const examplePath = "../deploy/dcmconnect.example.yaml"

func TestExampleFileIsValid(t *testing.T) {
	// Secrets come from the environment, as the example recommends.
	c, ps := Load(examplePath, []string{
		"DCM_GENESYS_CLIENTSECRET_FILE=" + writeFile(t, "example-secret\n"),
		"DCM_SERVICEJOURNEY_SYSTEMPASSWORD=example-password",
	})
	if len(ps.List) != 0 {
		t.Fatalf("%s has problems:\n%s", examplePath, ps)
	}
	if c.Genesys.ClientSecret != "example-secret" {
		t.Fatalf("secret file not applied")
	}
	// The example shows the defaults, so it must equal a defaults-only config.
	d, _ := Parse(nil, append(minimalEnv, "DCM_SERVICEJOURNEY_SYSTEMPASSWORD=example-password",
		"DCM_GENESYS_CLIENTSECRET=example-secret", "DCM_USERMAP_INPROCESS=true", "DCM_INTERACTIONS_INPROCESS=true",
		"DCM_GENESYS_CLIENTID="+c.Genesys.ClientID, "DCM_GENESYS_BROWSERCLIENTID="+c.Genesys.BrowserClientID))
	for _, key := range Keys() {
		got, _ := c.Get(key)
		want, _ := d.Get(key)
		if got != want {
			t.Errorf("example %s = %q, but the default is %q", key, got, want)
		}
	}
}

func TestExampleFileCoversEveryKey(t *testing.T) {
	data, err := os.ReadFile(filepath.Clean(examplePath))
	if err != nil {
		t.Fatal(err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		t.Fatal(err)
	}
	var present []string
	var walk func(n *yaml.Node, prefix string)
	walk = func(n *yaml.Node, prefix string) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := join(prefix, n.Content[i].Value)
			v := n.Content[i+1]
			if _, ok := fieldByPath[key]; ok || v.Kind != yaml.MappingNode {
				present = append(present, key)
				continue
			}
			walk(v, key)
		}
	}
	walk(root.Content[0], "")
	for _, key := range Keys() {
		if !slices.Contains(present, key) {
			t.Errorf("%s is missing from %s", key, examplePath)
		}
	}
	// Every key has a comment on it or right above it.
	lines := strings.Split(string(data), "\n")
	for _, key := range Keys() {
		last := key[strings.LastIndex(key, ".")+1:] + ":"
		for i, l := range lines {
			if strings.HasPrefix(strings.TrimSpace(l), last) && i > 0 {
				if !strings.HasPrefix(strings.TrimSpace(lines[i-1]), "#") && !strings.Contains(l, "#") && !commentedGroup(lines, i) {
					t.Errorf("%s has no comment", key)
				}
				break
			}
		}
	}
}

// commentedGroup allows a run of related keys under one comment
// (readTimeout, writeTimeout, ...): walk up over plain key lines to a comment.
func commentedGroup(lines []string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		s := strings.TrimSpace(lines[j])
		if strings.HasPrefix(s, "#") {
			return true
		}
		if s == "" {
			return false
		}
	}
	return false
}
