package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// Each page at the widths it is used at: the agent page in the 400 px
// widget and on a 1024 px screen, the supervisor page and the wizard from
// 1024 px up. None scrolls sideways (screenshots for the docs with
// DCM_SCREENSHOT_DIR).
func TestPagesAtTheirWidths(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	pages := []struct {
		name, path, user, ready string
		widths                  []int
	}{
		{"agent", "index.html?gcConversationId=" + demoConvMany + "&gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcTargetEnv=prod&gcLangTag=en-us", demoAnnID,
			`!document.getElementById("picker").hidden`, []int{400, 1024}},
		{"supervisor", "supervisor.html?langTag=en-us", demoSamID,
			`document.querySelectorAll("#usermap-table tbody tr[data-status]").length > 0`, []int{1024, 1280}},
		{"wizard", "wizard/index.html?langTag=en-us&environment=mypurecloud.ie", demoAdminID,
			`document.querySelectorAll("#checklist tbody tr").length > 5`, []int{1024, 1280}},
	}
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			b := newBrowser(t)
			b.ignoreOrigin(d.genesys.URL())
			b.ignoreOrigin(d.sj.URL())
			runIn(b, chromedp.EmulateViewport(int64(p.widths[0]), 700))
			b.openSignedIn(d, p.user, d.PublicURL+"/dcm-connect-docs/"+p.path)
			b.waitFor(p.ready, p.name+" ready")
			for _, w := range p.widths {
				runIn(b, chromedp.EmulateViewport(int64(w), 700))
				b.waitFor(fmt.Sprintf("window.innerWidth === %d", w), "the new width")
				got := evalJS[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`)
				if got[0] > got[1] {
					t.Errorf("%s at %d px: the page is %d px wide, it scrolls sideways", p.name, w, got[0])
				}
				b.screenshot(fmt.Sprintf("%s_%d", strings.ReplaceAll(p.name, " ", "_"), w))
			}
		})
	}
}
