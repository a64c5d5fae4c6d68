package main

import (
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// checkToast asserts one toast as the Client App SDK posts it: from our
// page's origin, in the SDK's protocol, of the type and id given, with
// the title and a message containing want; an error toast stays until
// closed (the SDK requires showCloseButton with it). No internals.
func checkToast(t *testing.T, d *demoStack, got sdkToast, typ, id, title, want string) {
	t.Helper()
	if got.Origin != d.PublicURL || got.Protocol != "purecloud-client-apps" || got.Action != "showToast" {
		t.Errorf("toast %+v: want action showToast, protocol purecloud-client-apps, from %s", got, d.PublicURL)
	}
	if got.Type != typ || got.ID != id || got.Title != title || !strings.Contains(got.Message, want) {
		t.Errorf("toast %+v: want type %s, id %s, title %q, a message with %q", got, typ, id, title, want)
	}
	if !got.ShowCloseButton || got.Markdown || (typ == "error" && (got.Timeout == nil || *got.Timeout != 0)) {
		t.Errorf("toast %+v: want a close button, plain text, and an error toast without a timeout", got)
	}
	for _, internal := range []string{"appbase", "UPSERTINTERACTION", "EOF", "transport", "rule ", "HTTP 5"} {
		if strings.Contains(got.Message, internal) {
			t.Errorf("toast message %q shows internals (%q)", got.Message, internal)
		}
	}
}

// The agent page inside a desktop (a host frame at 400x700, German): a
// log that fails says so in a toast once while the page tries again by
// itself, and its success replaces it; click-to-dial toasts when it calls
// and when the call cannot be placed.
func TestAgentPageToastsInTheDesktop(t *testing.T) {
	t.Parallel()
	h := newHostFrame(t)
	d := startBrowserDemo(t, demoOptions{Edit: h.allow})
	d.sj.Fault("UPSERTINTERACTION", appbasetest.Fault{Drop: true})
	b := h.open(t, d, "/dcm-connect-docs/index.html?gcConversationId="+demoConvOne+"&gcLangTag=de-de&retrySeconds=1", 400, 700)
	h.signIn(b, d, demoAnnID)
	page := h.pagePrefix(d, "/dcm-connect-docs/index.html")
	sj := d.sj.URL() + "/Ecx.Web/do/"

	toasts := h.waitToasts(b, 1)
	checkToast(t, d, toasts[0], "error", "dcm-log", "Interaktionsprotokoll", "Diese Interaktion wurde nicht in ServiceJourney gespeichert")
	b.frameText(page, "#logstate", "Nicht gespeichert")
	// The page tries again by itself; the agent is not told again each time.
	before := d.sj.Requests("UPSERTINTERACTION")
	for deadline := time.Now().Add(testBudget(t)); d.sj.Requests("UPSERTINTERACTION") < before+2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the page did not try the log again by itself (%d attempts)", d.sj.Requests("UPSERTINTERACTION")-before)
		}
	}
	d.sj.ClearFaults()
	toasts = h.waitToasts(b, 2)
	checkToast(t, d, toasts[1], "success", "dcm-log", "Interaktionsprotokoll", "Die Interaktion ist jetzt in ServiceJourney gespeichert.")
	if len(toasts) != 2 {
		t.Errorf("%d toasts for one failure and its success; want 2: %+v", len(toasts), toasts)
	}
	b.frameText(page, "#logstate", "Protokolliert")
	waitRecord(t, d, demoConvOne, func(in appbasetest.Interaction) bool { return in.PartyID == "P-1" })
	b.frameValue(page, `document.documentElement.scrollWidth <= document.documentElement.clientWidth`, "true")

	// Click-to-dial from the ServiceJourney page in our frame.
	b.nestedValue(sj, `(document.querySelector("#party .name")||{}).textContent||""`, "Alice Customer")
	runIn(b, inFrame[bool](sj, `window.addEventListener("message", function (e) { if (e.data && e.data.type === "dcm.dial.result") { document.body.setAttribute("data-dial", JSON.stringify(e.data)); } }); parent.postMessage({type:"dcm.dial", number:"+14155550123"}, "*"); return true`))
	toasts = h.waitToasts(b, 3)
	checkToast(t, d, toasts[2], "info", "dcm-dial", "Klicken zum Wählen", "+14155550123 wird angerufen")
	// The first call is placed before Genesys starts refusing: a fault set
	// while its request was still on the way failed it instead, and its
	// error toast came before the second call's (seen under load).
	b.nestedValue(sj, `document.body.getAttribute("data-dial")||""`, `"ok":true`)
	d.genesys.Fault("POST /api/v2/conversations/calls", genesystest.Fault{Status: 503})
	runIn(b, inFrame[bool](sj, `parent.postMessage({type:"dcm.dial", number:"+14155550124"}, "*"); return true`))
	toasts = h.waitToasts(b, 5)
	checkToast(t, d, toasts[3], "info", "dcm-dial", "Klicken zum Wählen", "+14155550124 wird angerufen")
	checkToast(t, d, toasts[4], "error", "dcm-dial", "Klicken zum Wählen", "Der Anruf konnte nicht aufgebaut werden")
	noConsoleErrors(t, b, "LogInteraction", "ClickToDial", "503", "502")
}
