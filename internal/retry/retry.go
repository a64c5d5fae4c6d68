// Package retry is the one retry policy both upstream clients use: capped,
// jittered exponential backoff, a server's Retry-After honoured up to a cap,
// and never a wait that would end after the caller's deadline.
package retry

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Why a retry is refused. Callers return their own error and may use these
// to explain it.
var (
	ErrExhausted         = errors.New("retry: no retries left")
	ErrRetryAfterTooLong = errors.New("retry: the server asked to wait longer than the cap")
	ErrPastDeadline      = errors.New("retry: the wait would end after the caller's deadline")
)

// Policy is capped exponential backoff: Base, 2·Base, 4·Base, ... up to
// Max, each jittered so clients that failed together spread out.
type Policy struct {
	Base, Max  time.Duration
	MaxRetries int // retries after the first attempt; 0 or less: none
	// RetryAfterCap: a Retry-After longer than this is not waited for (the
	// call fails at once, saying so). 0: no cap.
	RetryAfterCap time.Duration
	// Jitter spreads a backoff d; nil: uniform in [d/2, d). Tests pin it.
	Jitter func(d time.Duration) time.Duration
	// Sleep waits between attempts; nil: Sleep. Tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Backoff is the wait before retry n (0: the first) when the server named none.
func (p Policy) Backoff(n int) time.Duration {
	d := p.Base << min(max(n, 0), 30)
	if p.Max > 0 && (d > p.Max || d <= 0) {
		d = p.Max
	}
	if d <= 0 {
		return 0
	}
	if p.Jitter != nil {
		return p.Jitter(d)
	}
	half := d / 2
	return half + rand.N(d-half) // [d/2, d)
}

// Next says whether retry n (0: the first) may happen and after what wait.
// retryAfter is the server's ask (0: none; the backoff is used). The refusal
// is one of ErrRetryAfterTooLong, ErrExhausted, ErrPastDeadline.
func (p Policy) Next(ctx context.Context, n int, retryAfter time.Duration) (time.Duration, error) {
	if p.RetryAfterCap > 0 && retryAfter > p.RetryAfterCap {
		return 0, ErrRetryAfterTooLong
	}
	if n >= p.MaxRetries {
		return 0, ErrExhausted
	}
	wait := retryAfter
	if wait <= 0 {
		wait = p.Backoff(n)
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return 0, ErrPastDeadline
	}
	return wait, nil
}

// Sleep waits d or until ctx ends, whichever is first.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ParseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func ParseRetryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && !math.IsNaN(s) {
		s = min(max(s, 0), 1e7) // clamp: huge values must not overflow Duration
		return time.Duration(s * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, time.Until(t)), true
	}
	return 0, false
}

// Outcome is what one attempt tells Do.
type Outcome struct {
	Err        error         // nil: the attempt succeeded
	Retry      bool          // a repeat may cure Err
	RetryAfter time.Duration // the server's ask; 0: none, so back off
	Reason     string        // why a repeat may help, for logs and metrics ("5xx")
}

// Hooks let a caller log, count and word what Do does. All are optional.
type Hooks struct {
	// Retrying is told before the wait ahead of retry n (0: the first).
	Retrying func(n int, wait time.Duration, o Outcome)
	// GaveUp turns a retryable err that was not retried into the error Do
	// returns. why is ErrExhausted, ErrRetryAfterTooLong or ErrPastDeadline
	// when the policy refused, or the wait's error when the context ended
	// during it. nil: err as it is.
	GaveUp func(err, why error) error
}

// Do is the one retry loop: it calls try(n) for n = 0, 1, ... and returns
// nil on the first success, or the last error once it is not retryable, the
// policy refuses another retry (see Next) or the context ends during a wait.
// Retries that need no wait and do not count (a fresh token after a refused
// one) belong inside try.
func Do(ctx context.Context, p Policy, h Hooks, try func(n int) Outcome) error {
	sleep := p.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	for n := 0; ; n++ {
		o := try(n)
		if o.Err == nil || !o.Retry {
			return o.Err
		}
		wait, why := p.Next(ctx, n, o.RetryAfter)
		if why == nil {
			if h.Retrying != nil {
				h.Retrying(n, wait, o)
			}
			why = sleep(ctx, wait)
		}
		if why != nil {
			if h.GaveUp != nil {
				return h.GaveUp(o.Err, why)
			}
			return o.Err
		}
	}
}
