package main

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClosingABusyTabLeavesTheBrowserWorking: a page that floods the
// console right up to its close must not wedge the shared browser for the
// tests after it (a tab's reader that stops before its detach blocks
// chromedp's browser loop for every tab).
func TestClosingABusyTabLeavesTheBrowserWorking(t *testing.T) {
	t.Run("busy", func(t *testing.T) {
		b := newBrowser(t)
		runIn(b, chromedp.Evaluate[bool](`setInterval(() => { for (let i = 0; i < 300; i++) console.log("flood", i); }, 0), true`))
		b.waitFor(`true`, "the page runs")
	})
	t.Run("next", func(t *testing.T) {
		b := newBrowser(t)
		if got := runIn(b, chromedp.Evaluate[int](`6 * 7`)); got != 42 {
			t.Fatalf("6 * 7 = %d in the next tab", got)
		}
	})
}
