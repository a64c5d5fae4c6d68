package genesys

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// limiter is a token bucket per bearer token: Genesys limits requests per
// token (facts §6.3), so each token gets its own budget. Buckets are kept in
// memory only, keyed by the token; nothing about them is logged or exported.
type limiter struct {
	perSecond float64
	burst     float64
	now       func() time.Time
	sleep     func(context.Context, time.Duration) error

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// newLimiter returns nil (no limit) when perMinute < 0. The burst is a tenth
// of a minute's budget, so a cold start cannot spend the whole minute at once.
func newLimiter(perMinute int, now func() time.Time, sleep func(context.Context, time.Duration) error) *limiter {
	if perMinute < 0 {
		return nil
	}
	burst := float64(perMinute) / 10
	if burst < 1 {
		burst = 1
	}
	return &limiter{
		perSecond: float64(perMinute) / 60,
		burst:     burst,
		now:       now,
		sleep:     sleep,
		buckets:   map[string]*bucket{},
		lastSweep: now(),
	}
}

// wait takes one request from key's bucket, sleeping until one is available.
// It returns how long it waited.
func (l *limiter) wait(ctx context.Context, key string) (time.Duration, error) {
	if l == nil {
		return 0, nil
	}
	d := l.reserve(key)
	if d <= 0 {
		return 0, nil
	}
	// Waiting past the caller's deadline only to fail then helps nobody:
	// say at once that the client-side budget is spent.
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		l.cancel(key)
		return 0, fmt.Errorf("%w: the client-side budget of genesys.requestsPerMinute is spent and the next slot (in %s) is after this call's deadline", ErrRateLimited, d.Round(time.Millisecond))
	}
	if err := l.sleep(ctx, d); err != nil {
		l.cancel(key)
		return 0, err
	}
	return d, nil
}

// reserve takes a request (possibly going negative) and returns the wait
// until the reservation is covered.
func (l *limiter) reserve(key string) time.Duration {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		l.sweep(now)
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	} else if el := now.Sub(b.last); el > 0 {
		b.tokens = min(l.burst, b.tokens+el.Seconds()*l.perSecond)
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / l.perSecond * float64(time.Second))
}

// cancel returns a reservation whose wait was abandoned.
func (l *limiter) cancel(key string) {
	l.mu.Lock()
	if b := l.buckets[key]; b != nil {
		b.tokens = min(l.burst, b.tokens+1)
	}
	l.mu.Unlock()
}

// sweep drops buckets idle long enough to be full again: a full bucket is
// the same as a new one, so dropping it loses nothing. Runs at most once a
// minute, on bucket creation, with l.mu held.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Minute {
		return
	}
	l.lastSweep = now
	refill := time.Duration(l.burst / l.perSecond * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.last) > refill {
			delete(l.buckets, k)
		}
	}
}

// size reports the number of live buckets (tests).
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
