package main

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestSupervisorTextHasEveryKeyInEveryLanguage keeps the four languages of
// the supervisor page in step, and checks the page uses no key it lacks.
func TestSupervisorTextHasEveryKeyInEveryLanguage(t *testing.T) {
	src, err := os.ReadFile("../../web/docs/assets/text-supervisor.js")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile(`(?s)"([a-z]{2}-[a-z]{2})": \{(.*?)\n  \}`).FindAllStringSubmatch(string(src), -1)
	keyRE := regexp.MustCompile(`"([A-Za-z_.]+)":`)
	keys := map[string][]string{}
	for _, b := range blocks {
		for _, m := range keyRE.FindAllStringSubmatch(b[2], -1) {
			keys[b[1]] = append(keys[b[1]], m[1])
		}
		slices.Sort(keys[b[1]])
	}
	en := keys["en-us"]
	if len(en) < 50 {
		t.Fatalf("found %d en-us keys; the file's layout changed?", len(en))
	}
	for _, lang := range []string{"de-de", "fr-fr", "es-es"} {
		if !slices.Equal(keys[lang], en) {
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
	}
	// Every literal key the page and its HTML ask for exists.
	page, _ := os.ReadFile("../../web/docs/assets/supervisor.js")
	html, _ := os.ReadFile("../../web/docs/supervisor.html")
	shared, _ := os.ReadFile("../../web/docs/assets/i18n.js")
	used := regexp.MustCompile(`t\("((?:sup|status|conflict|outcome)\.[A-Za-z_.]+)"`).FindAllStringSubmatch(string(page), -1)
	used = append(used, regexp.MustCompile(`data-i18n(?:-placeholder)?="([^"]+)"`).FindAllStringSubmatch(string(html), -1)...)
	for _, m := range used {
		if !slices.Contains(en, m[1]) && !strings.Contains(string(shared), `"`+m[1]+`"`) {
			t.Errorf("the page uses text key %q that no text file defines", m[1])
		}
	}
}
