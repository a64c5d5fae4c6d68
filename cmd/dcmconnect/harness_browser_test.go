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
	t.Parallel()
	t.Run("busy", func(t *testing.T) {
		b := newBrowser(t)
		// 5,000 messages, far more than the tab's queue of 1,024: the
		// first 1,000 before the answer, the rest still arriving as the
		// test ends and its tab closes.
		runIn(b, chromedp.Evaluate[bool](`window.sent = 0;
			const flood = () => { for (let i = 0; i < 1000 && window.sent < 5000; i++) console.log("flood", window.sent++); };
			flood(); setInterval(flood, 0); true`))
	})
	t.Run("next", func(t *testing.T) {
		b := newBrowser(t)
		if got := runIn(b, chromedp.Evaluate[int](`6 * 7`)); got != 42 {
			t.Fatalf("6 * 7 = %d in the next tab", got)
		}
	})
}
