package main

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPagesRenderAndConnect opens each of the three pages from a running
// demo, signs in through the fake Genesys login (PKCE), and checks the page
// title, its connection state and a clean console.
func TestPagesRenderAndConnect(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	pages := []struct{ path, title, user, name string }{
		{"index.html?gcConversationId=" + demoConvOne + "&gcLangTag=en-us", "ServiceJourney — Agent", demoAnnID, "Ann Agent"},
		{"supervisor.html", "ServiceJourney Connector — Supervisor", demoSamID, "Sam Supervisor"},
		{"wizard/index.html?langTag=en-us&environment=mypurecloud.ie", "ServiceJourney Connector — Setup", demoAdminID, "Ada Admin"},
	}
	for _, p := range pages {
		t.Run(strings.SplitN(p.path, "?", 2)[0], func(t *testing.T) {
			t.Parallel()
			b := newBrowser(t)
			b.ignoreOrigin(d.genesys.URL())
			runIn(b, chromedp.Navigate(d.PublicURL+"/dcm-connect-docs/"+p.path))
			b.signIn(p.user)
			b.waitText("#connection", "Connected as "+p.name)
			if title := runIn(b, chromedp.Title()); title != p.title {
				t.Errorf("title = %q, want %q", title, p.title)
			}
			if state := runIn(b, chromedp.AttributeValue("#connection", "data-state")); state.Value != "connected" {
				t.Errorf("data-state = %q", state.Value)
			}
			loc := runIn(b, chromedp.Location())
			if strings.Contains(loc, "code=") || strings.Contains(loc, "state=") {
				t.Errorf("OAuth parameters left in the address bar: %s", loc)
			}
			b.screenshot(strings.NewReplacer("/", "_", ".html", "").Replace(strings.SplitN(p.path, "?", 2)[0]))
			if errs := b.consoleErrors(); len(errs) > 0 {
				t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
}
