package genesys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"dcmconnect/internal/retry"
)

// Backoff between retries without a Retry-After: 0.5s, 1s, 2s, ... capped,
// each jittered into [d/2, d) so clients that failed together spread out.
const (
	backoffBase = 500 * time.Millisecond
	backoffMax  = 10 * time.Second
)

// retryPolicy is the shared policy with this client's limits.
func (co *core) retryPolicy() retry.Policy {
	return retry.Policy{Base: backoffBase, Max: backoffMax, MaxRetries: co.opts.MaxRetries,
		RetryAfterCap: co.opts.RetryAfterCap, Sleep: co.opts.Sleep}
}

// classify says whether a failed attempt may be repeated, why (the metric
// reason) and what the server asked to wait. The rules follow the Genesys
// SDKs (docs/upstreams.md): 429 honouring Retry-After; 5xx except 501 and
// connection errors, these two only for idempotent requests.
func classify(idempotent bool, status int, err error) retry.Outcome {
	var ae *Error
	switch {
	case status == http.StatusTooManyRequests && errors.As(err, &ae):
		return retry.Outcome{Err: err, Retry: true, RetryAfter: ae.RetryAfter, Reason: "429"}
	case !idempotent:
		return retry.Outcome{Err: err}
	case status >= 500 && status != http.StatusNotImplemented:
		return retry.Outcome{Err: err, Retry: true, Reason: "5xx"}
	case errors.Is(err, ErrUnreachable):
		return retry.Outcome{Err: err, Retry: true, Reason: "conn"}
	}
	return retry.Outcome{Err: err}
}

// retryDo runs try under the shared policy, counting each retry under area
// and its reason; log, when set, is told of each retry too.
func (co *core) retryDo(ctx context.Context, area string, log func(n int, wait time.Duration, o retry.Outcome), try func(n int) retry.Outcome) error {
	return retry.Do(ctx, co.retryPolicy(), retry.Hooks{
		Retrying: func(n int, wait time.Duration, o retry.Outcome) {
			co.metrics.retries.WithLabelValues(area, o.Reason).Inc()
			if log != nil {
				log(n, wait, o)
			}
		},
		GaveUp: co.gaveUp,
	}, try)
}

// gaveUp words a retryable error that was not retried.
func (co *core) gaveUp(err, why error) error {
	switch {
	case errors.Is(why, retry.ErrRetryAfterTooLong):
		var ae *Error
		if errors.As(err, &ae) {
			ae.retryAfterCap = co.opts.RetryAfterCap // fail fast, and say why
		}
		return err
	case errors.Is(why, retry.ErrExhausted), errors.Is(why, retry.ErrPastDeadline):
		return err
	}
	return fmt.Errorf("%w (gave up waiting to retry: %w)", err, why)
}

// retryAfter reads Retry-After as seconds or as an HTTP date.
func retryAfter(h http.Header) (time.Duration, bool) { return retry.ParseRetryAfter(h) }
