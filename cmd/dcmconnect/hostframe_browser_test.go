package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dcmconnect/config"
)

// hostFrame stands in for the Genesys desktop around one of our pages: a
// page on its own loopback origin that embeds ours in an iframe, as the
// desktop embeds an interaction widget or a Premium App, passing its own
// origin as gcHostOrigin (and gcTargetEnv=prod), and records every message
// the page posts to it: what the Client App SDK sends (toasts, attention
// counts, ...) lands in window.hostMessages as {origin, data}.
//
// Use: h := newHostFrame(t); start the demo with demoOptions{Edit: h.allow};
// b := h.open(t, d, path+query, width, height); h.signIn(b, d, user);
// h.waitToast(b, ...). Assertions inside our page go through the frame
// helpers (b.frameValue with h.pagePrefix(d, path)).
type hostFrame struct {
	srv    *httptest.Server
	Origin string
}

// hostPage embeds ?src= in a frame of the size given (?w=, ?h=) and keeps
// what the frame posts. The desktop allows what the page needs of it.
const hostPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Genesys desktop (test host)</title>
<style>body{margin:0;background:#f4f4f4} iframe{border:0;display:block;background:#fff}</style></head>
<body><iframe id="app" title="app" allow="camera; microphone; clipboard-write"></iframe>
<script>
window.hostMessages = [];
var q = new URLSearchParams(location.search), app = document.getElementById("app");
app.style.width = (q.get("w") || "400") + "px";
app.style.height = (q.get("h") || "700") + "px";
window.addEventListener("message", function (e) {
	if (e.source !== app.contentWindow) { return; }
	window.hostMessages.push({ origin: e.origin, data: e.data });
});
app.src = q.get("src");
</script></body></html>`

func newHostFrame(t *testing.T) *hostFrame {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write([]byte(hostPage))
	}))
	t.Cleanup(srv.Close)
	return &hostFrame{srv: srv, Origin: srv.URL}
}

// allow lets the host frame our pages (server.frameAncestors), as the
// desktop's https://apps.<environment> is allowed; a demoOptions.Edit.
func (h *hostFrame) allow(cfg *config.Config) {
	cfg.Server.FrameAncestors = append(cfg.Server.FrameAncestors, h.Origin)
}

// open starts a tab on the host page with our page at pathQuery (below the
// demo's public URL, with its own query) in a frame of w x h pixels; the
// host's origin and target environment are added as the desktop adds them.
func (h *hostFrame) open(t *testing.T, d *demoStack, pathQuery string, w, hgt int) *browser {
	t.Helper()
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	b.ignoreOrigin(d.sj.URL())
	b.ignoreOrigin(h.Origin)
	sep := "?"
	if strings.Contains(pathQuery, "?") {
		sep = "&"
	}
	src := d.PublicURL + pathQuery + sep + "gcHostOrigin=" + url.QueryEscape(h.Origin) + "&gcTargetEnv=prod"
	q := url.Values{"src": {src}, "w": {strconv.Itoa(w)}, "h": {strconv.Itoa(hgt)}}
	runIn(b, chromedp.Navigate(h.Origin+"/?"+q.Encode()))
	return b
}

// pagePrefix is the URL prefix of our page's frame, for the frame helpers.
func (h *hostFrame) pagePrefix(d *demoStack, path string) string { return d.PublicURL + path }

// signIn picks user on the fake Genesys login page our page's frame was
// sent to, as an agent signs in inside the desktop.
func (h *hostFrame) signIn(b *browser, d *demoStack, userID string) {
	b.t.Helper()
	sel := "#login-" + userID
	b.frameValue(d.genesys.URL(), `document.querySelector(`+jsString(sel)+`) ? "there" : ""`, "there")
	runIn(b, inFrame[bool](d.genesys.URL(), `document.querySelector(`+jsString(sel)+`).click(); return true`))
}

// sdkToast is a toast as the Client App SDK posts it to the desktop.
type sdkToast struct {
	Origin          string `json:"origin"`
	Action          string `json:"action"`
	Protocol        string `json:"protocol"`
	Title           string `json:"title"`
	Message         string `json:"message"`
	Type            string `json:"type"`
	ID              string `json:"id"`
	Timeout         *int   `json:"timeout"`
	ShowCloseButton bool   `json:"showCloseButton"`
	Markdown        bool   `json:"markdownMessage"`
}

// toasts are the showToast messages the host has received, in order.
func (h *hostFrame) toasts(b *browser) []sdkToast {
	b.t.Helper()
	return evalJS[[]sdkToast](b, `window.hostMessages.filter(function (m) { return m.data && m.data.action === "showToast"; }).map(function (m) {
		var t = Object.assign({}, m.data); t.origin = m.origin; return t; })`)
}

// waitToast waits until the host has received n toasts and returns them.
func (h *hostFrame) waitToasts(b *browser, n int) []sdkToast {
	b.t.Helper()
	b.waitFor(`window.hostMessages.filter(function (m) { return m.data && m.data.action === "showToast"; }).length >= `+strconv.Itoa(n), strconv.Itoa(n)+" toast(s) at the host")
	return h.toasts(b)
}

// nestedValue waits until expr, evaluated in the frame whose URL starts
// with prefix, gives a string containing want. Unlike b.frameValue it
// reaches a frame inside a frame (the ServiceJourney page inside our page
// inside the host), evaluating in that frame's own world (frameEval).
func (b *browser) nestedValue(prefix, expr, want string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, b.budget)
	defer cancel()
	var last string
	var err error
	for {
		last, err = chromedp.Run(ctx, inFrame[string](prefix, `return String(`+expr+`);`))
		if err == nil && strings.Contains(last, want) {
			return
		}
		select {
		case <-ctx.Done():
			b.t.Fatalf("frame %s: %s never gave %q (last %q, %v)\nconsole:\n%s", prefix, expr, want, last, err, b.consoleText())
		case <-time.After(pollEvery):
		}
	}
}
