package genesys

import (
	"context"
	"fmt"
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
	lastSweep time.Time
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
	r, now := l.take(key)
	d := r.DelayFrom(now)
	if d <= 0 {
		return 0, nil
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
	return d, nil
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
}
