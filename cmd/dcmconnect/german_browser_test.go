package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// englishOnly is every en-us sentence of the text tables whose German
// differs: none of them may show on a German page.
func englishOnly(t *testing.T, files ...string) []string {
	t.Helper()
	var out []string
	for _, f := range files {
		src, err := os.ReadFile("../../web/docs/assets/i18n/" + f)
		if err != nil {
			t.Fatal(err)
		}
		var tables map[string]map[string]string
		if err := json.Unmarshal(src, &tables); err != nil {
			t.Fatal(err)
		}
		for k, en := range tables["en-us"] {
			// The part before the first {param}, when it is prose (three
			// words or more; "PureCloud_UserId" alone is a field name).
			head, _, _ := strings.Cut(en, "{")
			head = strings.TrimSpace(head)
			if len(strings.Fields(head)) >= 3 && tables["de-de"][k] != en {
				out = append(out, head)
			}
		}
	}
	return out
}

// Done-when (issue 18): German pages carry no English, the server's
// messages and reasons included. The agent page is checked in its
// failure state (the server's message), the supervisor page with its
// Reason column (the server's reasons), and the wizard with its whole
// checklist (setup's details and fixes, by code) before and after an install.
func TestGermanPagesShowNoEnglish(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	english := englishOnly(t, "shared.json", "agent.json", "supervisor.json", "wizard.json")
	check := func(t *testing.T, b *browser, page string) {
		t.Helper()
		text := b.eval(`document.body.innerText`)
		for _, e := range english {
			if strings.Contains(text, e) {
				t.Errorf("the German %s shows English %q", page, e)
			}
		}
		for _, e := range []string{"ServiceJourney user", "Genesys user", "not reachable", "is required", "no active", " answered", "not checked", "missing:", "not installed"} {
			if strings.Contains(text, e) {
				t.Errorf("the German %s shows the server's English %q", page, e)
			}
		}
	}
	t.Run("agent, not mapped", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvCarla, demoCarlaID, "&gcLangTag=de-de")
		b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "not-mapped"`, "not-mapped message")
		b.waitText("#status", "verknüpft")
		check(t, b, "agent page")
	})
	t.Run("supervisor", func(t *testing.T) {
		t.Parallel()
		b := openSupervisorPage(t, d, demoSamID, "de-de")
		b.waitText("#usermap-table tbody", "Kein aktiver")
		runIn(b, chromedp.Evaluate[chromedp.Void](`void 0`))
		check(t, b, "supervisor page")
		b.screenshot("supervisor_de-de")
	})
	t.Run("wizard", func(t *testing.T) {
		t.Parallel()
		// Its own demo: the install below changes the fake Genesys.
		d := startBrowserDemo(t, demoOptions{})
		b := openWizard(t, d, "de-de")
		b.waitText("#checklist-summary", "fehlgeschlagen")
		// Every kind of line: passes, the loopback warning, "not installed"
		// and the data actions skipped for it.
		b.waitText(`#checklist tr[data-id="genesys.installed"]`, "noch nicht installiert")
		b.waitText(`#checklist tr[data-id="genesys.dataActions"]`, "nicht geprüft")
		check(t, b, "wizard")
		b.screenshot("wizard_de-de")
		// After the install: every part's outcome and the checklist again.
		runIn(b, chromedp.Click("#install"))
		b.waitFor(`document.getElementById("install-result").getAttribute("data-result") === "done"`, "the install")
		b.waitText(`#checklist tr[data-id="genesys.installed"]`, "Agentengruppe")
		check(t, b, "wizard after the install")
		b.screenshot("wizard_de-de_installed")
	})
}
