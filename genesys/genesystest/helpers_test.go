package genesystest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dcmconnect/internal/clock"
)

func newFake(t *testing.T, opts ...Option) *Server {
	t.Helper()
	return NewServerT(t, opts...)
}

// noRedirect is a client that shows redirects instead of following them.
var noRedirect = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func do(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := noRedirect.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// api calls the fake's API with a bearer token and an optional JSON body.
func api(t *testing.T, s *Server, method, path, token string, body any) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, s.URL()+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

// postForm posts a form to the fake, with Basic auth when id is not empty.
func postForm(t *testing.T, s *Server, path, id, secret string, form url.Values) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if id != "" {
		req.SetBasicAuth(id, secret)
	}
	return do(t, req)
}

// clientToken runs the client-credentials grant and returns the token.
func clientToken(t *testing.T, s *Server, id, secret string) string {
	t.Helper()
	r := postForm(t, s, "/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	if r.status != http.StatusOK {
		t.Fatalf("token: status %d: %s", r.status, r.body)
	}
	return r.json(t)["access_token"].(string)
}

// seededClient adds a client-credentials client and returns its token.
func seededClient(t *testing.T, s *Server) string {
	t.Helper()
	c := s.AddClient(Client{ID: "bg-client", Secret: "bg-secret"})
	return clientToken(t, s, c.ID, c.Secret)
}

func wantStatus(t *testing.T, r reply, want int) {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.body)
	}
}

// wantAPIError checks the Genesys error body and that contextId matches
// the ININ-Correlation-Id header.
func wantAPIError(t *testing.T, r reply, status int, code string) map[string]any {
	t.Helper()
	wantStatus(t, r, status)
	m := r.json(t)
	if m["code"] != code || m["status"] != float64(status) {
		t.Fatalf("error body code=%v status=%v, want %s %d: %s", m["code"], m["status"], code, status, r.body)
	}
	if msg, _ := m["message"].(string); msg == "" {
		t.Fatalf("error body without message: %s", r.body)
	}
	cid := r.header.Get("ININ-Correlation-Id")
	if cid == "" || m["contextId"] != cid {
		t.Fatalf("contextId %v does not match ININ-Correlation-Id %q", m["contextId"], cid)
	}
	return m
}

// newFakeClock is a clock for WithClock that the test moves by hand.
func newFakeClock(t0 time.Time) *clock.Fake { return clock.NewFake(t0) }

// recorder is a test double for the T of NewServerT: it records failures
// and cleanups instead of acting on them.
type recorder struct {
	fatals   []string
	cleanups []func()
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Fatalf(f string, a ...any) { r.fatals = append(r.fatals, fmt.Sprintf(f, a...)) }

func (r *recorder) cleanup() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}
