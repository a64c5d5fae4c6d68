package genesys

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps one x/time/rate token bucket per bearer token: Genesys limits
// requests per token (docs/upstreams.md), so each token gets its own budget.
// Buckets are kept in memory only, keyed by the token; nothing about them is
// logged or exported.
type limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time
	sleep func(context.Context, time.Duration) error

	mu        sync.Mutex
	buckets   map[string]*rate.Limiter
	reports   map[string]*window
	lastSweep time.Time
}

// window is what Genesys last reported of a token's rate-limit window in
// the inin-ratelimit-* headers (docs/upstreams.md): how many requests are
// left in it and when it ends. It is the platform's own count, so it also
// covers requests made with the same token by others (the agent's browser,
// another replica), which our bucket cannot see.
type window struct {
	left    int
	resetAt time.Time
}

// newLimiter returns nil (no limit) when perMinute < 0. The burst is a tenth
// of a minute's budget, so a cold start cannot spend the whole minute at once.
func newLimiter(perMinute int, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	if perMinute < 0 {
		return nil
	}
	return &limiter{
		limit:     rate.Limit(float64(perMinute) / 60),
		burst:     max(1, perMinute/10),
		now:       now,
		sleep:     sleep,
		buckets:   map[string]*rate.Limiter{},
		reports:   map[string]*window{},
		lastSweep: now(),
	}
}

// wait takes one request from key's bucket, sleeping until one is available.
// It returns how long it waited. The clock and the sleep are Options.Now and
// Options.Sleep, so tests drive it without real waits.
func (l *limiter) wait(ctx context.Context, key string) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	// The platform's own count comes first: when it says the window is
	// spent, wait for its end rather than spend a request on a 429.
	waited := time.Duration(0)
	if d := l.windowWait(key); d > 0 {
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
			return 0, fmt.Errorf("%w: Genesys reports this token's requests for the minute spent (inin-ratelimit-*) and its window ends in %s, after this call's deadline", ErrRateLimited, d.Round(time.Millisecond))
		}
		if err := l.sleep(ctx, d); err != nil {
			return 0, err
		}
		waited = d
	}
	r, now := l.take(key)
	d := r.DelayFrom(now)
	if d <= 0 {
		return waited, nil
	}
	// Waiting past the caller's deadline only to fail then helps nobody:
	// say at once that the client-side budget is spent.
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		r.CancelAt(l.now())
		return 0, fmt.Errorf("%w: the client-side budget of genesys.requestsPerMinute is spent and the next slot (in %s) is after this call's deadline", ErrRateLimited, d.Round(time.Millisecond))
	}
	if err := l.sleep(ctx, d); err != nil {
		r.CancelAt(l.now())
		return 0, err
	}
	return waited + d, nil
}

// windowWait takes one request from what Genesys last reported for key, and
// returns how long to wait for its window's end when none is left. No
// report, or one whose window has ended, costs nothing.
func (l *limiter) windowWait(key string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.reports[key]
	if w == nil {
		return 0
	}
	if !now.Before(w.resetAt) {
		delete(l.reports, key)
		return 0
	}
	if w.left > 0 {
		w.left-- // until the next answer corrects it
		return 0
	}
	return w.resetAt.Sub(now)
}

// observe records the inin-ratelimit-count, -allowed and -reset headers of
// an answer to a request made with key. When Genesys allows fewer requests
// a minute than we were configured for, the bucket follows the platform's
// figure; a higher one is ignored (the configured figure may leave room
// for others on purpose). Answers without the headers change nothing.
func (l *limiter) observe(key string, h http.Header) {
	if l == nil || h == nil {
		return
	}
	allowed, err1 := strconv.Atoi(h.Get("inin-ratelimit-allowed"))
	count, err2 := strconv.Atoi(h.Get("inin-ratelimit-count"))
	reset, err3 := strconv.Atoi(h.Get("inin-ratelimit-reset"))
	if err1 != nil || err2 != nil || err3 != nil || allowed <= 0 || count < 0 || reset < 0 || reset > 3600 {
		return
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reports[key] = &window{left: max(0, allowed-count), resetAt: now.Add(time.Duration(reset) * time.Second)}
	if platform := rate.Limit(float64(allowed) / 60); platform < l.limit {
		if b := l.buckets[key]; b != nil && b.Limit() != platform {
			b.SetLimitAt(now, platform)
		}
	}
}

// take reserves one request from key's bucket (going into debt if need be).
func (l *limiter) take(key string) (*rate.Reservation, time.Time) {
	now := l.now()
	l.mu.Lock()
	b := l.buckets[key]
	if b == nil {
		l.sweep(now)
		b = rate.NewLimiter(l.limit, l.burst)
		l.buckets[key] = b
	}
	l.mu.Unlock()
	return b.ReserveN(now, 1), now
}

// sweep drops buckets that are full again: a full bucket is the same as a
// new one, so dropping it loses nothing. Runs at most once a minute, on
// bucket creation, with l.mu held.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.burst) {
			delete(l.buckets, k)
		}
	}
	for k, w := range l.reports {
		if !now.Before(w.resetAt) {
			delete(l.reports, k)
		}
	}
}
