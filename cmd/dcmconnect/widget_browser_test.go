package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/usermap"
)

// The agent page lives in the Genesys interaction widget, about 400 px wide.
const widgetWidth, widgetHeight = 400, 700

// widgetPage is the agent page at the widget's size.
func widgetPage(t *testing.T, d *demoStack, conv, user, extra string) *browser {
	t.Helper()
	b := agentPage(t, d, conv, user, extra)
	runIn(b, chromedp.EmulateViewport(widgetWidth, widgetHeight))
	return b
}

// fitsTheWidget fails when the page scrolls sideways or the signed-in
// name is not on screen.
func fitsTheWidget(t *testing.T, b *browser, state string) {
	t.Helper()
	b.waitText("#connection", "Ann Agent")
	got := runIn(b, chromedp.Evaluate[[]int](`(function () {
		var c = document.getElementById("connection").getBoundingClientRect();
		return [document.documentElement.scrollWidth, window.innerWidth, Math.ceil(c.right), document.body.scrollWidth];
	})()`))
	if got[0] > got[1] || got[3] > got[1] {
		t.Errorf("%s: the page is %d px wide (body %d) in a %d px widget: it scrolls sideways", state, got[0], got[3], got[1])
	}
	if got[2] > got[1] {
		t.Errorf("%s: the signed-in name ends at %d px, past the %d px widget", state, got[2], got[1])
	}
}

// Done-when: no horizontal overflow at 400x700 in each agent state, nor
// at the widget's narrowest and widest (360 and 500 px); a screen reader
// hears what each state shows (the announcement, a live region), in the
// page's language.
func TestAgentWidgetAt400PixelsInEveryState(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	cases := []struct {
		name, conv, user, ready, heard string
	}{
		{"one match", demoConvOne, demoAnnID, `document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0 && document.getElementById("logstate").textContent !== ""`,
			"Angezeigt: Alice Customer"},
		{"picker", demoConvMany, demoAnnID, `!document.getElementById("picker").hidden`, "3 Datensätze passen zu"},
		{"no match", demoConvNone, demoAnnID, `!document.getElementById("none").hidden`, "Kein passender Datensatz. In ServiceJourney passt nichts zu"},
		{"gone", "c0000000-0000-4000-8000-00000000dead", demoAnnID, `document.getElementById("status").getAttribute("data-reason") === "gone"`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b := widgetPage(t, d, c.conv, c.user, "&gcLangTag=de-de")
			b.waitFor(c.ready, c.name)
			fitsTheWidget(t, b, c.name)
			b.screenshot("widget400_" + strings.ReplaceAll(c.name, " ", "_"))
			heard := b.eval(`(function (e) { return e.getAttribute("role") === "status" && e.getAttribute("aria-live") === "polite" ? e.textContent : "no live region"; })(document.getElementById("announce"))`)
			if c.heard == "" {
				// The visible status (a live region too) says it; nothing beside it.
				if heard != "" || b.eval(`document.getElementById("status").getAttribute("role")`) != "status" {
					t.Errorf("%s: announcement %q beside the status; want none", c.name, heard)
				}
			} else if !strings.Contains(heard, c.heard) {
				t.Errorf("%s: a screen reader hears %q; want %q", c.name, heard, c.heard)
			}
			// One scroll area: the page itself never scrolls; a record's frame
			// fills what the header and the bar leave.
			got := evalJS[[]int](b, `(function () {
				var f = document.getElementById("sj").getBoundingClientRect();
				return [document.documentElement.scrollHeight, window.innerHeight, document.getElementById("sj").hidden ? -1 : Math.round(f.bottom)];
			})()`)
			if got[0] > got[1] {
				t.Errorf("%s: the page is %d px high in a %d px widget: it scrolls as a whole", c.name, got[0], got[1])
			}
			if got[2] >= 0 && got[2] < got[1]-24 {
				t.Errorf("%s: the record's frame ends at %d px, leaving %d px of the %d px widget empty", c.name, got[2], got[1]-got[2], got[1])
			}
			for _, w := range []int64{360, 500} {
				runIn(b, chromedp.EmulateViewport(w, widgetHeight))
				b.waitFor(fmt.Sprintf("window.innerWidth === %d", w), "the new width")
				fitsTheWidget(t, b, fmt.Sprintf("%s at %d px", c.name, w))
			}
		})
	}
}

// Done-when: with ServiceJourney down the badge shows no internals, does
// not widen the page, and clears after a successful retry; the request id
// and the technical line wait in "Administrator details".
func TestAgentWidgetServiceJourneyDownShowsNoInternalsAndClearsOnRetry(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	d.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	d.sj.Fault("UPSERTINTERACTION", appbasetest.Fault{Drop: true})
	b := widgetPage(t, d, demoConvOne, demoAnnID, "&gcLangTag=de-de")
	b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "sj-down"`, "ServiceJourney-down message")
	b.waitFor(`document.getElementById("logstate").classList.contains("fail")`, "the log failed")
	b.waitText("#logstate", "Nicht gespeichert")
	b.waitText("#status", "ServiceJourney ist gerade nicht erreichbar")
	fitsTheWidget(t, b, "ServiceJourney down")
	b.screenshot("widget400_sj_down")

	visible := b.eval(`document.body.innerText`)
	for _, internal := range []string{"appbase", "transport", "EOF", "UPSERT", "FINDPARTIES", "rule ", "HTTP 5"} {
		if strings.Contains(visible, internal) {
			t.Errorf("the agent sees %q:\n%s", internal, visible)
		}
	}
	for _, english := range []string{"Not saved", "not reachable", "Try again", "Administrator details"} {
		if strings.Contains(visible, english) {
			t.Errorf("the German page shows English %q:\n%s", english, visible)
		}
	}
	// Folded away, for the administrator: the request id and the server's line.
	admin := b.eval(`document.getElementById("status-admin").textContent`)
	if !strings.Contains(admin, "Details für Administratoren") || !strings.Contains(admin, "Request ") || !strings.Contains(admin, "ServiceJourney") {
		t.Errorf("administrator details = %q", admin)
	}
	if b.eval(`String(document.getElementById("status-admin").open)`) != "false" {
		t.Error("the administrator details are open by default")
	}

	d.sj.ClearFaults()
	runIn(b, chromedp.Click(`#retry`))
	b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0 && document.getElementById("status").hidden`, "record after retry")
	b.waitFor(`document.getElementById("logstate").classList.contains("pass")`, "the badge cleared after the retry")
	b.waitText("#logstate", "Protokolliert")
	if b.eval(`String(document.getElementById("status-admin").hidden)`) != "true" {
		t.Error("the administrator details of the old failure are still shown")
	}
	waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" })
	fitsTheWidget(t, b, "after the retry")
}

// Agent recovery: a wrong single match can be set aside ("not this
// customer"), which offers a new case; an unmapped agent can try again,
// and the page tries again by itself, so a new link is picked up.
func TestAgentRecovery(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})

	t.Run("not this customer", func(t *testing.T) {
		t.Parallel()
		b := widgetPage(t, d, demoConvOne, demoAnnID, "")
		b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0`, "party page")
		b.waitText("#not-this", "Not this customer")
		b.waitText("#logstate", "Logged") // the connect log named the party
		runIn(b, chromedp.Click(`#not-this`))
		b.waitFor(`!document.getElementById("none").hidden && document.getElementById("sj").hidden`, "the match set aside")
		b.waitText("#none-key", "set the match aside")
		// At once, without another log by the agent: the record no longer
		// names the party (one clearing write), nor does the conversation's
		// participant data the next agent pops by.
		waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "" && in.Clears == 1 })
		if c, _ := d.genesys.Conversation(demoConvOne); c.Participants[0].Attributes["PartyId"] != "" {
			t.Errorf("participant data still names the rejected party: %v", c.Participants[0].Attributes)
		}
		runIn(b, chromedp.Click(`#create`))
		b.waitFor(`document.getElementById("sj").src.indexOf("/Ecx.Web?appid=") > 0`, "create page opened")
		fitsTheWidget(t, b, "after not this customer")
	})

	t.Run("an unmapped agent retries and gets in once linked", func(t *testing.T) {
		t.Parallel()
		b := widgetPage(t, d, demoConvCarla, demoCarlaID, "&retrySeconds=1")
		b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "not-mapped"`, "not-mapped message")
		b.waitFor(`!document.getElementById("status-actions").hidden`, "a Try again button for the unmapped agent")
		if strings.Contains(b.eval(`document.body.innerText`), "ask a supervisor to map it") {
			t.Error("the server's English line is shown to the agent")
		}
		// A supervisor links Olga's ServiceJourney user to Carla.
		if err := d.app.users.SetExplicit(context.Background(), usermap.SJUsers{Client: d.app.ab}, "106", demoCarlaID); err != nil {
			t.Fatal(err)
		}
		b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0 && document.getElementById("status").hidden`, "record once linked, without a click")
	})
}

// "Not this customer" while the connect log is still on its way (ServiceJourney
// slow): the page forgets the record only once that log has answered, so
// neither the record nor the conversation's participant data keep naming it.
func TestAgentNotThisCustomerWhileTheLogIsOnItsWay(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	d.sj.Fault("UPSERTINTERACTION", appbasetest.Fault{Latency: 1500 * time.Millisecond})
	b := widgetPage(t, d, demoConvOne, demoAnnID, "")
	b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0 && document.getElementById("logstate").hidden`, "party page, the log not answered yet")
	runIn(b, chromedp.Click(`#not-this`))
	b.waitFor(`!document.getElementById("none").hidden`, "the match set aside")
	waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.Writes >= 2 && in.PartyID == "" && in.Clears == 1 })
	if c, _ := d.genesys.Conversation(demoConvOne); c.Participants[0].Attributes["PartyId"] != "" {
		t.Errorf("participant data names the rejected party: %v", c.Participants[0].Attributes)
	}
}
