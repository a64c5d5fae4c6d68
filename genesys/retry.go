package genesys

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

// Backoff between retries without a Retry-After: 0.5s, 1s, 2s, ... capped,
// each jittered into [d/2, d) so clients that failed together spread out.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 10 * time.Second
)

// retryable decides whether a failed attempt is tried again and after what
// wait. The policy follows the Genesys SDKs (facts §6.2): 429 honouring
// Retry-After up to a cap; 5xx except 501; connection errors; the last two
// only for idempotent requests.
func (co *core) retryable(ctx context.Context, idempotent bool, status int, err error, attempt int) (time.Duration, string, bool) {
	var ae *Error
	errors.As(err, &ae)
	if status == http.StatusTooManyRequests && ae != nil {
		if ae.RetryAfter > co.opts.RetryAfterCap {
			ae.retryAfterCap = co.opts.RetryAfterCap // fail fast, and say why
			return 0, "", false
		}
		if attempt >= co.opts.MaxRetries {
			return 0, "", false
		}
		wait := ae.RetryAfter
		if wait <= 0 {
			wait = backoff(attempt)
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return 0, "", false // would wake up after the caller's deadline
		}
		return wait, "429", true
	}
	if attempt >= co.opts.MaxRetries || !idempotent {
		return 0, "", false
	}
	switch {
	case status >= 500 && status != http.StatusNotImplemented:
		return backoff(attempt), "5xx", true
	case errors.Is(err, ErrUnreachable):
		return backoff(attempt), "conn", true
	}
	return 0, "", false
}

func backoff(attempt int) time.Duration {
	d := backoffBase << min(attempt, 10)
	if d > backoffMax || d <= 0 {
		d = backoffMax
	}
	return d/2 + rand.N(d/2)
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) {
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
