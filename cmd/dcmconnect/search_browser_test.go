package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// search puts text into the widget's search as typing does (an input
// event: the kind follows the text unless chosen) and submits it with
// Enter. Typing key by key is left to the keyboard-only test: on a loaded
// machine a long text takes longer than a wait's budget.
func search(b *browser, text string) {
	b.t.Helper()
	runIn(b, chromedp.Evaluate[chromedp.Void](`(function () {
		var e = document.getElementById("search-text");
		e.value = `+jsString(text)+`;
		e.dispatchEvent(new Event("input", { bubbles: true }));
	})()`))
	runIn(b, chromedp.SendKeys("#search-text", kb.Enter))
}

// results waits for a finished search and returns the listed record ids.
func results(b *browser, state string) []string {
	b.t.Helper()
	b.waitFor(`document.getElementById("search-status").getAttribute("data-state") === `+jsString(state), "search "+state)
	return runIn(b, chromedp.Evaluate[[]string](`Array.prototype.map.call(document.querySelectorAll("#search-results button.match"), function (e) { return e.getAttribute("data-id"); })`))
}

// waitCustomerData waits until the customer participant's data in Genesys
// (the transfer context, written just after the log) has key = want.
func waitCustomerData(t *testing.T, d *demoStack, conv, key, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		c, _ := d.genesys.Conversation(conv)
		got := ""
		for _, p := range c.Participants {
			if p.Purpose == "customer" {
				got = p.Attributes[key]
			}
		}
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("transfer context %s = %q; want %q", key, got, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Done-when (issue 18 item 3): the agent searches ServiceJourney from the
// widget by name, e-mail, phone and case number, chooses a record, sets a
// wrong one aside and gets back to the results; the chosen record is what
// the logged interaction and the conversation's data name.
func TestAgentSearchAt400Pixels(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})

	t.Run("one match set aside, then by name", func(t *testing.T) {
		t.Parallel()
		b := widgetPage(t, d, demoConvOne, demoAnnID, "")
		b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0`, "the popped party")
		waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" })
		// The page has the log's answer too: its badge takes a line of the
		// 400 px header and moves the buttons down, under a click aimed
		// where the button was (the page never saw it, once under load).
		b.waitText("#logstate", "Logged")
		runIn(b, chromedp.Click(`#not-this`))
		// Back at the "no match" choices, with the search offered by the pop's number.
		b.waitFor(`!document.getElementById("none").hidden && !document.getElementById("search").hidden && document.getElementById("sj").hidden`, "the match set aside")
		if got := b.eval(`document.getElementById("search-kind").value + " " + document.getElementById("search-text").value`); got != "phone +14155550101" {
			t.Errorf("search offered as %q; want the pop's number", got)
		}
		if live := b.eval(`document.getElementById("search-status").getAttribute("aria-live")`); live != "polite" {
			t.Errorf("search status aria-live = %q", live)
		}
		runIn(b, chromedp.Evaluate[chromedp.Void](`document.getElementById("search-kind").value = "name"`))
		search(b, "brown")
		if got := results(b, "found"); fmt.Sprint(got) != "[P-2 P-3 P-4]" {
			t.Fatalf("name brown: %v", got)
		}
		b.waitText("#search-status", "3 records match")
		fitsTheWidget(t, b, "search results")
		b.screenshot("widget400_search_results")

		runIn(b, chromedp.Click(`#search-results button[data-id="P-3"]`))
		b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-3") > 0 && !document.getElementById("not-this").hidden`, "the chosen party")
		b.waitText("#back", "Back to the results")
		waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-3" })
		waitCustomerData(t, d, demoConvOne, "PartyId", "P-3")
		fitsTheWidget(t, b, "chosen record")

		// Not this one either: back to the same results, choose another.
		runIn(b, chromedp.Click(`#not-this`))
		b.waitFor(`!document.getElementById("search").hidden && document.getElementById("sj").hidden && document.querySelectorAll("#search-results button.match").length === 3`, "back at the results")
		runIn(b, chromedp.Click(`#search-results button[data-id="P-2"]`))
		waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-2" })
		waitCustomerData(t, d, demoConvOne, "PartyId", "P-2")
		noConsoleErrors(t, b)
	})

	t.Run("from the picker, by e-mail, keyboard only", func(t *testing.T) {
		t.Parallel()
		b := widgetPage(t, d, demoConvMany, demoAnnID, "")
		b.patient() // typing key by key
		b.waitFor(`!document.getElementById("picker").hidden && !document.getElementById("search-open").hidden`, "picker with a search button")
		runIn(b, chromedp.SendKeys(`#search-open`, kb.Enter))
		b.waitFor(`!document.getElementById("search").hidden && document.activeElement === document.getElementById("search-text")`, "the search open, its field focused")
		runIn(b, chromedp.SendKeys("#search-text", "erin@example.org"+kb.Enter))
		if got := results(b, "found"); fmt.Sprint(got) != "[P-5]" {
			t.Fatalf("e-mail erin@example.org: %v", got)
		}
		if k := b.eval(`document.getElementById("search-kind").value`); k != "email" {
			t.Errorf("kind %q for an e-mail address; want email", k)
		}
		b.waitText("#search-status", "One record matches")
		runIn(b, chromedp.SendKeys(`#search-results button[data-id="P-5"]`, kb.Enter))
		b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-5") > 0`, "the chosen party")
		waitRecord(t, d, demoConvMany, func(in appbasetest.Interaction) bool { return in.PartyID == "P-5" })
		// Back to the results, and Escape leaves the search for the picker.
		runIn(b, chromedp.Click(`#back`))
		b.waitFor(`!document.getElementById("search").hidden`, "back at the results")
		runIn(b, chromedp.SendKeys("#search-text", kb.Escape))
		b.waitFor(`!document.getElementById("picker").hidden && document.getElementById("search").hidden`, "the picker again")
		fitsTheWidget(t, b, "picker after the search")
	})

	t.Run("no match, by phone and by case number", func(t *testing.T) {
		t.Parallel()
		b := widgetPage(t, d, demoConvNone, demoAnnID, "&gcLangTag=de-de")
		b.waitFor(`!document.getElementById("none").hidden && !document.getElementById("search").hidden`, "no match, with the search")
		search(b, "(415) 555-0123")
		if got := results(b, "found"); fmt.Sprint(got) != "[P-5]" {
			t.Fatalf("phone (415) 555-0123: %v", got)
		}
		search(b, "zz top")
		if got := results(b, "none"); len(got) != 0 {
			t.Fatalf("zz top: %v", got)
		}
		b.waitText("#search-status", "In ServiceJourney passt nichts zu „zz top“")
		search(b, "CASE-0002")
		if got := results(b, "found"); fmt.Sprint(got) != "[2]" {
			t.Fatalf("case CASE-0002: %v", got)
		}
		if k := b.eval(`document.getElementById("search-kind").value`); k != "case" {
			t.Errorf("kind %q for a case number; want case", k)
		}
		fitsTheWidget(t, b, "case result (de-de)")
		for _, e := range englishOnly(t, "shared.json", "agent.json") {
			if text := b.eval(`document.body.innerText`); strings.Contains(text, e) {
				t.Errorf("the German search shows English %q", e)
			}
		}
		runIn(b, chromedp.Click(`#search-results button[data-id="2"]`))
		b.waitFor(`document.getElementById("sj").src.indexOf("Case_Id=2") > 0`, "the chosen case")
		waitRecord(t, d, demoConvNone, func(in appbasetest.Interaction) bool { return in.CaseID == "2" })
		waitCustomerData(t, d, demoConvNone, "CaseId", "CASE-0002")
	})
}

// With ServiceJourney down the search says so (no internals), and works
// once it is back; a long result list is capped with "more results".
func TestAgentSearchWhenServiceJourneyIsDownAndWithManyResults(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	for i := range 25 {
		d.sj.AddParty(appbasetest.Party{Name: fmt.Sprintf("Smith %02d", i), Phone: fmt.Sprintf("+1212555%04d", i)})
	}
	d.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	b := widgetPage(t, d, demoConvOne, demoAnnID, "")
	b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "sj-down" && !document.getElementById("search-open").hidden`, "ServiceJourney down, search offered")
	runIn(b, chromedp.Click(`#search-open`))
	search(b, "smith")
	results(b, "error")
	b.waitText("#search-status", "ServiceJourney is not reachable right now")
	visible := b.eval(`document.body.innerText`)
	for _, internal := range []string{"appbase", "transport", "EOF", "FINDPARTIES", "rule "} {
		if strings.Contains(visible, internal) {
			t.Errorf("the agent sees %q:\n%s", internal, visible)
		}
	}
	if admin := b.eval(`document.getElementById("search-admin").textContent`); !strings.Contains(admin, "Request ") {
		t.Errorf("search administrator details = %q", admin)
	}
	fitsTheWidget(t, b, "search with ServiceJourney down")

	d.sj.ClearFaults()
	search(b, "smith")
	if got := results(b, "more"); len(got) != 20 {
		t.Fatalf("25 Smiths: %d listed; want the first 20", len(got))
	}
	b.waitText("#search-status", "Showing the first 20; more records match")
	if b.eval(`String(document.getElementById("search-admin").hidden)`) != "true" {
		t.Error("the administrator details of the failed search are still shown")
	}
	fitsTheWidget(t, b, "more results")
	b.screenshot("widget400_search_more")
	// Back from the search to where the agent was.
	runIn(b, chromedp.Click(`#search-close`))
	b.waitFor(`document.getElementById("search").hidden && document.getElementById("status").getAttribute("data-reason") === "sj-down"`, "back at the message")
}

// An internal call offers the search too; a record a ServiceJourney page
// says it created is what the log and the transfer context name.
func TestAgentSearchFromAnInternalCallAndACreatedRecord(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})

	t.Run("internal call", func(t *testing.T) {
		t.Parallel()
		const conv = "c0000000-0000-4000-8000-0000000000ab"
		start := time.Now().Add(-time.Minute)
		d.genesys.AddConversation(genesystest.Conversation{ID: conv, StartTime: start, Participants: []genesystest.Participant{
			{Purpose: "user", UserID: demoBenID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "outbound", ConnectedTime: &start}}},
			{Purpose: "user", UserID: demoAnnID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &start}}},
		}})
		b := widgetPage(t, d, conv, demoAnnID, "")
		b.waitFor(`!document.getElementById("internal").hidden && !document.getElementById("search-open").hidden`, "internal call with a search button")
		if heard := b.eval(`document.getElementById("announce").textContent`); heard != "Internal call" {
			t.Errorf("a screen reader hears %q for an internal call", heard)
		}
		runIn(b, chromedp.Click(`#search-open`))
		search(b, "alice")
		if got := results(b, "found"); fmt.Sprint(got) != "[P-1]" {
			t.Fatalf("name alice: %v", got)
		}
		fitsTheWidget(t, b, "search from an internal call")
		runIn(b, chromedp.Click(`#search-results button[data-id="P-1"]`))
		b.waitFor(`document.getElementById("announce").textContent.indexOf("Showing Alice Customer") === 0`, "the chosen record announced")
		waitRecord(t, d, conv, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" })
	})

	t.Run("created record", func(t *testing.T) {
		t.Parallel()
		const conv = "c0000000-0000-4000-8000-0000000000ac"
		start := time.Now().Add(-time.Minute)
		connected := start.Add(10 * time.Second)
		d.genesys.AddConversation(genesystest.Conversation{ID: conv, OriginatingDirection: "inbound", StartTime: start, Participants: []genesystest.Participant{
			{Purpose: "customer", ANI: "tel:+14155550777", Address: "tel:+14155550777", StartTime: start,
				Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
			{Purpose: "agent", UserID: demoAnnID, StartTime: connected, ConnectedTime: &connected, WrapupRequired: true,
				Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
		}})
		b := widgetPage(t, d, conv, demoAnnID, "")
		b.waitFor(`!document.getElementById("none").hidden`, "no match")
		waitRecord(t, d, conv, func(in appbasetest.Interaction) bool { return in.PartyID == "" })
		runIn(b, chromedp.Click(`#create`))
		created := d.sj.AddParty(appbasetest.Party{Name: "New Customer", Phone: "+14155550777"}) // what the create page made
		shell := d.sj.URL() + "/Ecx.Web?"
		b.waitFor(`document.getElementById("sj").src.indexOf("/Ecx.Web?appid=") > 0`, "create page opened")
		b.frameText(shell, "#page", "Ecx.Web")
		runIn(b, inFrame[bool](shell, `parent.postMessage({type: "dcm.record", kind: "party", id: `+jsString(created.ID)+`}, "*"); return true`))
		waitRecord(t, d, conv, func(in appbasetest.Interaction) bool { return in.PartyID == created.ID })
		waitCustomerData(t, d, conv, "PartyId", created.ID)
	})
}
