package genesys

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestLimiterTokenBucket(t *testing.T) {
	clk := newClock()
	sl := &sleeps{}
	l := newLimiter(60, clk.Now, sl.Sleep) // 1/s, burst 6
	ctx := context.Background()
	for i := range 6 {
		if d, err := l.wait(ctx, "tok-a"); d != 0 || err != nil {
			t.Fatalf("request %d within burst waited %v, %v", i, d, err)
		}
	}
	if d, _ := l.wait(ctx, "tok-a"); d != time.Second {
		t.Fatalf("7th wait = %v, want 1s", d)
	}
	if d, _ := l.wait(ctx, "tok-a"); d != 2*time.Second {
		t.Fatalf("8th wait = %v, want 2s", d)
	}
	// Another token has its own budget.
	if d, _ := l.wait(ctx, "tok-b"); d != 0 {
		t.Fatalf("other token waited %v", d)
	}
	// Refill: after 3s the debt of 2 is paid and one request is free.
	clk.Advance(3 * time.Second)
	if d, _ := l.wait(ctx, "tok-a"); d != 0 {
		t.Fatalf("after refill waited %v", d)
	}
	if d, _ := l.wait(ctx, "tok-a"); d != time.Second {
		t.Fatalf("after refill second wait %v, want 1s", d)
	}
}

func TestLimiterCancelReturnsReservation(t *testing.T) {
	clk := newClock()
	l := newLimiter(60, clk.Now, func(ctx context.Context, d time.Duration) error { return context.Canceled })
	for range 6 {
		l.wait(context.Background(), "k")
	}
	for range 3 {
		if _, err := l.wait(context.Background(), "k"); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v", err)
		}
	}
	// Abandoned waits gave their reservations back: still only 1s to wait.
	if d := l.reserve("k"); d != time.Second {
		t.Fatalf("wait after cancels = %v, want 1s", d)
	}
}

func TestLimiterForgetsIdleBuckets(t *testing.T) {
	clk := newClock()
	l := newLimiter(300, clk.Now, sleepContext)
	for _, k := range []string{"a", "b", "c"} {
		l.reserve(k)
	}
	clk.Advance(2 * time.Minute)
	l.reserve("d") // creation triggers the sweep
	if n := l.size(); n != 1 {
		t.Fatalf("buckets = %d, want 1", n)
	}
}

func TestLimiterDisabled(t *testing.T) {
	if l := newLimiter(-1, time.Now, sleepContext); l != nil {
		t.Fatal("negative rate must disable the limiter")
	}
	var l *limiter
	if d, err := l.wait(context.Background(), "x"); d != 0 || err != nil {
		t.Fatal("nil limiter must not wait")
	}
}

func TestClientRateLimitedPerToken(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.RequestsPerMinute = 60 })
	e.f.handle("GET /api/v2/organizations/me", orgHandler)
	ctx := context.Background()
	for range 7 {
		if _, err := e.c.Organizations.Me(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := e.sl.all(); len(got) != 1 || got[0] != time.Second {
		t.Fatalf("limiter waits = %v, want [1s]", got)
	}
	if v := counterValue(t, e.c.core.metrics.limiterWait.WithLabelValues("organizations")); v != 1 {
		t.Fatalf("limiter wait metric = %v", v)
	}
	// A user token has its own budget.
	if _, err := e.c.WithToken("user").Organizations.Me(ctx); err != nil || len(e.sl.all()) != 1 {
		t.Fatalf("user token waited: %v %v", e.sl.all(), err)
	}
}

// A wait that would end after the caller's deadline fails at once with
// ErrRateLimited, and gives its reservation back.
func TestLimiterFailsFastPastTheDeadline(t *testing.T) {
	clk := newClock()
	sl := &sleeps{}
	l := newLimiter(60, clk.Now, sl.Sleep) // 1/s, burst 6
	for range 6 {
		l.wait(context.Background(), "k")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	_, err := l.wait(ctx, "k")
	if !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "genesys.requestsPerMinute") {
		t.Fatalf("err = %v", err)
	}
	if len(sl.all()) != 0 {
		t.Fatalf("slept %v before failing", sl.all())
	}
	if d := l.reserve("k"); d != time.Second {
		t.Fatalf("reservation not returned: next wait %v, want 1s", d)
	}
}

// reserve takes a request and returns the wait until it is covered.
func (l *limiter) reserve(key string) time.Duration {
	r, now := l.take(key)
	return r.DelayFrom(now)
}

// size reports the number of live buckets.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// What Genesys reports in the inin-ratelimit-* headers comes before our own
// bucket: a spent window is waited out to its end, a window with requests
// left spends them, and an ended window costs nothing.
func TestLimiterFollowsTheReportedWindow(t *testing.T) {
	clk := newClock()
	sl := &sleeps{}
	l := newLimiter(6000, clk.Now, sl.Sleep) // our bucket never binds here
	ctx := context.Background()
	report := func(allowed, count, reset string) http.Header {
		h := http.Header{}
		h.Set("inin-ratelimit-allowed", allowed)
		h.Set("inin-ratelimit-count", count)
		h.Set("inin-ratelimit-reset", reset)
		return h
	}
	l.observe("k", report("300", "298", "20"))
	for i := range 2 {
		if d, err := l.wait(ctx, "k"); d != 0 || err != nil {
			t.Fatalf("request %d of the 2 left waited %v, %v", i, d, err)
		}
	}
	if d, err := l.wait(ctx, "k"); d != 20*time.Second || err != nil {
		t.Fatalf("wait in a spent window = %v, %v; want its end, 20s", d, err)
	}
	// Another token's window is its own.
	if d, _ := l.wait(ctx, "other"); d != 0 {
		t.Fatalf("other token waited %v", d)
	}
	// A spent window past the caller's deadline fails at once, naming the headers.
	l.observe("k", report("300", "300", "40"))
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if _, err := l.wait(dctx, "k"); !errors.Is(err, ErrRateLimited) || !strings.Contains(err.Error(), "inin-ratelimit") {
		t.Fatalf("err = %v", err)
	}
	clk.Advance(41 * time.Second)
	if d, _ := l.wait(ctx, "k"); d != 0 {
		t.Fatalf("after the window ended waited %v", d)
	}
	// Headers that are missing or not numbers change nothing.
	l.observe("k", http.Header{"Inin-Ratelimit-Allowed": {"x"}})
	l.observe("k", nil)
	if d, _ := l.wait(ctx, "k"); d != 0 {
		t.Fatalf("a bad report made a wait of %v", d)
	}
}

// A platform limit below the configured one lowers the token's bucket; a
// higher one leaves it.
func TestLimiterBucketFollowsALowerPlatformLimit(t *testing.T) {
	clk := newClock()
	l := newLimiter(600, clk.Now, sleepContext) // 10/s
	l.reserve("k")
	h := http.Header{}
	h.Set("inin-ratelimit-allowed", "60")
	h.Set("inin-ratelimit-count", "1")
	h.Set("inin-ratelimit-reset", "59")
	l.observe("k", h)
	if got := l.buckets["k"].Limit(); got != 1 {
		t.Fatalf("bucket limit = %v/s, want 1/s (60 a minute)", got)
	}
	h.Set("inin-ratelimit-allowed", "6000")
	l.observe("k", h)
	if got := l.buckets["k"].Limit(); got != 1 {
		t.Fatalf("a higher platform limit changed the bucket to %v/s", got)
	}
}
