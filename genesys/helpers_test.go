package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

const (
	testClientID     = "cc-client"
	testClientSecret = "s3cret-value-never-shown"
)

// fake is a minimal Genesys for unit tests: a login server issuing
// tokens "tok-1", "tok-2", ... and an API server whose routes each test
// registers. It counts what arrives.
type fake struct {
	login, api *httptest.Server
	mux        *http.ServeMux

	tokenCalls atomic.Int64
	expiresIn  atomic.Int64
	gate       atomic.Pointer[chan struct{}]    // when set, token answers wait for it to close
	arrived    chan struct{}                    // one value per token request held by the gate
	tokenFail  atomic.Value                     // func(w) bool: answer instead of issuing
	loginHook  atomic.Pointer[http.HandlerFunc] // replaces the token endpoint

	mu   sync.Mutex
	hits map[string]int // pattern -> requests
}

func newFake(t testing.TB) *fake {
	t.Helper()
	f := &fake{mux: http.NewServeMux(), hits: map[string]int{}, arrived: make(chan struct{}, 64)}
	f.expiresIn.Store(86399)
	f.login = httptest.NewServer(http.HandlerFunc(f.token))
	f.api = httptest.NewServer(f.mux)
	t.Cleanup(func() { f.api.Close(); f.login.Close() })
	return f
}

func (f *fake) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/oauth/token" {
		http.NotFound(w, r)
		return
	}
	if h := f.loginHook.Load(); h != nil {
		(*h)(w, r)
		return
	}
	n := f.tokenCalls.Add(1)
	if g := f.gate.Load(); g != nil {
		select {
		case f.arrived <- struct{}{}:
		default:
		}
		<-*g
	}
	if fn, _ := f.tokenFail.Load().(func(http.ResponseWriter) bool); fn != nil && fn(w) {
		return
	}
	id, secret, ok := r.BasicAuth()
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "client_credentials" || !ok ||
		r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		w.WriteHeader(400)
		fmt.Fprint(w, `{"error":"invalid_request","description":"bad request","error_description":"bad request"}`)
		return
	}
	if id != testClientID || secret != testClientSecret {
		w.Header().Set("ININ-Correlation-Id", "corr-login")
		w.WriteHeader(401)
		fmt.Fprint(w, `{"error":"invalid_client","description":"authentication failed","error_description":"authentication failed"}`)
		return
	}
	writeJSON(w, 200, map[string]any{"access_token": fmt.Sprintf("tok-%d", n), "token_type": "bearer", "expires_in": f.expiresIn.Load()})
}

// handle registers h for a ServeMux pattern and counts its requests.
func (f *fake) handle(pattern string, h http.HandlerFunc) {
	f.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.hits[pattern]++
		f.mu.Unlock()
		w.Header().Set("ININ-Correlation-Id", "corr-"+r.Method)
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer ") {
			writeJSON(w, 401, map[string]any{"message": "No authentication bearer token specified in authorization header.", "code": "authentication.required", "status": 401})
			return
		}
		h(w, r)
	})
}

// closeGate makes token answers wait until the returned func is called.
func (f *fake) holdTokens() (release func()) {
	g := make(chan struct{})
	f.gate.Store(&g)
	return func() { close(g) }
}

func (f *fake) count(pattern string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.hits[pattern]
}

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// sleeps records requested waits and returns at once.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

type env struct {
	c     *Client
	f     *fake
	clock *clock
	sl    *sleeps
	reg   *prometheus.Registry
}

// newEnv builds a client with credentials against a fresh fake, a fake
// clock, a recording Sleep and no rate limit; mod adjusts the options.
func newEnv(t testing.TB, mod func(*Options)) *env {
	t.Helper()
	e := &env{f: newFake(t), clock: newClock(), sl: &sleeps{}, reg: prometheus.NewRegistry()}
	o := Options{
		APIURL: e.f.api.URL, LoginURL: e.f.login.URL,
		ClientID: testClientID, ClientSecret: testClientSecret,
		RequestsPerMinute: -1,
		Registerer:        e.reg,
		Sleep:             e.sl.Sleep,
		Now:               e.clock.Now,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := New(o)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	e.c = c
	return e
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func genesysError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"message": msg, "code": code, "status": status, "contextId": "ctx-" + code})
}

func counterValue(t testing.TB, c prometheus.Collector) float64 {
	t.Helper()
	return testutil.ToFloat64(c)
}
