package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// browser is one headless Chromium for a test, with its console collected so
// a test can assert the page logged no error.
type browser struct {
	t       *testing.T
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	ignored []string
}

// chromiumPath finds Debian's chromium. Browser tests are part of `make test`;
// they skip only when DCM_SKIP_BROWSER=1, so a machine without chromium fails
// loudly instead of passing without having run them.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if os.Getenv("DCM_SKIP_BROWSER") == "1" {
		t.Skip("DCM_SKIP_BROWSER=1")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium not found: install it (apt-get install -y chromium) or set DCM_SKIP_BROWSER=1")
	return ""
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 720),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx}
	// The first Run starts the browser; it must not carry a timeout.
	if _, err := chromedp.Run(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
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

// runIn executes one action with a deadline derived from the running browser.
func runIn[T any](b *browser, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %v\nconsole:\n%s", err, b.consoleText())
	}
	return v
}

// waitText waits until the element's text contains want.
func (b *browser) waitText(sel, want string) string {
	b.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var last string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		txt, err := chromedp.Run(ctx, chromedp.Text(sel))
		cancel()
		if err == nil {
			last = txt
			if strings.Contains(txt, want) {
				return txt
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.screenshot("timeout")
	b.t.Fatalf("%s never contained %q; last text %q\nconsole:\n%s", sel, want, last, b.consoleText())
	return ""
}

func (b *browser) screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return ""
	}
	p := filepath.Join(b.t.TempDir(), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	if dir := os.Getenv("DCM_SCREENSHOT_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644)
	}
	b.t.Logf("screenshot: %s", p)
	return p
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
