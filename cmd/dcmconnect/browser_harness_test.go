package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// waitBudget is how long a wait on the page lasts before the test fails.
const waitBudget = 20 * time.Second

// openBudget bounds opening a tab and closeBudget closing one. Neither may
// wait for ever: a browser that cannot do either fails the test that asked,
// and the tests after it fail at once instead of waiting (chromiumProcess.broken).
const (
	openBudget  = time.Minute
	closeBudget = 30 * time.Second
)

// windowWidth and windowHeight are the size of every tab's window.
const (
	windowWidth  = 1280
	windowHeight = 720
)

// pollEvery is how often a poll's predicate is evaluated (pollPage, chromedp.Poll). Interval
// polling (not requestAnimationFrame) keeps working in tabs that are not in front.
const pollEvery = 50 * time.Millisecond

// chromiumProcess is one headless Chromium shared by the package's tests:
// started by the first test that needs it, stopped by TestMain. Each test
// gets a tab of its own in a browser context of its own, kept from a test
// that passed before it and reset (keptTabs): no storage, cookie or page of
// another test is left.
type chromiumProcess struct {
	// names are the executables to look for, the first found is run.
	names []string

	once   sync.Once
	ctx    context.Context
	cancel context.CancelFunc
	dir    string
	err    error

	mu     sync.Mutex
	broken string // why the browser can no longer be trusted to open a tab
}

// shell runs almost every browser test: Debian's chromium-headless-shell
// (Chromium's headless mode without the browser's own user interface) runs
// the suite's pages on the same Blink and V8 for about a third of the CPU of
// chromium --headless, which also renders the browser's own WebUI pages per
// window and gives each page load a renderer process of its own (measured
// on the supervisor tests: 13.7 against 39.6 CPU-s of Chromium). Where it is
// not installed, chromium runs these tests instead.
var shell = &chromiumProcess{names: []string{"chromium-headless-shell", "chromium", "chromium-browser", "google-chrome"}}

// desktop is the full Chromium, for the tests that need what only the
// browser has and a headless shell does not: the popup blocker (a window
// opened without a click is refused in an agent's browser and in chromium,
// and allowed in the headless shell).
var desktop = &chromiumProcess{names: []string{"chromium", "chromium-browser", "google-chrome"}}

// brokenBy records that a test found the shared browser not answering; the
// tests that follow fail at once, naming it.
func (p *chromiumProcess) brokenBy(t *testing.T, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.broken == "" {
		p.broken = fmt.Sprintf("%s: %v", t.Name(), err)
	}
}

func (p *chromiumProcess) brokenReason() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.broken
}

func TestMain(m *testing.M) {
	flag.Parse()
	raiseParallel()
	code := m.Run()
	for _, p := range []*chromiumProcess{shell, desktop} {
		if p.cancel != nil {
			p.cancel()
			os.RemoveAll(p.dir)
		}
	}
	os.Exit(code)
}

// raiseParallel lets more parallel tests run at once than GOMAXPROCS (the
// default) unless -test.parallel was given: the browser tests spend most of
// their time waiting for Chromium and the fakes, not on a CPU.
func raiseParallel() {
	given := false
	flag.Visit(func(f *flag.Flag) { given = given || f.Name == "test.parallel" })
	if !given {
		_ = flag.Set("test.parallel", strconv.Itoa(max(4, 2*runtime.GOMAXPROCS(0))))
	}
}

// browser is one tab of the package's Chromium for a test, with its console
// collected so a test can assert the page logged no error.
type browser struct {
	t       *testing.T
	ctx     context.Context
	budget  time.Duration // how long one action or wait may take
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	ignored []string
	// closeAtEnd closes the tab when the test ends instead of keeping it.
	closeAtEnd bool
}

// needBrowser skips a browser test when DCM_SKIP_BROWSER=1. Browser tests
// are part of `make test`; they skip only then, so a machine without
// chromium fails loudly instead of passing without having run them.
func needBrowser(t *testing.T) {
	t.Helper()
	if os.Getenv("DCM_SKIP_BROWSER") == "1" {
		t.Skip("DCM_SKIP_BROWSER=1")
	}
}

// startBrowserDemo is startTestDemo for a test that opens pages: skipped
// without a browser before the demo starts (make test's race-enabled run
// skips them all, and their demos cost it about 1 CPU-s).
func startBrowserDemo(t *testing.T, o demoOptions) *demoStack {
	t.Helper()
	needBrowser(t)
	return startTestDemo(t, o)
}

// path finds the browser's executable.
func (p *chromiumProcess) path(t *testing.T) string {
	t.Helper()
	needBrowser(t)
	for _, name := range p.names {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	t.Fatal("chromium not found: install it (apt-get install -y chromium chromium-headless-shell) or set DCM_SKIP_BROWSER=1")
	return ""
}

// start starts the browser once and gives its context.
func (p *chromiumProcess) start(t *testing.T) (context.Context, error) {
	t.Helper()
	path := p.path(t)
	p.once.Do(func() {
		p.dir, p.err = os.MkdirTemp("", "dcm-chromium-")
		if p.err != nil {
			return
		}
		opts := []chromedp.ExecAllocatorOption{
			chromedp.ExecPath(path),
			chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			// Tabs of parallel tests run side by side: none may be throttled as a background tab.
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			// A document costs Chromium more than what our pages do in it
			// (an about:blank load 20 ms of CPU, a one-line page 55 ms, the
			// agent page with its sign-in 290 ms), and the suite loads some
			// 360. RenderDocument, which no page sees, makes much of that: a
			// new frame host and renderer frame for every cross-document
			// navigation, where same-site navigations used to reuse them.
			// Without it: 9, 37 and 220 ms. (--disable-threaded-compositing
			// saved as much again but left Page.captureScreenshot waiting
			// for a frame that never came: no failure screenshots.)
			chromedp.Flag("disable-features", "RenderDocument"),
			chromedp.UserDataDir(p.dir),
			chromedp.WindowSize(windowWidth, windowHeight),
		}
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancel := chromedp.NewContext(actx)
		p.ctx, p.cancel = ctx, func() { cancel(); cancelAlloc() }
		// The first Run starts the browser; it must not carry a timeout, so a
		// watchdog ends a start that hangs.
		if err := firstRun(ctx, p.cancel, time.Minute); err != nil {
			p.err = fmt.Errorf("start %s: %w", filepath.Base(path), err)
		}
	})
	return p.ctx, p.err
}

// newBrowser gives the test a tab (kept from a test before it, or new); when
// the test ends the tab is reset and kept, or closed after a screenshot if
// the test failed.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	return openBrowser(t, shell, takeTab)
}

// newDesktopBrowser is a new tab of the full Chromium (desktop), closed at
// the end, for a test of what only a full browser does (its popup blocker).
func newDesktopBrowser(t *testing.T) *browser {
	t.Helper()
	b := openBrowser(t, desktop, openTab)
	b.closeAtEnd = true
	return b
}

func openBrowser(t *testing.T, p *chromiumProcess, take func(*chromiumProcess) (*tab, error)) *browser {
	t.Helper()
	if _, err := p.start(t); err != nil {
		t.Fatal(err)
	}
	if why := p.brokenReason(); why != "" {
		t.Fatalf("the package's Chromium stopped answering in an earlier test (%s)", why)
	}
	tb, err := take(p)
	if err != nil {
		p.brokenBy(t, err)
		t.Fatalf("open a tab: %v", err)
	}
	// The test's own context: its listeners (the console's, a test's
	// WaitNewTarget) end with it, not with the tab.
	ctx, stop := context.WithCancel(tb.ctx)
	b := &browser{t: t, ctx: ctx, budget: waitBudget}
	t.Cleanup(func() {
		if t.Failed() {
			b.failureScreenshot()
		}
		stop()
		if !t.Failed() && !b.closeAtEnd {
			err := tb.reset()
			if err == nil {
				keep(tb)
				return
			}
			t.Logf("the tab is closed, not kept: %v", err)
		}
		closeTab(t, tb)
	})
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// closeTab closes the tab while its context still runs, and cancels the
// context only once the tab has taken its detach from the browser: in the
// background, so that no test waits for it.
//
// Cancelling first is what hung the suite: the cancel stops the goroutine
// that reads the tab's messages, while the page (busy, as the 5,000-agent
// page is) keeps sending them until the browser detaches it. chromedp's
// browser loop hands each message to the tab's queue of 1,024 and blocks
// when it is full, so it never sends the detach, and every other tab of the
// shared browser waits for ever. Closing first lets the reader drain the tab
// to its last message. Waiting for that drain in the test's cleanup failed
// on a loaded CI runner instead: a tab that logged thousands of messages can
// take longer than any fair budget to drain, while the browser keeps
// serving the other tabs. The browser's end (TestMain) ends a tab whose
// detach never comes.
func closeTab(t *testing.T, tb *tab) {
	detached, err := chromedp.Detached(tb.ctx)
	if err != nil || tb.ctx.Err() != nil { // never opened, or already ended by firstRun
		tb.cancel()
		return
	}
	c := chromedp.FromContext(tb.ctx)
	ctx, stop := context.WithTimeout(context.Background(), closeBudget)
	defer stop()
	if _, err := cdp.Call(ctx, c.Browser, target.CloseTarget, target.CloseTargetParams{TargetID: c.Target.TargetID}); err != nil {
		t.Errorf("close the tab: %v", err)
		tb.proc.brokenBy(t, err)
		return // the context stays; the browser's end (TestMain) ends it
	}
	browserDone := tb.proc.ctx.Done()
	go func() {
		select {
		case <-detached:
			tb.cancel() // disposes of the tab's browser context
		case <-browserDone:
		}
	}()
}

// firstRun makes the first Run on ctx (which binds the browser or tab to
// ctx, so it cannot carry a timeout); if it has not returned within limit,
// cancel ends it with an error instead of letting the test hang.
func firstRun(ctx context.Context, cancel context.CancelFunc, limit time.Duration) error {
	watchdog := time.AfterFunc(limit, cancel)
	_, err := chromedp.Run(ctx, chromedp.Navigate("about:blank"))
	if !watchdog.Stop() {
		return fmt.Errorf("no answer within %v: %w", limit, err)
	}
	return err
}

// patient gives the test's waits the time left before the test's own
// deadline (less a minute for the cleanup), for a test whose page has to
// carry much more data than the others. What the test asserts is the same;
// only how long it may take under load differs.
func (b *browser) patient() {
	b.budget = testBudget(b.t)
}

// testBudget is the time left before the test binary's deadline, less a
// minute for cleanups, at least waitBudget, at most 5 minutes.
func testBudget(t *testing.T) time.Duration {
	d := 5 * time.Minute
	if deadline, ok := t.Deadline(); ok {
		d = min(d, time.Until(deadline)-time.Minute)
	}
	return max(d, waitBudget)
}

// runIn executes one action with a deadline derived from the running tab.
func runIn[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.budget)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v\nconsole:\n%s", err, b.consoleText())
	}
	return v
}

// until runs the poll that poll builds (given the time left) until
// its predicate holds or the browser's budget ends. A poll also ends when its document
// goes (the page or frame navigated, as after a sign-in); until then polls
// the new document.
func until[T any](b *browser, poll func(left time.Duration) chromedp.Action[T]) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, b.budget)
	defer cancel()
	deadline, _ := ctx.Deadline()
	for {
		v, err := chromedp.Run(ctx, poll(time.Until(deadline)))
		if err == nil || ctx.Err() != nil || errors.Is(err, chromedp.ErrPollingTimeout) {
			return v, err
		}
		// The document went away under the poll; give the next one a moment to appear.
		select {
		case <-ctx.Done():
			return v, err
		case <-time.After(pollEvery):
		}
	}
}

func pollOpts(left time.Duration, args ...any) []chromedp.PollOption {
	return []chromedp.PollOption{chromedp.WithPollingInterval(pollEvery), chromedp.WithPollingTimeout(left), chromedp.WithPollingArgs(args...)}
}

// pollPage is chromedp.PollFunction in the top frame's own world: fn (a
// JavaScript function) is called with args every pollEvery until it gives a
// truthy value, which the action returns, or left has passed
// (chromedp.ErrPollingTimeout). chromedp.Poll evaluates in the execution
// context Chromium last reported for the frame, and in a kept tab an
// isolated world that an earlier test made in a frame of the same renderer
// (inFrame's dcm-test, reset's dcm-reset) is reported for a new page after
// the page's own world: the predicate then saw none of the page's globals
// (window.hostMessages, window.dcmTestMarked) for its whole wait, while
// chromedp.Evaluate, which names no context, read them. Runtime.evaluate
// without a context runs in the page's own world; so does this.
func pollPage[T any](left time.Duration, fn string, args ...any) chromedp.Action[T] {
	argsJSON, err := json.Marshal(args)
	if err != nil {
		panic(err) // the test's own arguments
	}
	expr := `(function (f, args, left, every) {
		var end = Date.now() + left;
		return new Promise(function (resolve, reject) {
			(function tick() {
				var v;
				try { v = f.apply(null, args); } catch (e) { reject(e); return; }
				if (v) { resolve({ ok: true, v: v }); }
				else if (Date.now() >= end) { resolve({ ok: false }); }
				else { setTimeout(tick, every); }
			})();
		});
	})(` + fn + `, ` + string(argsJSON) + `, ` + strconv.FormatInt(left.Milliseconds(), 10) + `, ` + strconv.FormatInt(pollEvery.Milliseconds(), 10) + `)`
	return func(ctx context.Context, t *chromedp.Target) (T, error) {
		r, err := chromedp.Evaluate[polled[T]](expr, chromedp.EvalAwaitPromise)(ctx, t)
		if err == nil && !r.OK {
			err = chromedp.ErrPollingTimeout
		}
		return r.V, err
	}
}

// polled is what pollPage's promise resolves with.
type polled[T any] struct {
	OK bool `json:"ok"`
	V  T    `json:"v"`
}

// visibleTextJS is the text chromedp.Text reads (innerText of a rendered
// element, "" for one that is not), or null when nothing matches sel.
const visibleTextJS = `function (sel) {
	var e = document.querySelector(sel);
	if (!e) return null;
	return (e.offsetWidth || e.offsetHeight || e.getClientRects().length) ? e.innerText : "";
}`

// waitText waits until the element's visible text contains want.
func (b *browser) waitText(sel, want string) string {
	b.t.Helper()
	v, err := until(b, func(left time.Duration) chromedp.Action[[]string] {
		return pollPage[[]string](left, `function (sel, want) {
			var t = (`+visibleTextJS+`)(sel);
			return t !== null && t.indexOf(want) >= 0 ? [t] : false;
		}`, sel, want)
	})
	if err != nil || len(v) == 0 {
		last, _ := chromedp.Run(b.ctx, chromedp.Evaluate[*string](`(`+visibleTextJS+`)(`+jsString(sel)+`)`))
		b.t.Fatalf("%s never contained %q; last text %q (%v)\nconsole:\n%s", sel, want, deref(last), err, b.consoleText())
	}
	return v[0]
}

// text reads an element's visible text in one evaluation. chromedp.Text
// resolves a node first and reads it after: a table the page re-renders in
// between (the supervisor page refreshes every few seconds) fails it with
// "No node with given id found".
func (b *browser) text(sel string) string {
	b.t.Helper()
	v := evalJS[*string](b, `(`+visibleTextJS+`)(`+jsString(sel)+`)`)
	if v == nil {
		b.t.Fatalf("%s: no such element", sel)
	}
	return *v
}

// clickNow finds and clicks an element in one evaluation, for an element a
// page redraws on its own (a refreshing table): chromedp.Click resolves the
// node first and clicks it after, so a redraw in between fails it.
func (b *browser) clickNow(sel string) {
	b.t.Helper()
	b.waitFor(`document.querySelector(`+jsString(sel)+`) !== null`, sel)
	if !evalJS[bool](b, `(function (e) { if (!e) { return false; } e.click(); return true; })(document.querySelector(`+jsString(sel)+`))`) {
		b.t.Fatalf("%s: gone before the click", sel)
	}
}

// waitFor waits until cond (a JavaScript boolean expression) holds in the page.
func (b *browser) waitFor(cond, what string) {
	b.t.Helper()
	if _, err := until(b, func(left time.Duration) chromedp.Action[bool] {
		return pollPage[bool](left, `function () { return (`+cond+`); }`)
	}); err != nil {
		b.t.Fatalf("never true: %s (%s): %v\nconsole:\n%s", what, cond, err, b.consoleText())
	}
}

// frameValue waits until expr, evaluated in the child frame whose URL starts
// with prefix, gives a string containing want.
func (b *browser) frameValue(prefix, expr, want string) {
	b.t.Helper()
	_, err := until(b, func(left time.Duration) chromedp.Action[string] {
		return func(ctx context.Context, t *chromedp.Target) (string, error) {
			owner, err := frameOwner(ctx, t, prefix)
			if err != nil {
				return "", err
			}
			return chromedp.PollFunction[string](`function (want) {
				var v = String(`+expr+`);
				return v.indexOf(want) >= 0 ? v : false;
			}`, append(pollOpts(left, want), chromedp.WithPollingInFrame(owner))...)(ctx, t)
		}
	})
	if err != nil {
		last, _ := chromedp.Run(b.ctx, inFrame[string](prefix, `return String(`+expr+`);`))
		b.t.Fatalf("frame %s never gave %q (last %q): %v\nconsole:\n%s", expr, want, last, err, b.consoleText())
	}
}

// frameText waits until the ServiceJourney page in the iframe shows want at sel.
func (b *browser) frameText(prefix, sel, want string) {
	b.t.Helper()
	b.frameValue(prefix, `(document.querySelector(`+jsString(sel)+`)||{}).textContent||""`, want)
}

// frameTextAttr waits until the frame's body attribute contains want.
func (b *browser) frameTextAttr(prefix, attr, want string) {
	b.t.Helper()
	b.frameValue(prefix, `document.body.getAttribute(`+jsString(attr)+`)||""`, want)
}

// findFrame is the child frame whose URL starts with prefix.
func findFrame(ctx context.Context, t *chromedp.Target, prefix string) (*cdp.Frame, error) {
	tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	var frame *cdp.Frame
	var walk func(ft *page.FrameTree)
	walk = func(ft *page.FrameTree) {
		for _, c := range ft.ChildFrames {
			if strings.HasPrefix(c.Frame.URL, prefix) {
				frame = c.Frame
			}
			walk(c)
		}
	}
	walk(tree.FrameTree)
	if frame == nil {
		return nil, fmt.Errorf("no frame at %s", prefix)
	}
	return frame, nil
}

// frameOwner is the iframe element holding the frame at prefix, which is how
// chromedp.WithPollingInFrame names a frame.
func frameOwner(ctx context.Context, t *chromedp.Target, prefix string) (*chromedp.Node, error) {
	frame, err := findFrame(ctx, t, prefix)
	if err != nil {
		return nil, err
	}
	nodes, err := chromedp.Nodes(chromedp.CSSAll("iframe"))(ctx, t)
	if err != nil {
		return nil, err
	}
	for _, n := range nodes {
		n.RLock()
		holds := n.FrameID == frame.ID
		n.RUnlock()
		if holds {
			return n, nil
		}
	}
	return nil, fmt.Errorf("no iframe element holds the frame at %s", prefix)
}

func deref(s *string) string {
	if s == nil {
		return "<no element>"
	}
	return *s
}

// screenshot keeps a picture of the page under name when DCM_SCREENSHOT_DIR
// is set (pictures for the docs); otherwise it costs nothing. A failed test
// gets its screenshot anyway (failureScreenshot).
func (b *browser) screenshot(name string) {
	b.t.Helper()
	if dir := os.Getenv("DCM_SCREENSHOT_DIR"); dir != "" {
		b.saveScreenshot(dir, name)
	}
}

// failureScreenshot saves the page of a failed test where it outlives the
// test: DCM_SCREENSHOT_DIR, or the system's temporary folder.
func (b *browser) failureScreenshot() {
	dir := os.Getenv("DCM_SCREENSHOT_DIR")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "dcm-screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.t.Logf("screenshot: %v", err)
			return
		}
	}
	b.saveScreenshot(dir, "failed-"+strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name()))
}

func (b *browser) saveScreenshot(dir, name string) {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", p)
}

// consoleErrors are console.error calls, uncaught exceptions and browser-log
// errors (failed loads, CSP violations).
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.console {
		if slices.ContainsFunc(b.ignored, func(o string) bool { return strings.HasPrefix(m.URL, o+"/") }) {
			continue
		}
		if m.IsException() || m.Type == "error" {
			out = append(out, m.String()+" ("+m.URL+")")
		}
	}
	return out
}

func (b *browser) consoleText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var s []string
	for _, m := range b.console {
		s = append(s, string(m.Type)+": "+m.String())
	}
	return strings.Join(s, "\n")
}

// ignoreOrigin leaves out messages from pages of another origin (the fake
// Genesys login page), so assertions are about our pages only.
func (b *browser) ignoreOrigin(origin string) {
	b.mu.Lock()
	b.ignored = append(b.ignored, origin)
	b.mu.Unlock()
}
