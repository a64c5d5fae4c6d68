package genesystest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestFault429CarriesRetryAfter(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	s.Fault("GET /api/v2/users", Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second, Times: 1})
	r := api(t, s, "GET", "/api/v2/users", tok, nil)
	m := wantAPIError(t, r, http.StatusTooManyRequests, "too.many.requests.retry.after")
	if r.header.Get("Retry-After") != "2" || !strings.Contains(m["message"].(string), "[2] seconds") {
		t.Fatalf("Retry-After %q, message %v", r.header.Get("Retry-After"), m["message"])
	}
	wantStatus(t, api(t, s, "GET", "/api/v2/users", tok, nil), http.StatusOK)
	if got := s.Requests("GET /api/v2/users"); got != 2 {
		t.Fatalf("Requests = %d, want 2 (faulted requests count)", got)
	}
	// Sub-second Retry-After rounds up; a 429 always has the header.
	s.Fault("GET /api/v2/users", Fault{Status: 429, RetryAfter: 1500 * time.Millisecond, Times: 1})
	s.Fault("GET /api/v2/users", Fault{Status: 429, Times: 1})
	for _, want := range []string{"2", "1"} {
		if got := api(t, s, "GET", "/api/v2/users", tok, nil).header.Get("Retry-After"); got != want {
			t.Fatalf("Retry-After %q, want %q", got, want)
		}
	}
}

// The login host answers refusals with the OAuth body, so a 4xx fault on
// /oauth/token must too; 429 and 5xx keep the API error body.
func TestFaultOnTokenRouteUsesOAuthBody(t *testing.T) {
	s := newFake(t)
	c := s.AddClient(Client{ID: "bg", Secret: "s3cret"})
	form := url.Values{"grant_type": {"client_credentials"}}
	s.Fault(AllRoutes, Fault{Status: http.StatusUnauthorized, Times: 1})
	s.Fault("POST /oauth/token", Fault{Status: http.StatusBadRequest, Times: 1})
	s.Fault("POST /oauth/token", Fault{Status: http.StatusServiceUnavailable, Times: 1})
	r := postForm(t, s, "/oauth/token", c.ID, c.Secret, form)
	if m := r.json(t); r.status != 400 || m["error"] != "invalid_request" || m["error_description"] == nil {
		t.Fatalf("400 fault: %d %s", r.status, r.body)
	}
	r = postForm(t, s, "/oauth/token", c.ID, c.Secret, form)
	wantAPIError(t, r, http.StatusServiceUnavailable, "service.unavailable")
	r = postForm(t, s, "/oauth/token", c.ID, c.Secret, form)
	if m := r.json(t); r.status != 401 || m["error"] != "invalid_client" || m["description"] != "authentication failed" {
		t.Fatalf("401 fault (AllRoutes): %d %s", r.status, r.body)
	}
	wantStatus(t, postForm(t, s, "/oauth/token", c.ID, c.Secret, form), http.StatusOK)
}

func TestFaultQueueAndForever(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	u := s.AddUser(User{Name: "Ann"})
	// Parameter names do not matter.
	s.Fault("GET /api/v2/users/{id}", Fault{Status: 500, Times: 1})
	s.Fault("GET /api/v2/users/{userId}", Fault{Status: 503, Times: 2})
	wantAPIError(t, api(t, s, "GET", "/api/v2/users/"+u.ID, tok, nil), 500, "internal.server.error")
	wantAPIError(t, api(t, s, "GET", "/api/v2/users/"+u.ID, tok, nil), 503, "service.unavailable")
	wantAPIError(t, api(t, s, "GET", "/api/v2/users/"+u.ID, tok, nil), 503, "service.unavailable")
	wantStatus(t, api(t, s, "GET", "/api/v2/users/"+u.ID, tok, nil), http.StatusOK)

	s.Fault(AllRoutes, Fault{Status: 401})
	for range 3 {
		wantAPIError(t, api(t, s, "GET", "/api/v2/organizations/me", tok, nil), 401, "bad.credentials")
	}
	s.ClearFaults()
	wantStatus(t, api(t, s, "GET", "/api/v2/organizations/me", tok, nil), http.StatusOK)
}

func TestFaultOnUnknownRoutePanics(t *testing.T) {
	s := NewServer() // without a test to fail, the fake panics
	t.Cleanup(s.Close)
	for _, route := range []string{"GET /api/v2/user", "POST /api/v2/users/{id}"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Fatalf("route %q did not panic", route)
				}
			}()
			s.Fault(route, Fault{Status: 500})
		}()
	}
	defer func() {
		if recover() == nil {
			t.Fatal("Requests on an unknown route did not panic")
		}
	}()
	s.Requests("GET /nope")
}

func TestFaultOnUnknownRouteFailsTest(t *testing.T) {
	rec := &recorder{}
	s := NewServerT(rec)
	defer s.Close()
	s.Fault("GET /api/v2/user", Fault{Status: 500})
	if n := s.Requests("GET /nope"); n != 0 {
		t.Fatalf("Requests on an unknown route = %d", n)
	}
	if len(rec.fatals) != 2 || !strings.Contains(rec.fatals[0], `unknown target "GET /api/v2/user"`) ||
		!strings.Contains(rec.fatals[1], `"GET /nope"`) {
		t.Fatalf("failures reported: %q", rec.fatals)
	}
	rec.cleanup()
	if _, err := http.Get(s.URL() + "/api/v2/organizations/me"); err == nil {
		t.Fatal("the fake still answers after the test's cleanup")
	}
}

func TestFaultLatencyHonoursClientContext(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	s.Fault("GET /api/v2/organizations/me", Fault{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", s.URL()+"/api/v2/organizations/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	_, err := http.DefaultClient.Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("client waited far past its deadline")
	}

	// Latency alone delays, then lets the request through.
	s.ClearFaults()
	s.Fault("GET /api/v2/organizations/me", Fault{Latency: 80 * time.Millisecond, Times: 1})
	start = time.Now()
	wantStatus(t, api(t, s, "GET", "/api/v2/organizations/me", tok, nil), http.StatusOK)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("answered after %v, before the injected latency", d)
	}
}

func TestCloseWakesLatency(t *testing.T) {
	// The fake serves behind a front server that stays up, so only Close
	// waking the injected latency can end the request.
	s := NewUnstartedServer()
	s.AddClient(Client{ID: "c", Secret: "s"})
	s.Fault("POST /oauth/token", Fault{Latency: time.Minute})
	arrived := make(chan struct{})
	var once sync.Once
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		s.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	done := make(chan error, 1)
	go func() {
		_, err := http.PostForm(front.URL+"/oauth/token", url.Values{"grant_type": {"client_credentials"}})
		done <- err
	}()
	select {
	case <-arrived:
	case <-time.After(5 * time.Second):
		t.Fatal("the request never reached the fake")
	}
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("request succeeded after Close")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the delayed request")
	}
}

func TestFaultDropClosesConnection(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "c", Secret: "s"})
	s.Fault("POST /oauth/token", Fault{Drop: true, Times: 1})
	// POST is not retried by net/http, so the drop reaches the caller.
	req, _ := http.NewRequest("POST", s.URL()+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("c", "s")
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Fatal("dropped connection gave a response")
	}
	clientToken(t, s, "c", "s")
	if got := s.TokenRequests(); got != 2 {
		t.Fatalf("TokenRequests = %d, want 2", got)
	}
}

func TestEveryResponseHasCorrelationID(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	seen := map[string]bool{}
	for _, r := range []reply{
		api(t, s, "GET", "/api/v2/organizations/me", tok, nil),
		api(t, s, "GET", "/api/v2/nothing/here", tok, nil),
		api(t, s, "DELETE", "/api/v2/users", tok, nil),
		do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize")),
		postForm(t, s, "/oauth/token", "x", "y", url.Values{}),
	} {
		id := r.header.Get("ININ-Correlation-Id")
		if len(id) != 36 || seen[id] {
			t.Fatalf("correlation id %q missing, malformed or reused", id)
		}
		seen[id] = true
	}
	wantAPIError(t, api(t, s, "GET", "/api/v2/nothing/here", tok, nil), 404, "not.found")
	wantAPIError(t, api(t, s, "DELETE", "/api/v2/users", tok, nil), 405, "method.not.allowed")
}

func TestCORSPreflight(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	req := mustReq(t, "OPTIONS", s.URL()+"/api/v2/users/me")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	r := do(t, req)
	wantStatus(t, r, http.StatusNoContent)
	if r.header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8080" ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "authorization") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Methods"), "GET") {
		t.Fatalf("preflight headers %v", r.header)
	}
	req = mustReq(t, "OPTIONS", s.URL()+"/oauth/token")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Access-Control-Request-Method", "POST")
	wantStatus(t, do(t, req), http.StatusNoContent)
	if s.Requests("GET /api/v2/users/me") != 0 || s.TokenRequests() != 1 {
		t.Fatal("preflights were counted as requests")
	}

	req = mustReq(t, "GET", s.URL()+"/api/v2/organizations/me")
	req.Header.Set("Origin", "http://127.0.0.1:8080")
	req.Header.Set("Authorization", "Bearer "+tok)
	r = do(t, req)
	wantStatus(t, r, http.StatusOK)
	if r.header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8080" ||
		!strings.Contains(r.header.Get("Access-Control-Expose-Headers"), "ININ-Correlation-Id") {
		t.Fatalf("CORS headers on GET: %v", r.header)
	}
}
