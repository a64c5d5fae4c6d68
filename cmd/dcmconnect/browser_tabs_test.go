package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// tab is one tab of one of the package's browsers, in a browser context of its own.
type tab struct {
	proc   *chromiumProcess
	ctx    context.Context // the tab's chromedp context
	cancel context.CancelFunc
}

// keptTabs are the tabs of tests that passed, kept for the tests after them
// (tabs of the shell: the desktop browser's few tabs are closed at the end).
// Each tab is a window of its own in headless Chromium: opening and closing
// one cost the browser about 0.55 CPU-s and a second of wall time where
// loading a page in a kept one cost 0.15 CPU-s (measured here, 20 of each),
// and the suite used to open some seventy. A kept tab is reset before it is
// given again (reset), so a test still starts with no storage, cookies,
// cache or page of another test.
var keptTabs struct {
	mu   sync.Mutex
	free []*tab
}

// takeTab gives a kept tab, or a new one.
func takeTab(p *chromiumProcess) (*tab, error) {
	if p != shell {
		return openTab(p)
	}
	keptTabs.mu.Lock()
	if n := len(keptTabs.free); n > 0 {
		tb := keptTabs.free[n-1]
		keptTabs.free = keptTabs.free[:n-1]
		keptTabs.mu.Unlock()
		return tb, nil
	}
	keptTabs.mu.Unlock()
	return openTab(p)
}

// openTab opens a new tab in a new browser context.
func openTab(p *chromiumProcess) (*tab, error) {
	ctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithNewBrowserContext())
	// The first Run opens the tab; like the browser's, it carries no timeout.
	if err := firstRun(ctx, cancel, openBudget); err != nil {
		return nil, err
	}
	// chromedp enables the Network and CSS domains on every tab; no test
	// reads their events, and with them the browser reports (and the test
	// decodes) every request a polling page makes and every style sheet:
	// about a tenth of the agent and supervisor tests' CPU, browser and Go.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Disable, cdp.Empty{}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, css.Disable, cdp.Empty{})
		return err
	}))
	if err != nil {
		cancel()
		return nil, err
	}
	return &tab{proc: p, ctx: ctx, cancel: cancel}, nil
}

// keep gives a tab back for the next test.
func keep(tb *tab) {
	keptTabs.mu.Lock()
	defer keptTabs.mu.Unlock()
	keptTabs.free = append(keptTabs.free, tb)
}

// resetJS empties the storage a page of ours may have written in a frame:
// sessionStorage (the sign-in's tokens and state) and localStorage.
const resetJS = `(function () { try { sessionStorage.clear(); localStorage.clear(); } catch (e) {} return true; })()`

// reset makes a tab as a new one is for the next test: the storage of every
// frame it shows emptied (tokens live in sessionStorage, which stays with a
// tab, and a later test's fake may get the same port), cookies and cache of
// its browser context cleared, the size a test set taken back, and the page
// unloaded (its timers and requests end with it). A tab that opened another
// (a popup) is not kept: the error says so and the tab is closed instead.
func (tb *tab) reset() error {
	c := chromedp.FromContext(tb.ctx)
	ctx, stop := context.WithTimeout(tb.ctx, closeBudget)
	defer stop()
	targets, err := chromedp.Targets(ctx)
	if err != nil {
		return err
	}
	for _, in := range targets {
		if in.BrowserContextID == c.BrowserContextID && in.TargetID != c.Target.TargetID && in.Type == "page" {
			return fmt.Errorf("the tab opened another (%s)", in.URL)
		}
	}
	return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		// The top frame's storage is emptied from its main world (an
		// evaluation without a context), the frames below it from theirs
		// (frameEval: no isolated world that would outlive the test).
		if _, err := cdp.Call(ctx, t, runtime.Evaluate, runtime.EvaluateParams{Expression: resetJS}); err != nil {
			return err
		}
		for _, f := range frames(tree.FrameTree)[1:] {
			if _, err := frameEval[bool](ctx, t, f.ID, "return "+resetJS); err != nil {
				continue // the frame went away meanwhile
			}
		}
		if _, err := cdp.Call(ctx, t, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.ClearBrowserCache, cdp.Empty{}); err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, emulation.ClearDeviceMetricsOverride, cdp.Empty{})
		return err
	}), chromedp.Navigate("about:blank"))
}

// frames lists a frame tree's frames, the top one first.
func frames(t *page.FrameTree) []*cdp.Frame {
	out := []*cdp.Frame{t.Frame}
	for _, child := range t.ChildFrames {
		out = append(out, frames(child)...)
	}
	return out
}

// frameEval runs body (a function body: it returns the value) in the main world of the frame frameID (a frame
// below the top one), by way of its document: the frame's owner element
// gives the document, whose JavaScript object lives in the frame's own
// world, and a function called on it runs there. Page.createIsolatedWorld
// did this before, but Chromium then made that world again in later pages
// of the tab's renderer, after the page's own, and chromedp took the last
// world made for a frame as the one to evaluate and poll in: a kept tab's
// next test saw none of its page's globals, or none of its own world once
// the extra one went (Poll and Click waited out their budget).
func frameEval[T any](ctx context.Context, t *chromedp.Target, frameID cdp.FrameID, body string) (T, error) {
	var zero T
	owner, err := cdp.Call(ctx, t, dom.GetFrameOwner, dom.GetFrameOwnerParams{FrameID: frameID})
	if err != nil {
		return zero, err
	}
	pierce := true
	desc, err := cdp.Call(ctx, t, dom.DescribeNode, dom.DescribeNodeParams{BackendNodeID: owner.BackendNodeID, Pierce: &pierce})
	if err != nil {
		return zero, err
	}
	if desc.Node == nil || desc.Node.ContentDocument == nil {
		return zero, fmt.Errorf("frame %s has no document", frameID)
	}
	doc, err := cdp.Call(ctx, t, dom.ResolveNode, dom.ResolveNodeParams{BackendNodeID: desc.Node.ContentDocument.BackendNodeID})
	if err != nil {
		return zero, err
	}
	defer cdp.Call(ctx, t, runtime.ReleaseObject, runtime.ReleaseObjectParams{ObjectID: doc.Object.ObjectID})
	yes := true
	r, err := cdp.Call(ctx, t, runtime.CallFunctionOn, runtime.CallFunctionOnParams{
		FunctionDeclaration: "function () { " + body + " }",
		ObjectID:            doc.Object.ObjectID,
		ReturnByValue:       &yes,
	})
	if err != nil {
		return zero, err
	}
	if r.ExceptionDetails != nil {
		return zero, fmt.Errorf("frame script: %s", r.ExceptionDetails.Text)
	}
	var v T
	if r.Result != nil && len(r.Result.Value) > 0 {
		err = json.Unmarshal(r.Result.Value, &v)
	}
	return v, err
}
