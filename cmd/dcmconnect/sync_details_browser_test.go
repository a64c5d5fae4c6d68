package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/config"
)

// The jobs' details read as sentences in the page's language: what the last
// run did (users read, counts per status, conversations logged), a failure
// as a sentence with its English line closed away in administrator details,
// and no raw JSON or field names.
func TestSupervisorSyncDetailsAreReadableInGerman(t *testing.T) {
	t.Parallel()
	// A short refresh: the page shows the next run by itself.
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Second }})
	waitUserMap(t, d)
	ctx := context.Background()
	if _, err := d.app.interactionSync.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	// The next user sync fails: ServiceJourney drops the user listing.
	d.sj.Fault("GETUSERS", appbasetest.Fault{Drop: true})
	if _, err := d.app.userSync.RunOnce(ctx); err == nil {
		t.Fatal("the user sync did not fail with ServiceJourney dropping GETUSERS")
	}
	b := openSupervisorPage(t, d, demoSamID, "de-de")
	runIn(b, chromedp.Click("#tab-activity"))
	users := `#jobs tr[data-job-details="users"]`
	b.waitText(users, "Der letzte Lauf ist")
	b.waitText(users, "Die bisherige Benutzerzuordnung bleibt in Betrieb.")
	ix := `#jobs tr[data-job-details="interactions"]`
	// The in-process job may have run again since: its sentence, whatever the numbers.
	b.waitText(ix, "Protokolliert bis")
	if txt := evalJS[string](b, `document.querySelector('`+ix+`').innerText`); !regexp.MustCompile(`\d+ Gespräche: \d+ protokolliert, \d+ warten auf Nachbearbeitung, \d+ noch offen, \d+ unverändert`).MatchString(txt) {
		t.Errorf("interaction sync details %q do not say what the run did", txt)
	}
	// The English line is there for the administrator, closed.
	if open := evalJS[bool](b, `document.querySelector('`+users+` details.admin').open`); open {
		t.Error("the administrator details are open")
	}
	if line := evalJS[string](b, `document.querySelector('`+users+` details.admin code').textContent`); !strings.Contains(line, "user sync") && !strings.Contains(line, "usermap") {
		t.Errorf("administrator details hold %q, want the server's line", line)
	}
	// Opened, it stays open across the page's redraws (every second here).
	b.clickNow(users + " details.admin summary")
	before := evalJS[string](b, `document.getElementById("updated").textContent`)
	b.waitFor(`document.getElementById("updated").textContent !== `+strconv.Quote(before), "a redraw")
	b.waitFor(`document.querySelector('`+users+` details.admin').open`, "the opened details stay open")
	shown := evalJS[string](b, `Array.from(document.querySelectorAll("#jobs tr, #upstreams tr")).map(r => { const c = r.cloneNode(true); c.querySelectorAll("details.admin").forEach(x => x.remove()); return c.innerText; }).join("\n")`)
	for _, raw := range []string{"{", "}", "\":", "durationSeconds", "serviceJourneyCounts", "genesysUsers", "mapUpdated", "channelsConnected", "last.", "true", "false", "failed", "reading servicejourney"} {
		if strings.Contains(shown, raw) {
			t.Errorf("the jobs show %q:\n%s", raw, shown)
		}
	}
	b.screenshot("supervisor-sync-details-de")
	// Once the listing works again, a user sync clears the failure.
	d.sj.ClearFaults()
	if _, err := d.app.userSync.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	b.waitText(users, "ServiceJourney-Benutzer gelesen")
	// The page redraws every second: read the row as it is now, in one go.
	if txt := evalJS[string](b, `document.querySelector('`+users+`').innerText`); strings.Contains(txt, "fehlgeschlagen") {
		t.Errorf("a successful run still shows the failure: %q", txt)
	}
}
