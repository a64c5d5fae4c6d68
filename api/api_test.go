package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

type fakeVerifier map[string]*Caller

func (f fakeVerifier) Verify(_ context.Context, bearer string) (*Caller, error) {
	if c, ok := f[bearer]; ok {
		cp := *c
		return &cp, nil
	}
	return nil, Unauthorized("token not valid")
}

func newTestServer(t testing.TB, mut func(*Options)) (*Server, *prometheus.Registry) {
	t.Helper()
	reg := prometheus.NewRegistry()
	opts := Options{
		AppsOrigin:  "https://apps.mypurecloud.ie",
		CORSOrigins: []string{"https://apps.mypurecloud.ie", "https://sj.example.com"},
		PageConfig: PageConfig{Environment: "mypurecloud.ie", BrowserClientID: "browser-client",
			DocsURL: "https://sj.example.com/dcm-connect-docs/", ServiceURL: "https://sj.example.com/dcm-connect-service/DCMServices.asmx/"},
		Registerer: reg, Gatherer: reg,
		Verifier: fakeVerifier{"good": {ID: "u1", Name: "Ann", OrgID: "org1", Permissions: []string{"directory:user:view"}}},
		Methods: []Method{
			{Name: "Echo", Handle: func(_ context.Context, c *Call) (any, error) {
				v, err := c.String("value", true)
				return map[string]string{"value": v, "caller": c.Caller.ID}, err
			}},
			{Name: "Boss", Allow: func(c *Caller) error {
				if !c.HasAnyPermission([]string{"integrations:integration:edit"}) {
					return Forbidden("supervisors only")
				}
				return nil
			}, Handle: func(context.Context, *Call) (any, error) { return "ok", nil }},
			{Name: "Boom", Handle: func(context.Context, *Call) (any, error) { panic("kaboom") }},
			{Name: "Slow", Handle: func(context.Context, *Call) (any, error) { return nil, context.DeadlineExceeded }},
			// The same two run on the request's goroutine (Method.Bounded).
			{Name: "BoundedBoom", Bounded: true, Handle: func(context.Context, *Call) (any, error) { panic("kaboom") }},
			{Name: "BoundedSlow", Bounded: true, Handle: func(context.Context, *Call) (any, error) { return nil, context.DeadlineExceeded }},
			{Name: "Broken", Handle: func(context.Context, *Call) (any, error) { return nil, errors.New("rule X failed: no such rule") }},
		},
	}
	if mut != nil {
		mut(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, reg
}

func do(t testing.TB, h http.Handler, method, target, body string, hdr map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestCSPFrameAncestorsIsExactlyTheGenesysDesktop(t *testing.T) {
	s, _ := newTestServer(t, nil)
	w := do(t, s.Handler(), "GET", "/dcm-connect-docs/index.html", "", nil)
	csp := w.Header().Get("Content-Security-Policy")
	if !strings.HasSuffix(csp, "; frame-ancestors https://apps.mypurecloud.ie") {
		t.Fatalf("CSP = %q, want frame-ancestors exactly https://apps.mypurecloud.ie", csp)
	}
	if strings.Contains(csp, "*") {
		t.Fatalf("CSP must not contain a wildcard: %q", csp)
	}
	if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("Referrer-Policy") != "no-referrer" {
		t.Fatalf("missing security headers: %v", w.Header())
	}
	// Extras are appended, in order, and the headers are on API and 404 responses too.
	s2, _ := newTestServer(t, func(o *Options) { o.FrameAncestors = []string{"https://extra.example.com"} })
	for _, p := range []string{"/healthz", "/nope"} {
		w = do(t, s2.Handler(), "GET", p, "", nil)
		if got := w.Header().Get("Content-Security-Policy"); !strings.HasSuffix(got, "frame-ancestors https://apps.mypurecloud.ie https://extra.example.com") {
			t.Fatalf("%s: CSP = %q", p, got)
		}
	}
}

func TestCORSAllowsOnlyListedOrigins(t *testing.T) {
	s, _ := newTestServer(t, nil)
	h := s.Handler()
	ok := do(t, h, "POST", "/dcm-connect-service/DCMServices.asmx/GetConfig", "{}", map[string]string{"Origin": "https://sj.example.com"})
	if ok.Header().Get("Access-Control-Allow-Origin") != "https://sj.example.com" {
		t.Fatalf("listed origin not allowed: %v", ok.Header())
	}
	bad := do(t, h, "POST", "/dcm-connect-service/DCMServices.asmx/GetConfig", "{}", map[string]string{"Origin": "https://evil.example.com"})
	if got := bad.Header().Get("Access-Control-Allow-Origin"); got != "" {
		t.Fatalf("unlisted origin got ACAO %q", got)
	}
	pre := do(t, h, "OPTIONS", "/dcm-connect-service/DCMServices.asmx/WhoAmI", "", map[string]string{"Origin": "https://evil.example.com", "Access-Control-Request-Method": "POST"})
	if pre.Code != http.StatusForbidden {
		t.Fatalf("preflight from unlisted origin = %d, want 403", pre.Code)
	}
	pre = do(t, h, "OPTIONS", "/dcm-connect-service/DCMServices.asmx/WhoAmI", "", map[string]string{"Origin": "https://apps.mypurecloud.ie", "Access-Control-Request-Method": "POST"})
	if pre.Code != http.StatusNoContent || pre.Header().Get("Access-Control-Allow-Origin") != "https://apps.mypurecloud.ie" {
		t.Fatalf("preflight from listed origin = %d %v", pre.Code, pre.Header())
	}
}

func TestStaticFiles(t *testing.T) {
	s, _ := newTestServer(t, nil)
	h := s.Handler()
	w := do(t, h, "GET", "/dcm-connect-docs/index.html", "", nil)
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") || w.Header().Get("ETag") == "" {
		t.Fatalf("index.html: %d %v", w.Code, w.Header())
	}
	if w.Header().Get("Cache-Control") != "no-cache" {
		t.Fatalf("html must be revalidated, got Cache-Control %q", w.Header().Get("Cache-Control"))
	}
	etag := w.Header().Get("ETag")
	if w2 := do(t, h, "GET", "/dcm-connect-docs/index.html", "", map[string]string{"If-None-Match": etag}); w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
		t.Fatalf("If-None-Match: %d, body %d bytes", w2.Code, w2.Body.Len())
	}
	cases := map[string]int{
		"/dcm-connect-docs/":                         200,
		"/dcm-connect-docs/wizard/":                  200,
		"/dcm-connect-docs/wizard/index.html":        200,
		"/dcm-connect-docs/supervisor.html":          200,
		"/dcm-connect-docs/assets/":                  404, // no directory listing
		"/dcm-connect-docs/../go.mod":                404,
		"/dcm-connect-docs/assets/../index.html":     404,
		"/dcm-connect-docs/%2e%2e/%2e%2e/etc/passwd": 404,
		"/dcm-connect-docs/..%2fapi%2fserver.go":     404,
		"/dcm-connect-docs/nope.html":                404,
		"/elsewhere":                                 404,
	}
	for p, want := range cases {
		if got := do(t, h, "GET", p, "", nil).Code; got != want {
			t.Errorf("GET %s = %d, want %d", p, got, want)
		}
	}
	js := do(t, h, "GET", "/dcm-connect-docs/assets/dcm.js", "", map[string]string{"Accept-Encoding": "gzip"})
	if js.Header().Get("Content-Type") != "text/javascript; charset=utf-8" || js.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("dcm.js headers: %v", js.Header())
	}
	css := do(t, h, "GET", "/dcm-connect-docs/assets/app.css", "", map[string]string{"Accept-Encoding": "gzip;q=0"})
	if css.Header().Get("Content-Encoding") != "" || !strings.HasPrefix(css.Header().Get("Content-Type"), "text/css") {
		t.Fatalf("app.css with gzip refused: %v", css.Header())
	}
}

func TestConfigJSIsGeneratedFromOptions(t *testing.T) {
	s, _ := newTestServer(t, func(o *Options) { o.PageConfig.DomainCode = "</script><script>alert(1)</script>" })
	w := do(t, s.Handler(), "GET", "/dcm-connect-docs/config/config.js", "", nil)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, `"browserClientId": "browser-client"`) {
		t.Fatalf("config.js: %d %s", w.Code, body)
	}
	if strings.Contains(body, "</script>") {
		t.Fatalf("config.js lets a value close the script element: %s", body)
	}
}

func TestOversizeBodyIs413(t *testing.T) {
	s, _ := newTestServer(t, func(o *Options) { o.MaxBodyBytes = 100 })
	w := do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Echo", `{"value":"`+strings.Repeat("x", 200)+`"}`,
		map[string]string{"Authorization": "Bearer good", "Content-Type": "application/json"})
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversize body = %d, want 413", w.Code)
	}
}

func TestDCMServicesEnvelopeAndErrors(t *testing.T) {
	s, _ := newTestServer(t, nil)
	h := s.Handler()
	json := map[string]string{"Content-Type": "application/json"}
	auth := map[string]string{"Content-Type": "application/json", "Authorization": "Bearer good"}
	tests := []struct {
		name, method, path, body string
		hdr                      map[string]string
		code                     int
		contains                 string
	}{
		{"public GetConfig", "GET", "GetConfig", "", nil, 200, `"d":{"environment":"mypurecloud.ie"`},
		{"no bearer", "POST", "Echo", `{"value":"x"}`, json, 401, `"ExceptionType":"System.Security.Authentication.AuthenticationException"`},
		{"bad bearer", "POST", "Echo", `{"value":"x"}`, map[string]string{"Authorization": "Bearer nope"}, 401, "token not valid"},
		{"double bearer", "POST", "Echo", `{"value":"x"}`, map[string]string{"Authorization": "Bearer Bearer good"}, 401, "exactly"},
		{"two tokens", "POST", "Echo", `{"value":"x"}`, map[string]string{"Authorization": "Bearer good good"}, 401, "exactly"},
		{"ok", "POST", "Echo", `{"value":"x"}`, auth, 200, `{"d":{"caller":"u1","value":"x"}}`},
		{"param case-insensitive", "POST", "Echo", `{"VALUE":"y"}`, auth, 200, `"value":"y"`},
		{"bad json", "POST", "Echo", `{"value":`, auth, 400, "not a JSON object"},
		{"missing param", "POST", "Echo", `{}`, auth, 400, `parameter \"value\" is required`},
		{"wrong type", "POST", "Echo", `{"value":3}`, auth, 400, `parameter \"value\" must be a string`},
		{"GET on a write method", "GET", "Echo?value=x", "", auth, 405, "use POST"},
		{"unknown method", "POST", "Nope", `{}`, auth, 404, "unknown method"},
		{"forbidden", "POST", "Boss", `{}`, auth, 403, "supervisors only"},
		{"panic", "POST", "Boom", `{}`, auth, 500, "internal error"},
		{"timeout", "POST", "Slow", `{}`, auth, 504, "did not answer in time"},
		{"panic, bounded", "POST", "BoundedBoom", `{}`, auth, 500, "internal error; see the server log for request "},
		{"timeout, bounded", "POST", "BoundedSlow", `{}`, auth, 504, "did not answer in time"},
		{"upstream", "POST", "Broken", `{}`, auth, 502, "no such rule"},
	}
	for _, tc := range tests {
		w := do(t, h, tc.method, "/dcm-connect-service/DCMServices.asmx/"+tc.path, tc.body, tc.hdr)
		if w.Code != tc.code || !strings.Contains(w.Body.String(), tc.contains) {
			t.Errorf("%s: %d %s; want %d containing %q", tc.name, w.Code, w.Body.String(), tc.code, tc.contains)
		}
	}
}

func TestMetricsUseRouteTemplates(t *testing.T) {
	s, reg := newTestServer(t, nil)
	h := s.Handler()
	do(t, h, "GET", "/dcm-connect-docs/assets/app.css", "", nil)
	do(t, h, "GET", "/dcm-connect-docs/secret-looking-path-123", "", nil)
	do(t, h, "GET", "/some/random/path", "", nil)
	w := do(t, h, "GET", "/metrics", "", nil)
	body := w.Body.String()
	if !strings.Contains(body, `dcmconnect_http_requests_total{code="200",method="GET",route="/dcm-connect-docs/*filepath"} 1`) {
		t.Fatalf("no templated counter in:\n%s", body)
	}
	if strings.Contains(body, "secret-looking-path-123") || strings.Contains(body, "/some/random/path") {
		t.Fatalf("raw path leaked into metrics:\n%s", body)
	}
	if !strings.Contains(body, `route="unmatched"`) {
		t.Fatalf("unmatched requests not counted")
	}
	_ = reg
}

func TestHealthAndReadiness(t *testing.T) {
	ready := errors.New("Genesys token: invalid_client")
	s, _ := newTestServer(t, func(o *Options) { o.Ready = func(context.Context) error { return ready } })
	if w := do(t, s.Handler(), "GET", "/healthz", "", nil); w.Code != 200 {
		t.Fatalf("healthz = %d", w.Code)
	}
	w := do(t, s.Handler(), "GET", "/readyz", "", nil)
	// Ready or not; the reason (hosts, settings) is for the log only.
	if w.Code != 503 || !strings.Contains(w.Body.String(), "not ready") || strings.Contains(w.Body.String(), "invalid_client") {
		t.Fatalf("readyz = %d %s", w.Code, w.Body.String())
	}
	ready = nil
	if w := do(t, s.Handler(), "GET", "/readyz", "", nil); w.Code != 200 {
		t.Fatalf("readyz after recovery = %d", w.Code)
	}
}

// ReadyDetail adds to the /readyz answer, ready or not, and cannot change
// its status.
func TestReadinessDetail(t *testing.T) {
	ready := errors.New("down")
	s, _ := newTestServer(t, func(o *Options) {
		o.Ready = func(context.Context) error { return ready }
		o.ReadyDetail = func() map[string]any {
			return map[string]any{"events": map[string]any{"leading": true}, "status": "fine"}
		}
	})
	for _, want := range []struct {
		code   int
		status string
	}{{503, "not ready"}, {200, "ready"}} {
		w := do(t, s.Handler(), "GET", "/readyz", "", nil)
		var body struct {
			Status string
			Events struct{ Leading bool }
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || w.Code != want.code || body.Status != want.status || !body.Events.Leading {
			t.Fatalf("readyz = %d %s; want %d %q with the events detail", w.Code, w.Body.String(), want.code, want.status)
		}
		ready = nil
	}
}

func TestPermissionMatching(t *testing.T) {
	c := &Caller{Permissions: []string{"integrations:integration:view:division1", "directory:*:*"}}
	if !c.HasAnyPermission([]string{"integrations:integration:view"}) {
		t.Fatal("division-scoped permission should match")
	}
	if !c.HasAnyPermission([]string{"directory:user:view"}) {
		t.Fatal("wildcard permission should match")
	}
	if c.HasAnyPermission([]string{"integrations:integration:edit"}) {
		t.Fatal("unrelated permission matched")
	}
}

func BenchmarkServeIndex(b *testing.B) {
	s, _ := newTestServer(b, nil)
	serveIndexCases(b, s.Handler(), false)
}

// serveIndexCases serves index.html in full, gzipped and as a 304, in
// parallel goroutines when parallel is set.
func serveIndexCases(b *testing.B, h http.Handler, parallel bool) {
	etag := do(b, h, "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	for _, bc := range []struct {
		name string
		hdr  map[string]string
	}{{"full", nil}, {"gzip", map[string]string{"Accept-Encoding": "gzip"}}, {"if-none-match", map[string]string{"If-None-Match": etag}}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/dcm-connect-docs/index.html", nil)
			for k, v := range bc.hdr {
				req.Header.Set(k, v)
			}
			serve := func() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != 200 && w.Code != 304 {
					b.Fatal(w.Code)
				}
			}
			b.ReportAllocs()
			if !parallel {
				for b.Loop() {
					serve()
				}
				return
			}
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve()
				}
			})
		})
	}
}

func TestSupervisorOnlyByPermissionOrGroup(t *testing.T) {
	allow := SupervisorOnly(Supervisors{Permissions: []string{"analytics:conversationDetail:view"}, Groups: []string{"Team Leads", "g-42"}})
	cases := []struct {
		name   string
		caller Caller
		ok     bool
	}{
		{"permission", Caller{Permissions: []string{"analytics:conversationDetail:view"}}, true},
		{"group by name, any case", Caller{Groups: []Group{{ID: "g-1", Name: "team leads"}}}, true},
		{"group by id", Caller{Groups: []Group{{ID: "g-42", Name: "Night shift"}}}, true},
		{"other group", Caller{Groups: []Group{{ID: "g-7", Name: "Agents"}}}, false},
		{"nothing", Caller{}, false},
	}
	for _, tc := range cases {
		err := allow(&tc.caller)
		var e *Error
		if tc.ok != (err == nil) || (err != nil && (!errors.As(err, &e) || e.Status != 403)) {
			t.Errorf("%s: err = %v", tc.name, err)
		}
	}
	if err := SupervisorOnly(Supervisors{})(&Caller{Permissions: []string{"*:*:*"}, Groups: []Group{{ID: "x", Name: ""}}}); err == nil {
		t.Error("empty settings must refuse everybody")
	}
}

func TestLargeResultsAreGzippedForClientsThatAcceptIt(t *testing.T) {
	big := strings.Repeat("user map row ", 2000)
	s, _ := newTestServer(t, func(o *Options) {
		o.Methods = append(o.Methods, Method{Name: "Big", Handle: func(context.Context, *Call) (any, error) { return big, nil }})
	})
	hdr := map[string]string{"Authorization": "Bearer good", "Accept-Encoding": "gzip"}
	w := do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Big", "{}", hdr)
	if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" || w.Body.Len() > len(big)/5 {
		t.Fatalf("large result: %d %v, %d bytes", w.Code, w.Header(), w.Body.Len())
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !strings.Contains(string(plain), `{"d":"user map row`) {
		t.Fatalf("gunzipped body: %.60s", plain)
	}
	// Without Accept-Encoding, and for small results, the JSON is sent as is.
	w = do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Big", "{}", map[string]string{"Authorization": "Bearer good"})
	if w.Header().Get("Content-Encoding") != "" || !strings.HasPrefix(w.Body.String(), `{"d":"user map row`) {
		t.Fatalf("plain large result: %v %.40s", w.Header(), w.Body.String())
	}
	w = do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Echo", `{"value":"x"}`, hdr)
	if w.Header().Get("Content-Encoding") != "" {
		t.Fatal("small result gzipped")
	}
}

// Error bodies carry the request id, so a person can quote it and the log
// line with the details can be found.
func TestErrorBodiesCarryTheRequestID(t *testing.T) {
	s, _ := newTestServer(t, nil)
	w := do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Broken", "{}",
		map[string]string{"Authorization": "Bearer good", requestIDHeader: "req-42"})
	if w.Code != 502 || !strings.Contains(w.Body.String(), `"RequestId":"req-42"`) {
		t.Fatalf("error body = %d %s", w.Code, w.Body.String())
	}
}

// countingVerifier refuses every token and counts the (upstream) lookups.
type countingVerifier struct{ n *atomic.Int64 }

func (v countingVerifier) Verify(context.Context, string) (*Caller, error) {
	v.n.Add(1)
	return nil, Unauthorized("token not valid")
}

// Random tokens from one address cost Genesys one lookup each until the
// address has used its failures; then it gets 429 with Retry-After and no
// lookup. Other addresses are not affected, and X-Forwarded-For counts only
// from the trusted (loopback) proxy.
func TestFailedVerificationsAreLimitedPerClientIP(t *testing.T) {
	var n atomic.Int64
	s, _ := newTestServer(t, func(o *Options) { o.Verifier = countingVerifier{&n} })
	call := func(remote, xff string, i int) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/Echo", strings.NewReader(`{"value":"x"}`))
		req.RemoteAddr = remote
		req.Header.Set("Authorization", fmt.Sprintf("Bearer random%d", i))
		if xff != "" {
			req.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		return w
	}
	for i := range failedVerifyBurst {
		if w := call("192.0.2.7:4000", "", i); w.Code != 401 {
			t.Fatalf("failure %d = %d", i, w.Code)
		}
	}
	// A spoofed X-Forwarded-For from an untrusted peer changes nothing.
	w := call("192.0.2.7:4000", "203.0.113.50", 99)
	if w.Code != 429 || w.Header().Get("Retry-After") == "" || n.Load() != failedVerifyBurst {
		t.Fatalf("after %d failures: %d Retry-After=%q lookups=%d", failedVerifyBurst, w.Code, w.Header().Get("Retry-After"), n.Load())
	}
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 {
		t.Fatalf("Retry-After = %q", w.Header().Get("Retry-After"))
	}
	if w := call("192.0.2.8:4000", "", 100); w.Code != 401 {
		t.Fatalf("another address = %d, want its own 401", w.Code)
	}
	// Behind the trusted proxy, the forwarded address is the client.
	if w := call("127.0.0.1:5000", "203.0.113.51", 101); w.Code != 401 {
		t.Fatalf("a proxied client = %d, want 401", w.Code)
	}
}

// Options.TrustedProxies replaces the loopback default: a configured proxy's
// X-Forwarded-For names the client, loopback's no longer does.
func TestTrustedProxiesAreConfigurable(t *testing.T) {
	var n atomic.Int64
	s, _ := newTestServer(t, func(o *Options) {
		o.Verifier = countingVerifier{&n}
		o.TrustedProxies = []string{"10.0.0.0/8"}
	})
	call := func(remote, xff string, i int) int {
		req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/Echo", strings.NewReader(`{"value":"x"}`))
		req.RemoteAddr = remote
		req.Header.Set("Authorization", fmt.Sprintf("Bearer random%d", i))
		req.Header.Set("X-Forwarded-For", xff)
		w := httptest.NewRecorder()
		s.Handler().ServeHTTP(w, req)
		return w.Code
	}
	// Through loopback (no longer trusted) every client is the loopback
	// address, so its failures add up whatever the header says.
	for i := range failedVerifyBurst {
		call("127.0.0.1:5000", fmt.Sprintf("203.0.113.%d", i+1), i)
	}
	if code := call("127.0.0.1:5000", "203.0.113.200", 50); code != http.StatusTooManyRequests {
		t.Fatalf("loopback after %d failures = %d, want 429 (its X-Forwarded-For is not trusted)", failedVerifyBurst, code)
	}
	// Through the configured proxy, each forwarded client has its own budget.
	for i := range failedVerifyBurst + 2 {
		if code := call("10.1.2.3:5000", fmt.Sprintf("198.51.100.%d", i+1), 100+i); code != http.StatusUnauthorized {
			t.Fatalf("client %d behind the configured proxy = %d, want its own 401", i, code)
		}
	}
}

// With SeparateMetrics the main handler has no /metrics; MetricsHandler has.
func TestSeparateMetricsLeaveTheMainHandler(t *testing.T) {
	s, _ := newTestServer(t, func(o *Options) { o.SeparateMetrics = true })
	if w := do(t, s.Handler(), "GET", "/metrics", "", nil); w.Code != http.StatusNotFound {
		t.Fatalf("main /metrics = %d, want 404", w.Code)
	}
	w := httptest.NewRecorder()
	s.MetricsHandler().ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	if w.Code != 200 || !strings.Contains(w.Body.String(), "dcmconnect_http_requests_total") {
		t.Fatalf("metrics handler: %d %.200s", w.Code, w.Body.String())
	}
}
