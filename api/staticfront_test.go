package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
)

// A page served by the static path is the answer, the access line and the
// count gin's route gives for it: same status, headers (but the date), body,
// and the same fields in the line but time and duration.
func TestStaticPathAnswersAsGinDoes(t *testing.T) {
	var logBuf lockedBuffer
	s, _ := newTestServer(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&logBuf, nil))
		o.AccessLog = &logBuf
	})
	lean, viaGin := s.Handler(), s.engine
	etag := do(t, lean, "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	type variant struct {
		method string
		hdr    map[string]string
	}
	variants := []variant{
		{"GET", nil},
		{"GET", map[string]string{"Accept-Encoding": "gzip"}},
		{"GET", map[string]string{"Accept-Encoding": "gzip;q=0"}},
		{"GET", map[string]string{"If-None-Match": etag}},
		{"GET", map[string]string{"If-None-Match": `W/"other", ` + etag}},
		{"HEAD", nil},
		{"HEAD", map[string]string{"Accept-Encoding": "gzip"}},
	}
	paths := []string{"/dcm-connect-docs/index.html", "/dcm-connect-docs/", "/dcm-connect-docs/wizard/",
		"/dcm-connect-docs/wizard", "/dcm-connect-docs/assets/dcm.js", "/dcm-connect-docs/config/config.js?v=1"}
	before := testutil.ToFloat64(s.metrics.requests.WithLabelValues(docsRoute, "GET", "200"))
	n := 0
	for _, p := range paths {
		for _, v := range variants {
			hdr := map[string]string{"X-Request-Id": "same-id"}
			maps.Copy(hdr, v.hdr)
			if s.staticFor(httptest.NewRequest(v.method, p, nil)) == nil {
				t.Fatalf("%s %s does not take the static path", v.method, p)
			}
			a := do(t, lean, v.method, p, "", hdr)
			b := do(t, viaGin, v.method, p, "", hdr)
			if a.Code != b.Code || !bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
				t.Fatalf("%s %s %v: static path %d (%d bytes), gin %d (%d bytes)", v.method, p, v.hdr, a.Code, a.Body.Len(), b.Code, b.Body.Len())
			}
			ha, hb := a.Header().Clone(), b.Header().Clone()
			delete(ha, "Date")
			delete(hb, "Date")
			if !equalHeaders(ha, hb) {
				t.Fatalf("%s %s %v: headers differ:\nstatic %v\ngin    %v", v.method, p, v.hdr, ha, hb)
			}
			if v.method == "GET" && a.Code == 200 {
				n += 2
			}
		}
	}
	if got := testutil.ToFloat64(s.metrics.requests.WithLabelValues(docsRoute, "GET", "200")) - before; got != float64(n) {
		t.Fatalf("GET 200 counted %v times under %s, want %d", got, docsRoute, n)
	}
	s.Close()
	lines := logBuf.lines(t)
	if len(lines) != 2*len(paths)*len(variants)+1 {
		t.Fatalf("%d access lines for %d requests", len(lines), 2*len(paths)*len(variants)+1)
	}
	for i := 1; i+1 < len(lines); i += 2 {
		a, b := lines[i], lines[i+1]
		for _, m := range []map[string]any{a, b} {
			delete(m, "time")
			delete(m, "duration_ms")
		}
		if !maps.Equal(a, b) || a["route"] != docsRoute || a["request_id"] != "same-id" {
			t.Fatalf("access lines differ:\nstatic %v\ngin    %v", a, b)
		}
	}
}

func equalHeaders(a, b http.Header) bool {
	return maps.EqualFunc(a, b, func(x, y []string) bool { return slices.Equal(x, y) })
}

// Whatever the static path cannot judge as gin does goes through gin: other
// methods, a body (front limits it), a proxy's forwarding headers (whether
// the proxy is trusted), a file that is not there or a path not clean.
func TestStaticPathLeavesTheRestToGin(t *testing.T) {
	s, _ := newTestServer(t, nil)
	for _, tc := range []struct {
		method, target, body string
		hdr                  map[string]string
	}{
		{"POST", "/dcm-connect-docs/index.html", "", nil},
		{"OPTIONS", "/dcm-connect-docs/index.html", "", nil},
		{"GET", "/dcm-connect-docs/index.html", "x", nil},
		{"GET", "/dcm-connect-docs/index.html", "", map[string]string{"X-Forwarded-For": "203.0.113.9"}},
		{"GET", "/dcm-connect-docs/index.html", "", map[string]string{"X-Real-Ip": "203.0.113.9"}},
		{"GET", "/dcm-connect-docs", "", nil},
		{"GET", "/dcm-connect-docsx/index.html", "", nil},
		{"GET", "/dcm-connect-docs/nope.html", "", nil},
		{"GET", "/dcm-connect-docs/assets/../index.html", "", nil},
		{"GET", "/dcm-connect-docs//index.html", "", nil},
		{"GET", "/healthz", "", nil},
	} {
		var body io.Reader
		if tc.body != "" {
			body = strings.NewReader(tc.body)
		}
		r := httptest.NewRequest(tc.method, tc.target, body)
		for k, v := range tc.hdr {
			r.Header.Set(k, v)
		}
		if s.staticFor(r) != nil {
			t.Errorf("%s %s %v (body %q) took the static path", tc.method, tc.target, tc.hdr, tc.body)
		}
	}
	// Through a trusted proxy the page is the same, logged under the
	// forwarded address by gin's judgement.
	var buf bytes.Buffer
	s, _ = newTestServer(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	w := do(t, s.Handler(), "GET", "/dcm-connect-docs/index.html", "", map[string]string{"X-Forwarded-For": "203.0.113.9"})
	if w.Code != 200 || w.Header().Get("ETag") == "" || !strings.Contains(buf.String(), `"remote":"192.0.2.1"`) {
		t.Fatalf("forwarded request: %d, log %s", w.Code, buf.String())
	}
}

// A panic on the static path is front's 500: logged with its stack, the
// answer names the request id and the process goes on.
func TestStaticPathRecoversAPanic(t *testing.T) {
	var buf bytes.Buffer
	s, _ := newTestServer(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	w := httptest.NewRecorder()
	status, n := s.writeStaticSafely(w, httptest.NewRequest("GET", "/dcm-connect-docs/index.html", nil), nil, false, "rid-7")
	var body struct{ Message, ExceptionType, RequestId string }
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || status != 500 || w.Code != 500 || n != w.Body.Len() ||
		body.RequestId != "rid-7" || body.ExceptionType != "System.Exception" || !strings.Contains(body.Message, "rid-7") ||
		w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("panic answer: %d/%d, %d bytes of %d, %q %v", status, w.Code, n, w.Body.Len(), w.Body.String(), err)
	}
	if !strings.Contains(buf.String(), "panic in handler") || !strings.Contains(buf.String(), `"request_id":"rid-7"`) || !strings.Contains(buf.String(), "goroutine") {
		t.Fatalf("panic not logged with its stack: %s", buf.String())
	}
}

// The static path's Date is the one net/http would write: one value, the
// current second in http.TimeFormat.
func TestStaticPathDateIsNetHTTPs(t *testing.T) {
	s, _ := newTestServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	for _, p := range []string{"/dcm-connect-docs/index.html", "/healthz"} {
		before := time.Now().Truncate(time.Second)
		resp, err := http.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		after := time.Now()
		v := resp.Header.Values("Date")
		d, err := http.ParseTime(resp.Header.Get("Date"))
		if len(v) != 1 || err != nil || d.Before(before) || d.After(after) || v[0] != d.UTC().Format(http.TimeFormat) {
			t.Fatalf("%s: Date %q (%v), want one value between %v and %v", p, v, err, before, after)
		}
	}
}

// The request headers the static path reads are found whatever case the
// client wrote their names in (net/http stores them canonical; the path
// reads them by canonical name).
func TestStaticPathReadsHeadersSentInAnyCase(t *testing.T) {
	s, _ := newTestServer(t, nil)
	etag := do(t, s.Handler(), "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	for _, k := range []string{hdrForwardedFor, hdrRealIP, hdrIfNoneMatch, hdrAcceptEncoding} {
		if http.CanonicalHeaderKey(k) != k {
			t.Fatalf("%q is not canonical", k)
		}
	}
	read := func(hdr string) *http.Request {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader("GET /dcm-connect-docs/index.html HTTP/1.1\r\nHost: x\r\n" + hdr + "\r\n\r\n")))
		if err != nil {
			t.Fatal(err)
		}
		r.RemoteAddr = "192.0.2.1:1234"
		return r
	}
	for _, h := range []string{"x-forwarded-for: 203.0.113.9", "X-REAL-IP: 203.0.113.9"} {
		if s.staticFor(read(h)) != nil {
			t.Errorf("%q: took the static path, which leaves forwarded requests to gin", h)
		}
	}
	for _, tc := range []struct{ hdr, want string }{{"if-none-match: " + etag, "304"}, {"ACCEPT-ENCODING: gzip", "gzip"}} {
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, read(tc.hdr))
		if got := fmt.Sprint(w.Code); tc.want == "304" && got != "304" || tc.want == "gzip" && w.Header().Get("Content-Encoding") != "gzip" {
			t.Errorf("%q: %d %v, want %s", tc.hdr, w.Code, w.Header(), tc.want)
		}
	}
}
