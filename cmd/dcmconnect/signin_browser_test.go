package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A token that stops working mid-session (expired, revoked) must leave the
// page with a way to sign in again, not a dead end.
func TestExpiredTokenMidSessionOffersSignInAgain(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	// Signed in through the login page, not a login session (loggedIn):
	// signing in again must show the login page again.
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/wizard/index.html?langTag=en-us&environment=mypurecloud.ie"))
	b.signIn(demoAdminID)
	b.waitText("#connection", "Connected as Ada Admin")
	b.waitFor(`!document.getElementById("recheck").disabled`, "the first checklist")

	// The token the page holds is no longer accepted by Genesys Cloud.
	runIn(b, chromedp.Evaluate[any](`(function () {
		var k = "dcm.token." + DCMConfig.browserClientId;
		sessionStorage.setItem(k, JSON.stringify({ accessToken: "expired-token", expiresAt: Date.now() + 3600000 }));
		DCM.token = "expired-token";
		return null;
	})()`))
	runIn(b, chromedp.Click("#recheck"))
	b.waitText("#checklist-summary", "session has ended")
	runIn(b, chromedp.WaitVisible("#dcm-signin"))
	if got := runIn(b, chromedp.Evaluate[string](`sessionStorage.getItem("dcm.token." + DCMConfig.browserClientId) || ""`)); got != "" {
		t.Errorf("the refused token stays in sessionStorage: %q", got)
	}

	runIn(b, chromedp.Click("#dcm-signin"))
	b.signIn(demoAdminID)
	b.waitText("#connection", "Connected as Ada Admin")
	b.waitFor(`!document.getElementById("recheck").disabled && document.getElementById("checklist").tBodies[0].rows.length > 0`, "the checklist after signing in again")
	loc := runIn(b, chromedp.Location())
	if !strings.Contains(loc, "langTag=en-us") || strings.Contains(loc, "code=") {
		t.Errorf("after signing in again the address is %s; want the page's parameters without OAuth ones", loc)
	}
	noConsoleErrors(t, b, "401")
}

// A sign-in answer that fails (state mismatch, used code) must not stay in
// the address bar: reloading would replay it and fail again forever.
func TestFailedSignInAnswerIsNotReplayed(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/supervisor.html?langTag=en-us&code=stale-code&state=not-ours"))
	b.waitText("#connection", "did not match")
	loc := runIn(b, chromedp.Location())
	if strings.Contains(loc, "code=") || strings.Contains(loc, "state=") {
		t.Errorf("the failed answer stays in the address bar: %s", loc)
	}
	if !strings.Contains(loc, "langTag=en-us") {
		t.Errorf("the page's own parameters were dropped: %s", loc)
	}
	// Reloading, as the message says, starts a fresh sign-in.
	runIn(b, chromedp.Reload())
	b.signIn(demoSamID)
	b.waitText("#connection", "Connected as Sam Supervisor")

	// The button offered with the error works as well.
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/supervisor.html?langTag=en-us&code=stale-code&state=not-ours"))
	b.waitText("#connection", "did not match")
	runIn(b, chromedp.Click("#dcm-signin"))
	b.signIn(demoSamID)
	b.waitText("#connection", "Connected as Sam Supervisor")
	noConsoleErrors(t, b)
}

// Every form control has a label a screen reader announces, and the
// connection state (sign-in progress, errors) is announced as it changes.
func TestPagesLabelEveryControlAndAnnounceTheConnection(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	// Logged in to Genesys Cloud already, as in the desktop: the sign-in
	// comes straight back from the authorize endpoint.
	b.loggedIn(d, demoSamID)
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/supervisor.html?langTag=en-us"))
	b.waitText("#connection", "Connected as Sam Supervisor")
	for _, page := range []string{"supervisor.html", "index.html", "wizard/index.html"} {
		// The token is in this tab's sessionStorage: no second sign-in.
		runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/"+page+"?langTag=en-us"))
		b.waitText("#connection", "Connected as Sam Supervisor")
		unlabelled := runIn(b, chromedp.Evaluate[[]string](`Array.prototype.slice.call(document.querySelectorAll("input, select, textarea"))
			.filter(function (e) { return !(e.labels && e.labels.length) && !(e.getAttribute("aria-label") || "").trim(); })
			.map(function (e) { return e.id || e.outerHTML; })`))
		if len(unlabelled) > 0 {
			t.Errorf("%s: controls without a label: %v", page, unlabelled)
		}
		if role := runIn(b, chromedp.Evaluate[string](`document.getElementById("connection").getAttribute("role") || ""`)); role != "status" {
			t.Errorf("%s: #connection has role %q, want status (announced when it changes)", page, role)
		}
	}
}

// TestForgedSignInErrorIsNotShown: a link carrying error=...&error_description=...
// that answers no request of ours must not put its wording on the page.
func TestForgedSignInErrorIsNotShown(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/supervisor.html?langTag=en-us&error=access_denied&error_description=Call+0800+FAKE+now&state=forged"))
	txt := b.waitText("#connection", "did not match")
	if strings.Contains(txt, "FAKE") {
		t.Fatalf("forged error text shown: %q", txt)
	}
}
