package main

import (
	"net/http"
	"testing"

	"dcmconnect/genesys/genesystest"
)

// Issue 18: inside the Genesys desktop (a host frame, German) the wizard
// says what needs the administrator's attention as the desktop does, in a
// Client App SDK toast, and at the top of the page in a role=status
// region: a failed install (an error toast that stays, naming the step),
// then the install that went through (it replaces the first, same id).
func TestWizardAnnouncesResultsInTheDesktop(t *testing.T) {
	t.Parallel()
	h := newHostFrame(t)
	d := startBrowserDemo(t, demoOptions{Edit: h.allow})
	const path = "/dcm-connect-docs/wizard/index.html"
	b := h.open(t, d, path+"?langTag=de-de", 1024, 700)
	h.signIn(b, d, demoAdminID)
	page := h.pagePrefix(d, path)
	b.frameValue(page, `document.getElementById("install").disabled ? "" : "ready"`, "ready")
	b.frameValue(page, `document.getElementById("announce").getAttribute("role") + " " + document.getElementById("announce").getAttribute("aria-live")`, "status polite")

	d.genesys.Fault("POST /api/v2/groups", genesystest.Fault{Status: http.StatusForbidden, Times: 1})
	runIn(b, inFrame[bool](page, `document.getElementById("install").click(); return true`))
	toasts := h.waitToasts(b, 1)
	checkToast(t, d, toasts[0], "error", "dcm-wizard", "Einrichtung ServiceJourney Connector", "Agentengruppe")
	b.frameText(page, "#announce", "Agentengruppe")
	b.frameValue(page, `document.getElementById("announce").dataset.kind`, "error")

	d.genesys.ClearFaults()
	b.frameValue(page, `document.getElementById("install").disabled ? "" : "ready"`, "ready")
	runIn(b, inFrame[bool](page, `document.getElementById("install").click(); return true`))
	toasts = h.waitToasts(b, 2)
	checkToast(t, d, toasts[1], "success", "dcm-wizard", "Einrichtung ServiceJourney Connector", "Die Installation ist abgeschlossen")
	b.frameText(page, "#announce", "Die Installation ist abgeschlossen")
	// A re-check after the install keeps its result at the top.
	b.frameValue(page, `document.getElementById("recheck").disabled ? "" : "ready"`, "ready")
	b.frameText(page, "#announce", "Die Installation ist abgeschlossen")
}

// Failing checks are said at the top too (role=status), not only in the
// checklist's summary: here the browser client lost the agent and
// supervisor pages' redirect URIs (the wizard's own still signs in).
func TestWizardAnnouncesFailingChecks(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	for _, c := range d.genesys.OAuthClients() {
		if c.ID == demoBrowserClient {
			c.RedirectURIs = []string{d.PublicURL + "/dcm-connect-docs/wizard/index.html"}
			d.genesys.AddClient(c)
		}
	}
	b := openWizard(t, d, "en-us")
	b.waitText(`#checklist tr[data-id="genesys.browserClient.redirectURIs"]`, "failed")
	b.waitText("#announce", "check(s) failed: they are listed first in the checklist")
	if kind := evalJS[string](b, `document.getElementById("announce").dataset.kind`); kind != "error" {
		t.Errorf("announcement kind %q, want error", kind)
	}
}
