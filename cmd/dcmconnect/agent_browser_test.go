package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// inFrame runs body (a function body that returns the value) in the child
// frame whose URL starts with prefix (the ServiceJourney page in the agent
// page's iframe), in that frame's own world (frameEval): what it posts comes
// from ServiceJourney's origin.
func inFrame[T any](prefix, body string) chromedp.Action[T] {
	return func(ctx context.Context, t *chromedp.Target) (T, error) {
		frame, err := findFrame(ctx, t, prefix)
		if err != nil {
			var zero T
			return zero, err
		}
		return frameEval[T](ctx, t, frame.ID, body)
	}
}

func (b *browser) eval(expr string) string {
	b.t.Helper()
	return runIn(b, chromedp.Evaluate[string](expr))
}

func jsString(s string) string { b, _ := json.Marshal(s); return string(b) }

// agentPage starts a browser on the agent page for a conversation, signed in as user.
func agentPage(t *testing.T, d *demoStack, conv, user, extra string) *browser {
	t.Helper()
	waitUserMap(t, d)
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	b.ignoreOrigin(d.sj.URL())
	b.openSignedIn(d, user, d.PublicURL+"/dcm-connect-docs/index.html?gcConversationId="+conv+"&gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcTargetEnv=prod"+extra)
	return b
}

// waitRecord waits until ServiceJourney holds the interaction and check accepts it.
func waitRecord(t *testing.T, d *demoStack, conv string, check func(appbasetest.Interaction) bool) appbasetest.Interaction {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		in, ok := d.sj.Interaction(conv)
		if ok && check(in) {
			return in
		}
		if time.Now().After(deadline) {
			t.Fatalf("interaction %s never as expected; last %+v (found %v)", conv, in, ok)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// noConsoleErrors fails on console errors except the expected failed
// answers (Chrome logs every 4xx/5xx fetch) containing one of allowed.
func noConsoleErrors(t *testing.T, b *browser, allowed ...string) {
	t.Helper()
	var errs []string
	for _, e := range b.consoleErrors() {
		ok := false
		for _, a := range allowed {
			ok = ok || strings.Contains(e, a)
		}
		if !ok {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// Done-when: the browser tests of the screen pop on the demo stack.
func TestAgentPageScreenPop(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	sj := d.sj.URL() + "/Ecx.Web/do/"

	t.Run("one match opens the party", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvOne, demoAnnID, "&gcLangTag=en-us")
		b.waitFor(`!document.getElementById("sj").hidden && document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0`, "party page in the frame")
		src := b.eval(`document.getElementById("sj").src`)
		// The stock DCM party detail page, embedded.
		if want := sj + "root_UTIL_CaseManagement?app=ExternalPartyDetailRuntime&group=FOM&usePageConfig=1&ExternalParty_Id=P-1&EmbeddedMode=1&d=" + url.QueryEscape(d.sj.Domain()); src != want {
			t.Errorf("frame src = %s, want %s", src, want)
		}
		b.frameText(sj, "#party .name", "Alice Customer")
		b.frameText(sj, "#embedded", "Embedded mode")
		// Logged at connect, with the party and the agent's ServiceJourney user.
		waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" && in.AgentUserID == "101" })
		b.waitText("#logstate", "Logged")
		b.screenshot("agent_one")
		noConsoleErrors(t, b)
	})

	t.Run("three matches show a picker of three", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvMany, demoAnnID, "")
		b.waitFor(`!document.getElementById("picker").hidden`, "picker shown")
		if n := runIn(b, chromedp.Evaluate[int](`document.querySelectorAll("#matches button.match").length`)); n != 3 {
			t.Fatalf("picker has %d entries, want 3", n)
		}
		list := b.eval(`document.getElementById("matches").textContent`)
		for _, name := range []string{"Bob Brown", "Bobby Brown Jr", "Brown Household"} {
			if !strings.Contains(list, name) {
				t.Errorf("picker %q lacks %s", list, name)
			}
		}
		if !strings.Contains(b.eval(`document.getElementById("picker-key").textContent`), "+14155550199") {
			t.Error("the picker does not say what matched")
		}
		b.screenshot("agent_picker")
		runIn(b, chromedp.Click(`#matches button[data-id="P-3"]`))
		b.waitFor(`!document.getElementById("sj").hidden && document.getElementById("sj").src.indexOf("Party_Id=P-3") > 0`, "picked party opened")
		b.frameText(sj, "#party .name", "Bobby Brown Jr")
		// The agent's choice goes into the log.
		waitRecord(t, d, demoConvMany, func(in appbasetest.Interaction) bool { return in.PartyID == "P-3" })
		runIn(b, chromedp.Click(`#back`))
		b.waitFor(`!document.getElementById("picker").hidden && document.getElementById("sj").hidden`, "back to the list")
		noConsoleErrors(t, b)
	})

	t.Run("internal call offers nothing to create", func(t *testing.T) {
		t.Parallel()
		const conv = "c0000000-0000-4000-8000-0000000000aa"
		start := time.Now().Add(-time.Minute)
		d.genesys.AddConversation(genesystest.Conversation{ID: conv, StartTime: start, Participants: []genesystest.Participant{
			{Purpose: "user", UserID: demoBenID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "outbound", ConnectedTime: &start}}},
			{Purpose: "user", UserID: demoAnnID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &start}}},
		}})
		b := agentPage(t, d, conv, demoAnnID, "")
		b.waitFor(`!document.getElementById("internal").hidden`, "internal panel shown")
		if hidden := b.eval(`String(document.getElementById("none").hidden && document.getElementById("create").offsetParent === null && document.getElementById("sj").hidden)`); hidden != "true" {
			t.Error("an internal call offers a create page or a record")
		}
		noConsoleErrors(t, b)
	})

	t.Run("no match offers create new", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvNone, demoAnnID, "")
		b.waitFor(`!document.getElementById("none").hidden`, "none panel shown")
		b.waitText("#create", "Create new case")
		if !strings.Contains(b.eval(`document.getElementById("none-key").textContent`), "+14155550000") {
			t.Error("the page does not say which number found nothing")
		}
		b.screenshot("agent_none")
		runIn(b, chromedp.Click(`#create`))
		b.waitFor(`document.getElementById("sj").src.indexOf("/Ecx.Web?appid=") > 0`, "create page opened")
		src := b.eval(`document.getElementById("sj").src`)
		if !strings.Contains(src, "Phone=%2B14155550000") || !strings.Contains(src, "ConversationId="+demoConvNone) {
			t.Errorf("create URL not prefilled: %s", src)
		}
		b.frameText(d.sj.URL()+"/Ecx.Web?", "#page", "Ecx.Web")
		noConsoleErrors(t, b)
	})

	t.Run("an unmapped agent sees the not-mapped message", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvCarla, demoCarlaID, "")
		b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "not-mapped"`, "not-mapped message")
		b.waitText("#status", "not linked to a ServiceJourney user")
		if b.eval(`String(document.getElementById("sj").hidden)`) != "true" {
			t.Error("the ServiceJourney frame is shown to an unmapped agent")
		}
		// The interaction is still logged, without an agent.
		waitRecord(t, d, demoConvCarla, func(in appbasetest.Interaction) bool { return in.AgentUserID == "" && in.ANI == "+14155550101" })
		b.screenshot("agent_not_mapped")
		noConsoleErrors(t, b, "status of 403 (Forbidden) (http://"+strings.TrimPrefix(d.PublicURL, "http://")+"/dcm-connect-service/DCMServices.asmx/ScreenPop)")
	})
}

func TestAgentPageCaseGoneAndLanguage(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})

	t.Run("CaseId participant data opens the case, in German", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, demoConvCase, demoAnnID, "&gcLangTag=de-de")
		b.waitFor(`document.getElementById("sj").src.indexOf("Case_Id=1") > 0`, "case page")
		b.frameText(d.sj.URL()+"/Ecx.Web/do/", "#case .caseid", "CASE-0001")
		b.waitText("#logstate", "Protokolliert")
		noConsoleErrors(t, b)
	})
	t.Run("a conversation that is gone", func(t *testing.T) {
		t.Parallel()
		b := agentPage(t, d, "c0000000-0000-4000-8000-00000000dead", demoAnnID, "&gcLangTag=fr-fr")
		b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "gone"`, "gone message")
		b.waitText("#status", "n'existe plus")
	})
	t.Run("legacy pc parameters", func(t *testing.T) {
		t.Parallel()
		waitUserMap(t, d)
		b := newBrowser(t)
		b.ignoreOrigin(d.genesys.URL())
		b.ignoreOrigin(d.sj.URL())
		b.openSignedIn(d, demoAnnID, d.PublicURL+"/dcm-connect-docs/index.html?pcConversationId="+demoConvNone+"&pcEnvironment=mypurecloud.ie&pcLangTag=es-es")
		b.waitText("#create", "Crear un caso nuevo")
		noConsoleErrors(t, b)
	})
}

func TestAgentPageServiceJourneyDownThenRetry(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	d.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	b := agentPage(t, d, demoConvOne, demoAnnID, "")
	b.waitFor(`document.getElementById("status").getAttribute("data-reason") === "sj-down"`, "ServiceJourney-down message")
	b.waitText("#status", "ServiceJourney is not reachable")
	b.screenshot("agent_sj_down")
	d.sj.ClearFaults()
	runIn(b, chromedp.Click(`#retry`))
	b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0 && document.getElementById("status").hidden`, "record after retry")
}

// The ServiceJourney page asks to dial by postMessage; the agent page
// places the call as the agent. Messages from any other origin are ignored.
func TestAgentPageClickToDial(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := agentPage(t, d, demoConvOne, demoAnnID, "")
	sj := d.sj.URL() + "/Ecx.Web/do/"
	b.frameText(sj, "#party .name", "Alice Customer")
	calls := func() int { return d.genesys.Requests("POST /api/v2/conversations/calls") }

	// Our own page (wrong origin) cannot make it dial. The page handles
	// messages in order and starts a dial's request at once, so once a marker
	// posted after the message has arrived and none of the page's requests is
	// in flight, a wrongly accepted dial would have reached the server.
	runIn(b, chromedp.Evaluate[chromedp.Void](`(function () {
		var f = window.fetch;
		window.dcmTestInflight = 0;
		window.fetch = function () {
			window.dcmTestInflight++;
			return f.apply(this, arguments).finally(function () { window.dcmTestInflight--; });
		};
		window.addEventListener("message", function (e) { if (e.data && e.data.type === "dcm.test.mark") { window.dcmTestMarked = true; } });
		window.postMessage({type:"dcm.dial", number:"+14155550123"}, "*");
		window.postMessage({type:"dcm.test.mark"}, "*");
	})()`))
	b.waitFor(`window.dcmTestMarked === true && window.dcmTestInflight === 0`, "the wrong-origin message handled")
	if n := calls(); n != 0 {
		t.Fatalf("a message from the wrong origin placed %d call(s)", n)
	}

	runIn(b, inFrame[bool](sj, `window.addEventListener("message", function (e) { if (e.data && e.data.type === "dcm.dial.result") { document.body.setAttribute("data-dial", JSON.stringify(e.data)); } }); parent.postMessage({type:"dcm.dial", number:"(415) 555-0123"}, "*"); return true`))
	b.waitText("#notice", "Calling (415) 555-0123")
	// The page answers the frame once Genesys has placed the call.
	b.frameTextAttr(sj, "data-dial", `"ok":true`)
	var placed bool
	for _, c := range d.genesys.Conversations() {
		if c.OriginatingDirection != "outbound" {
			continue
		}
		for _, p := range c.Participants {
			placed = placed || (p.UserID == demoAnnID && p.Address == "tel:+14155550123")
		}
	}
	if !placed {
		t.Fatal("no outbound call from Ann to +14155550123 in Genesys")
	}
	noConsoleErrors(t, b)
}

// The page logs disconnect and wrap-up as it sees them happen (it polls
// the agent's leg), completing the record connect started.
func TestAgentPageLogsDisconnectAndWrapup(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := agentPage(t, d, demoConvOne, demoAnnID, "&pollSeconds=1")
	waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" && in.End.IsZero() })

	ended := time.Now().UTC()
	if err := d.genesys.UpdateConversation(demoConvOne, func(c *genesystest.Conversation) {
		c.EndTime = &ended
		for i := range c.Participants {
			p := &c.Participants[i]
			p.EndTime = &ended
			for j := range p.Calls {
				p.Calls[j].State, p.Calls[j].DisconnectedTime = "disconnected", &ended
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return !in.End.IsZero() && in.WrapupCode == "" })
	b.waitFor(`document.getElementById("logstate").getAttribute("data-event") === "disconnect"`, "disconnect logged")

	if err := d.genesys.UpdateConversation(demoConvOne, func(c *genesystest.Conversation) {
		for i := range c.Participants {
			if c.Participants[i].UserID == demoAnnID {
				c.Participants[i].Wrapup = &genesystest.Wrapup{Code: "w0000000-0000-4000-8000-000000000001", Notes: "done"}
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	in := waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.WrapupName == "Resolved" })
	if in.WrapupNotes != "done" || in.PartyID != "P-1" || in.AgentUserID != "101" || in.QueueName != "Support" {
		t.Errorf("final record %+v", in)
	}
	n := 0
	for _, r := range d.sj.Interactions() {
		if r.ConversationID == demoConvOne {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d records for the conversation, want 1", n)
	}
	noConsoleErrors(t, b)
}

// With pcUsePopupAuth the sign-in runs in a popup, which hands the answer
// back to the page; the page then pops the record as usual.
func TestAgentPagePopupSignIn(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	b := newDesktopBrowser(t) // the headless shell has no popup blocker
	b.ignoreOrigin(d.genesys.URL())
	b.ignoreOrigin(d.sj.URL())
	popups := chromedp.WaitNewTarget(b.ctx, func(info *target.Info) bool { return strings.HasPrefix(info.URL, d.genesys.URL()+"/oauth/authorize") })
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/index.html?gcConversationId="+demoConvOne+"&pcUsePopupAuth=true"))
	// Headless Chromium blocks a popup opened without a click: the page offers a button.
	runIn(b, chromedp.WaitVisible("#dcm-signin"))
	runIn(b, chromedp.Click("#dcm-signin"))
	var id target.ID
	select {
	case id = <-popups:
	case <-time.After(15 * time.Second):
		t.Fatal("no sign-in popup opened")
	}
	pctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
	defer cancel()
	ctx, cancel2 := context.WithTimeout(pctx, 15*time.Second)
	defer cancel2()
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible("#login-"+demoAnnID)); err != nil {
		t.Fatalf("popup login page: %v", err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Click("#login-"+demoAnnID)); err != nil {
		t.Fatalf("popup click: %v", err)
	}
	b.waitText("#connection", "Connected as Ann Agent")
	b.waitFor(`document.getElementById("sj").src.indexOf("Party_Id=P-1") > 0`, "party page after popup sign-in")
	if loc := runIn(b, chromedp.Location()); strings.Contains(loc, "code=") {
		t.Errorf("the page itself navigated for the sign-in: %s", loc)
	}
	noConsoleErrors(t, b)
}
