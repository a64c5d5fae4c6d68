package main

import (
	"dcmconnect/config"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"context"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"
)

// startTestDemo runs the demo stack on random loopback ports for one test.
func startTestDemo(t *testing.T, o demoOptions) *demoStack {
	t.Helper()
	return serveTestDemo(t, newTestDemo(t, o))
}

// newTestDemo builds the demo stack on random loopback ports, not serving yet.
func newTestDemo(t *testing.T, o demoOptions) *demoStack {
	t.Helper()
	o.Listen, o.GenesysAddr, o.SJAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	// The test demo's client does not pace its Genesys requests: the fake sets
	// no limit, and the client's own 300 requests a minute per token (tested
	// with a fake clock in genesys) made the wizard's installs wait most of
	// their tests' time (19 s -> 5 s for one install, retried). A test's own
	// Edit may set a limit again.
	edit := o.Edit
	o.Edit = func(c *config.Config) {
		c.Genesys.RequestsPerMinute = -1
		if edit != nil {
			edit(c)
		}
	}
	if testing.Verbose() {
		o.Log = os.Stderr
	}
	d, err := startDemo(o)
	if err != nil {
		t.Fatal(err)
	}
	deferAccept(t, d.ln)
	return d
}

// serveTestDemo serves d until the test ends, once it is ready.
func serveTestDemo(t *testing.T, d *demoStack) *demoStack {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("demo serve: %v", err)
		}
		d.Close()
	})
	waitReady(t, d.PublicURL+"/readyz")
	// The first user sync runs as serve starts; tests assume the map is there.
	if d.app.cfg.InProcessUserSync() {
		waitUserMap(t, d)
	}
	return d
}

// waitUserMap waits until a user sync has published the map, within the
// test's own budget: the first sync runs beside the start-up seeding, and on
// a loaded machine (race detector, several test binaries on two cores) it
// can take longer than any fixed few seconds.
func waitUserMap(t *testing.T, d *demoStack) {
	t.Helper()
	for deadline := time.Now().Add(testBudget(t)); d.app.users.Report() == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the user map never loaded: %+v", d.app.userSync.LastRun())
		}
	}
}

func waitReady(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s never became ready", url)
}

// signIn chooses a user on the fake Genesys login page the browser was sent
// to, once that page has loaded: the page sent it there, not the test, and
// Chromium's DOM agent numbers a document's nodes anew at its
// DOMContentLoaded (a second DOM.documentUpdated after the commit's), so a
// button found before that and clicked after failed the click with "Could
// not find node with given id" (seen under load).
func (b *browser) signIn(userID string) {
	b.t.Helper()
	b.waitFor(`document.readyState === "complete" && document.getElementById(`+jsString("login-"+userID)+`) !== null`, "the login page with "+userID)
	runIn(b, chromedp.Click("#login-"+userID))
}

// loggedIn gives the tab a login session of userID at the demo's fake
// Genesys (genesystest.LoginSession, a cookie), as an agent's browser has
// once logged in to Genesys Cloud: a page's sign-in then comes straight back
// from the authorize endpoint with the user's code, the page's own sign-in
// (PKCE, state, code exchange, clean address) run as ever, without loading
// the login page and clicking on it (a third of the documents of a page
// open). The tests of the sign-in itself go through the login page (signIn).
func (b *browser) loggedIn(d *demoStack, userID string) {
	b.t.Helper()
	c := d.genesys.LoginSession(userID)
	yes := true
	runIn(b, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, network.SetCookie, network.SetCookieParams{
			Name: c.Name, Value: c.Value, URL: d.genesys.URL() + c.Path, Path: c.Path,
			HTTPOnly: &yes, SameSite: network.CookieSameSiteLax,
		})
		return err
	}))
}

// openSignedIn opens pageURL (one of the demo's pages) as signed in as
// userID earlier in this tab: the page finds the user's token where its
// sign-in keeps it (sessionStorage, dcm.js storeToken), as a page reloaded
// after signing in does, and loads once instead of three times (our page,
// the login page, our page again). Should the page not take the token, its
// sign-in comes straight back (loggedIn). The tests of the sign-in itself go
// through the login page (signIn).
func (b *browser) openSignedIn(d *demoStack, userID, pageURL string) {
	b.t.Helper()
	b.loggedIn(d, userID)
	token, _ := json.Marshal(map[string]any{
		"accessToken": d.genesys.UserToken(userID),
		"expiresAt":   time.Now().Add(time.Hour).UnixMilli(),
	})
	// Set in the new document before its scripts run, in our origin's top
	// frame only, and for this one navigation: a reload after the page
	// dropped the token must not find it again. In the page's own world: an
	// isolated world of the script's would become the world the test's
	// evaluations run in.
	seed := `if (location.origin === ` + jsString(d.PublicURL) + ` && window === window.top) {
		sessionStorage.setItem(` + jsString("dcm.token."+d.app.cfg.Genesys.BrowserClientID) + `, ` + jsString(string(token)) + `);
	}`
	var id page.ScriptIdentifier
	runIn(b, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		r, err := cdp.Call(ctx, t, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: seed})
		id = r.Identifier
		return err
	}))
	runIn(b, chromedp.Navigate(pageURL))
	runIn(b, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.RemoveScriptToEvaluateOnNewDocument, page.RemoveScriptToEvaluateOnNewDocumentParams{Identifier: id})
		return err
	}))
}
