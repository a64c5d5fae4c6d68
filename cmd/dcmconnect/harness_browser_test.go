package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/cdproto/target"
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
		b.closeAtEnd = true // closed while busy, not reset and kept
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

// TestAKeptTabIsResetForTheNextTest: a tab kept for the next test shows no
// storage, size or page of the test before it (the sign-in's tokens live in
// sessionStorage, which stays with a tab, and a later fake may get the same
// port), and a tab that opened another is not kept.
func TestAKeptTabIsResetForTheNextTest(t *testing.T) {
	t.Parallel()
	if _, err := shell.start(t); err != nil {
		t.Fatal(err)
	}
	// The frame is on an origin of its own: its storage is not the top's.
	frame := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>frame</title>`))
	}))
	defer frame.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!doctype html><title>top</title><iframe src="` + frame.URL + `/frame"></iframe>`))
	}))
	defer srv.Close()
	tb, err := openTab(shell)
	if err != nil {
		t.Fatal(err)
	}
	defer closeTab(t, tb)
	b := &browser{t: t, ctx: tb.ctx, budget: waitBudget}
	runIn(b, chromedp.Navigate(srv.URL))
	const state = `JSON.stringify([sessionStorage.length, localStorage.length, innerWidth, innerHeight])`
	fresh := runIn(b, chromedp.Evaluate[string](state))
	runIn(b, chromedp.EmulateViewport(400, 300))
	b.frameValue(frame.URL+"/frame", `(sessionStorage.setItem("f", "1"), localStorage.setItem("g", "2"), "set")`, "set")
	runIn(b, chromedp.Evaluate[bool](`sessionStorage.setItem("token", "old"); localStorage.setItem("lang", "de"); true`))

	if err := tb.reset(); err != nil {
		t.Fatalf("reset: %v", err)
	}
	if got := runIn(b, chromedp.Evaluate[string](`location.href`)); got != "about:blank" {
		t.Errorf("after reset the tab shows %s", got)
	}
	runIn(b, chromedp.Navigate(srv.URL))
	if got := runIn(b, chromedp.Evaluate[string](state)); got != fresh || !strings.HasPrefix(got, fmt.Sprintf("[0,0,%d,", windowWidth)) {
		t.Errorf("[session items, local items, width, height] = %s after reset, %s in a new tab", got, fresh)
	}
	b.frameValue(frame.URL+"/frame", `sessionStorage.length + localStorage.length === 0 ? "empty" : "left"`, "empty")
	// What a test evaluates still runs in the page's own world (the
	// host-frame tests read the page's globals).
	runIn(b, chromedp.Evaluate[bool](`window.pageGlobal = 42; true`))
	runIn(b, chromedp.Navigate(srv.URL))
	if err := tb.reset(); err != nil {
		t.Fatalf("reset: %v", err)
	}
	runIn(b, chromedp.Navigate(srv.URL))
	runIn(b, chromedp.Evaluate[bool](`window.pageGlobal = 7; true`))
	if got := runIn(b, chromedp.Evaluate[string](`document.title + " " + window.pageGlobal`)); got != "top 7" {
		t.Errorf("after a reset an evaluation reads %q, want the page's own world (top 7)", got)
	}

	gesture := func(p *runtime.EvaluateParams) { yes := true; p.UserGesture = &yes } // as a click would
	if !runIn(b, chromedp.Evaluate[bool](`window.open(location.href, "_blank") !== null`, gesture)) {
		t.Fatal("window.open was refused")
	}
	// The popup is a target of the tab's browser context once the browser lists it.
	c := chromedp.FromContext(tb.ctx)
	for deadline := time.Now().Add(waitBudget); ; time.Sleep(pollEvery) {
		targets, err := chromedp.Targets(tb.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(targets, func(in *target.Info) bool {
			return in.BrowserContextID == c.BrowserContextID && in.TargetID != c.Target.TargetID
		}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the popup never appeared among the browser's targets")
		}
	}
	if err := tb.reset(); err == nil || !strings.Contains(err.Error(), "opened another") {
		t.Errorf("reset of a tab with a popup = %v, want it refused", err)
	}
}
