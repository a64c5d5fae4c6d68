package main

import (
	"encoding/json"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"dcmconnect/api"
	"dcmconnect/setup"
	"dcmconnect/usermap"
)

var (
	usedKeyRE = regexp.MustCompile(`\bt\("([a-z]+\.[A-Za-z_.]+)"`)
	htmlKeyRE = regexp.MustCompile(`data-i18n(?:-placeholder)?="([^"]+)"`)
	languages = []string{"en-us", "de-de", "fr-fr", "es-es"}
)

// textKeys reads a text table (assets/i18n/<name>.json: language -> key ->
// text) into its keys by language, sorted.
func textKeys(t *testing.T, file string) map[string][]string {
	t.Helper()
	src, err := os.ReadFile("../../web/docs/assets/i18n/" + file)
	if err != nil {
		t.Fatal(err)
	}
	var tables map[string]map[string]string
	if err := json.Unmarshal(src, &tables); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	keys := map[string][]string{}
	for lang, table := range tables {
		keys[lang] = slices.Sorted(maps.Keys(table))
	}
	return keys
}

// TestEveryPageHasEveryTextKeyInEveryLanguage keeps the four languages of
// each page in step, and checks each page uses no literal key it lacks.
func TestEveryPageHasEveryTextKeyInEveryLanguage(t *testing.T) {
	t.Parallel()
	shared := textKeys(t, "shared.json")
	pages := []struct{ text, script, html string }{
		{"agent.json", "agent.js", "index.html"},
		{"supervisor.json", "supervisor.js", "supervisor.html"},
		{"wizard.json", "wizard.js", "wizard/index.html"},
		{"shared.json", "dcm.js", ""},
	}
	for _, p := range pages {
		t.Run(p.text, func(t *testing.T) {
			keys := textKeys(t, p.text)
			en := keys["en-us"]
			if len(en) < 10 {
				t.Fatalf("found %d en-us keys; the file's layout changed?", len(en))
			}
			for lang := range keys {
				if !slices.Contains(languages, lang) {
					t.Errorf("%s has the language %q, which the pages do not ship", p.text, lang)
				}
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

// TestEveryServerMessageCodeHasItsTextInEveryLanguage: what the server
// sends (a message code) is what the pages translate, so a new code
// without its four sentences fails here, not on a German agent's screen.
func TestEveryServerMessageCodeHasItsTextInEveryLanguage(t *testing.T) {
	t.Parallel()
	shared := textKeys(t, "shared.json")
	codes := api.MessageCodes()
	if len(codes) < 10 {
		t.Fatalf("api.MessageCodes gives %d codes", len(codes))
	}
	for _, lang := range languages {
		for _, c := range codes {
			if !slices.Contains(shared[lang], "msg."+c) {
				t.Errorf("shared.json %s lacks msg.%s (the server sends the code %q)", lang, c, c)
			}
		}
	}
}

// TestEveryReasonCodeHasItsTextInEveryLanguage: the supervisor's Reason
// column is said by code (usermap.ReasonCodes) in the page's language.
func TestEveryReasonCodeHasItsTextInEveryLanguage(t *testing.T) {
	t.Parallel()
	sup := textKeys(t, "supervisor.json")
	for _, lang := range languages {
		for _, c := range usermap.ReasonCodes() {
			if !slices.Contains(sup[lang], "reason."+c) {
				t.Errorf("supervisor.json %s lacks reason.%s", lang, c)
			}
		}
	}
}

// TestEverySetupMsgCodeHasItsTextInEveryLanguage: the wizard says every
// checklist detail and fix, and every install warning, by code
// (setup.TextCodes) in the administrator's language; its en-us text is the
// English `check` prints, and each translation fills the same {params}.
func TestEverySetupMsgCodeHasItsTextInEveryLanguage(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../web/docs/assets/i18n/wizard.json")
	if err != nil {
		t.Fatal(err)
	}
	var tables map[string]map[string]string
	if err := json.Unmarshal(src, &tables); err != nil {
		t.Fatal(err)
	}
	codes := setup.TextCodes()
	if len(codes) < 100 {
		t.Fatalf("setup.TextCodes gives %d codes", len(codes))
	}
	params := regexp.MustCompile(`\{[a-z]+\}`)
	for _, c := range codes {
		en := setup.EnglishText(c)
		if got := tables["en-us"]["setup."+c]; got != en {
			t.Errorf("wizard.json en-us setup.%s = %q, but setup says %q", c, got, en)
		}
		want := slices.Sorted(slices.Values(params.FindAllString(en, -1)))
		for _, lang := range languages[1:] {
			text, ok := tables[lang]["setup."+c]
			if !ok {
				t.Errorf("wizard.json %s lacks setup.%s", lang, c)
				continue
			}
			if got := slices.Sorted(slices.Values(params.FindAllString(text, -1))); !slices.Equal(got, want) {
				t.Errorf("wizard.json %s setup.%s fills %v, the English %v", lang, c, got, want)
			}
		}
	}
	// The permissions the wizard lists are said in the page's language too.
	for _, p := range api.SetupPermissions {
		for _, lang := range languages {
			if _, ok := tables[lang]["wizard.perm."+p.Permission]; !ok {
				t.Errorf("wizard.json %s lacks wizard.perm.%s", lang, p.Permission)
			}
		}
	}
}
