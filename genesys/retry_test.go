package genesys

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Done when: a 429 with Retry-After: 2 is waited out and succeeds.
func Test429RetryAfterWaitedOut(t *testing.T) {
	e := newEnv(t, nil)
	var n atomic.Int64
	e.f.handle("GET /api/v2/routing/queues/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			genesysError(w, 429, "too.many.requests.retry.after", "Rate limit exceeded the maximum. Retry the request in [2] seconds")
			return
		}
		writeJSON(w, 200, map[string]any{"id": "q-1", "name": "Support"})
	})
	q, err := e.c.Routing.GetQueue(context.Background(), "q-1")
	if err != nil || q.Name != "Support" {
		t.Fatalf("GetQueue = %+v, %v", q, err)
	}
	if got := e.sl.all(); len(got) != 1 || got[0] != 2*time.Second {
		t.Fatalf("waits = %v, want [2s]", got)
	}
	if n.Load() != 2 {
		t.Fatalf("requests = %d, want 2", n.Load())
	}
	m := e.c.core.metrics
	if counterValue(t, m.throttled.WithLabelValues("routing")) != 1 || counterValue(t, m.retries.WithLabelValues("routing", "429")) != 1 {
		t.Fatal("429 not counted in metrics")
	}
	if counterValue(t, m.requests.WithLabelValues("routing", "/api/v2/routing/queues/{id}", "GET", "429")) != 1 ||
		counterValue(t, m.requests.WithLabelValues("routing", "/api/v2/routing/queues/{id}", "GET", "200")) != 1 {
		t.Fatal("requests not counted by route template and status")
	}
}

// Done when: a Retry-After above the cap fails fast with a clear error.
func Test429AboveCapFailsFast(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RetryAfterCap = 60 * time.Second })
	e.f.handle("GET /api/v2/routing/queues/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		genesysError(w, 429, "too.many.requests.retry.after", "Rate limit exceeded the maximum. Retry the request in [120] seconds")
	})
	_, err := e.c.Routing.GetQueue(context.Background(), "q-1")
	if !errors.Is(err, ErrRateLimited) {
		t.Fatalf("err = %v, want ErrRateLimited", err)
	}
	for _, want := range []string{"429", "2m0s", "retryAfterCap", "1m0s", "/api/v2/routing/queues/{id}", "corr-GET"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if len(e.sl.all()) != 0 || e.f.count("GET /api/v2/routing/queues/{id}") != 1 {
		t.Fatalf("waited %v, %d requests; want no wait, 1 request", e.sl.all(), e.f.count("GET /api/v2/routing/queues/{id}"))
	}
}

func Test429WithoutRetryAfterBacksOffAndIsBounded(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRetries = 2 })
	e.f.handle("GET /api/v2/routing/queues/{id}", func(w http.ResponseWriter, r *http.Request) {
		genesysError(w, 429, "too.many.requests", "slow down")
	})
	_, err := e.c.Routing.GetQueue(context.Background(), "q-1")
	if !errors.Is(err, ErrRateLimited) || e.f.count("GET /api/v2/routing/queues/{id}") != 3 {
		t.Fatalf("err %v after %d requests; want ErrRateLimited after 3", err, e.f.count("GET /api/v2/routing/queues/{id}"))
	}
	w := e.sl.all()
	if len(w) != 2 || w[0] < 250*time.Millisecond || w[0] >= 500*time.Millisecond || w[1] < 500*time.Millisecond || w[1] >= time.Second {
		t.Fatalf("backoff waits = %v, want jittered [250ms,500ms) then [500ms,1s)", w)
	}
}

func Test429NotRetriedPastCallerDeadline(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/routing/queues/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "30")
		genesysError(w, 429, "too.many.requests.retry.after", "wait")
	})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := e.c.Routing.GetQueue(ctx, "q-1"); !errors.Is(err, ErrRateLimited) || len(e.sl.all()) != 0 {
		t.Fatalf("err = %v, waits %v", err, e.sl.all())
	}
}

func Test5xxRetriedForIdempotentOnly(t *testing.T) {
	e := newEnv(t, nil)
	var n atomic.Int64
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 2 {
			genesysError(w, 503, "service.unavailable", "The service is currently unavailable")
			return
		}
		writeJSON(w, 200, map[string]any{"id": "u-1"})
	})
	if _, err := e.c.Users.Get(context.Background(), "u-1"); err != nil {
		t.Fatalf("GET after two 503s: %v", err)
	}
	if counterValue(t, e.c.core.metrics.retries.WithLabelValues("users", "5xx")) != 2 {
		t.Fatal("5xx retries not counted")
	}

	// Placing a call twice would dial twice: a 503 on create is returned.
	e.f.handle("POST /api/v2/conversations/calls", func(w http.ResponseWriter, r *http.Request) {
		genesysError(w, 503, "service.unavailable", "down")
	})
	_, err := e.c.Conversations.CreateCall(context.Background(), &CreateCallRequest{PhoneNumber: "+353861234567"})
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != 503 || e.f.count("POST /api/v2/conversations/calls") != 1 {
		t.Fatalf("CreateCall err %v after %d requests; want one 503", err, e.f.count("POST /api/v2/conversations/calls"))
	}
}

func Test501AndOther4xxNotRetried(t *testing.T) {
	for _, status := range []int{501, 400, 403, 404} {
		e := newEnv(t, nil)
		e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
			genesysError(w, status, "x", "no")
		})
		_, err := e.c.Users.Get(context.Background(), "u-1")
		if err == nil || e.f.count("GET /api/v2/users/{id}") != 1 || len(e.sl.all()) != 0 {
			t.Fatalf("status %d: err %v, %d requests; want 1 and no retry", status, err, e.f.count("GET /api/v2/users/{id}"))
		}
	}
}

func TestMaxRetriesBoundsAttempts(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRetries = 3 })
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		genesysError(w, 500, "internal.server.error", "boom")
	})
	_, err := e.c.Users.Get(context.Background(), "u-1")
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != 500 || ae.Message != "boom" {
		t.Fatalf("err = %#v", err)
	}
	if got := e.f.count("GET /api/v2/users/{id}"); got != 4 {
		t.Fatalf("attempts = %d, want 4 (1 + MaxRetries)", got)
	}
}

func TestDroppedConnectionRetriedForGET(t *testing.T) {
	e := newEnv(t, nil)
	var n atomic.Int64
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			conn, _, err := http.NewResponseController(w).Hijack()
			if err == nil {
				conn.Close() // no answer at all
			}
			return
		}
		writeJSON(w, 200, map[string]any{"id": "u-1"})
	})
	if _, err := e.c.Users.Get(context.Background(), "u-1"); err != nil {
		t.Fatalf("GET after a dropped connection: %v", err)
	}
	if counterValue(t, e.c.core.metrics.retries.WithLabelValues("users", "conn")) != 1 {
		t.Fatal("connection retry not counted")
	}
	if counterValue(t, e.c.core.metrics.requests.WithLabelValues("users", "/api/v2/users/{id}", "GET", "error")) != 1 {
		t.Fatal("failed attempt not counted with status=error")
	}

	e.f.handle("POST /api/v2/authorization/roles", func(w http.ResponseWriter, r *http.Request) {
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	})
	_, err := e.c.Authorization.CreateRole(context.Background(), &Role{Name: "DCM"})
	if !errors.Is(err, ErrUnreachable) || e.f.count("POST /api/v2/authorization/roles") != 1 {
		t.Fatalf("POST create after dropped connection: err %v, %d requests; want ErrUnreachable after 1", err, e.f.count("POST /api/v2/authorization/roles"))
	}
}

func TestUnreachableAPIHostNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	e := newEnv(t, func(o *Options) { o.APIURL = "http://" + addr; o.MaxRetries = 1 })
	_, err = e.c.Users.Get(context.Background(), "u-1")
	var te *TransportError
	if !errors.As(err, &te) || te.Host != addr || !strings.Contains(err.Error(), addr) || te.Route != "/api/v2/users/{id}" {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "tok-") {
		t.Fatal("error holds the token")
	}
}

func TestPerAttemptTimeout(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Timeout = 50 * time.Millisecond; o.MaxRetries = -1 })
	release := make(chan struct{})
	defer close(release)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	start := time.Now()
	_, err := e.c.Users.Get(context.Background(), "u-1")
	if !errors.Is(err, ErrUnreachable) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "Options.Timeout") {
		t.Fatalf("err = %v", err)
	}
	if el := time.Since(start); el > 5*time.Second {
		t.Fatalf("took %s", el)
	}
}

func TestCallerCancelIsNotATransportError(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := e.c.Users.Get(ctx, "u-1")
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v", err)
	}
	if len(e.sl.all()) != 0 {
		t.Fatal("retried after the caller gave up")
	}
}

func TestRetryAfterParsing(t *testing.T) {
	for _, c := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{{"2", 2 * time.Second, true}, {"0", 0, true}, {"-3", 0, true}, {"1.5", 1500 * time.Millisecond, true},
		{"", 0, false}, {"soon", 0, false}, {"NaN", 0, false}, {"99999999999999", 1e7 * time.Second, true}} {
		h := http.Header{}
		if c.v != "" {
			h.Set("Retry-After", c.v)
		}
		got, ok := retryAfter(h)
		if got != c.want || ok != c.ok {
			t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", c.v, got, ok, c.want, c.ok)
		}
	}
	h := http.Header{}
	h.Set("Retry-After", time.Now().Add(90*time.Second).UTC().Format(http.TimeFormat))
	if d, ok := retryAfter(h); !ok || d < 80*time.Second || d > 91*time.Second {
		t.Errorf("HTTP-date Retry-After = %v, %v", d, ok)
	}
}
