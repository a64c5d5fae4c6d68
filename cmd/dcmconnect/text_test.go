package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	langBlockRE = regexp.MustCompile(`(?s)"([a-z]{2}-[a-z]{2})": \{(.*?)\n  \}`)
	textKeyRE   = regexp.MustCompile(`"([A-Za-z_.]+)":`)
	usedKeyRE   = regexp.MustCompile(`\bt\("([a-z]+\.[A-Za-z_.]+)"`)
	htmlKeyRE   = regexp.MustCompile(`data-i18n(?:-placeholder)?="([^"]+)"`)
	languages   = []string{"en-us", "de-de", "fr-fr", "es-es"}
)

// textKeys reads a text file (i18n.js or text-<page>.js) into keys by language.
func textKeys(t *testing.T, file string) map[string][]string {
	t.Helper()
	src, err := os.ReadFile("../../web/docs/assets/" + file)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string][]string{}
	for _, b := range langBlockRE.FindAllStringSubmatch(string(src), -1) {
		for _, m := range textKeyRE.FindAllStringSubmatch(b[2], -1) {
			keys[b[1]] = append(keys[b[1]], m[1])
		}
		slices.Sort(keys[b[1]])
	}
	return keys
}

// TestEveryPageHasEveryTextKeyInEveryLanguage keeps the four languages of
// each page in step, and checks each page uses no literal key it lacks.
func TestEveryPageHasEveryTextKeyInEveryLanguage(t *testing.T) {
	shared := textKeys(t, "i18n.js")
	pages := []struct{ text, script, html string }{
		{"text-agent.js", "agent.js", "index.html"},
		{"text-supervisor.js", "supervisor.js", "supervisor.html"},
		{"text-wizard.js", "wizard.js", "wizard/index.html"},
		{"i18n.js", "dcm.js", ""},
	}
	for _, p := range pages {
		t.Run(p.text, func(t *testing.T) {
			keys := textKeys(t, p.text)
			en := keys["en-us"]
			if len(en) < 10 {
				t.Fatalf("found %d en-us keys; the file's layout changed?", len(en))
			}
			for _, lang := range languages[1:] {
				for _, k := range en {
					if !slices.Contains(keys[lang], k) {
						t.Errorf("%s lacks %q", lang, k)
					}
				}
				for _, k := range keys[lang] {
					if !slices.Contains(en, k) {
						t.Errorf("%s has %q, which en-us lacks", lang, k)
					}
				}
			}
			script, err := os.ReadFile("../../web/docs/assets/" + p.script)
			if err != nil {
				t.Fatal(err)
			}
			used := usedKeyRE.FindAllStringSubmatch(string(script), -1)
			if p.html != "" {
				html, err := os.ReadFile("../../web/docs/" + p.html)
				if err != nil {
					t.Fatal(err)
				}
				used = append(used, htmlKeyRE.FindAllStringSubmatch(string(html), -1)...)
			}
			for _, m := range used {
				k := strings.TrimSuffix(m[1], ".") // a prefix built on at run time
				if !slices.ContainsFunc(append(slices.Clone(en), shared["en-us"]...), func(have string) bool {
					return have == k || strings.HasPrefix(have, k+".")
				}) {
					t.Errorf("%s uses text key %q that no text file defines", p.script, m[1])
				}
			}
		})
	}
}
