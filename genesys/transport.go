package genesys

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"dcmconnect/internal/retry"
)

// request describes one Platform API call.
type request struct {
	method string
	area   string     // metric label: "users", "analytics", ...
	route  string     // metric label and error text: "/api/v2/users/{id}"
	path   string     // escaped path below APIURL: "/api/v2/users/3f2a..."
	query  url.Values // may be nil
	body   any        // JSON-encoded when non-nil
	// idempotent requests are retried after 5xx and connection errors; the
	// rest only after 429 (which Genesys sends before doing anything).
	idempotent bool
}

func get(area, route, path string, q url.Values) *request {
	return &request{method: http.MethodGet, area: area, route: route, path: path, query: q, idempotent: true}
}

// exchanged is a complete answer: status, headers and the body, read in full
// (at most Options.MaxResponseBytes).
type exchanged struct {
	status int
	header http.Header
	body   []byte
}

func (x *exchanged) correlationID() string { return x.header.Get("ININ-Correlation-Id") }

// do sends r with the client's token, retrying as the policy allows, and
// decodes a 2xx JSON body into out (skipped when out is nil).
func (c *Client) do(ctx context.Context, r *request, out any) error {
	co := c.core
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return fmt.Errorf("genesys: %s %s: encoding the request body: %w", r.method, r.route, err)
		}
	}
	u := co.opts.APIURL + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	logRetry := func(n int, wait time.Duration, o retry.Outcome) {
		co.opts.Logger.Warn("genesys request will be retried", "method", r.method, "route", r.route,
			"reason", o.Reason, "wait", wait, "attempt", n+1, "err", o.Err)
	}
	refreshed := false
	return co.retryDo(ctx, r.area, logRetry, func(int) retry.Outcome {
		for {
			token, err := c.auth.Token(ctx)
			if err != nil {
				return retry.Outcome{Err: err}
			}
			if waited, err := co.limiter.wait(ctx, token); err != nil {
				return retry.Outcome{Err: fmt.Errorf("genesys: %s %s: waiting for the rate limiter: %w", r.method, r.route, err)}
			} else if waited > 0 {
				co.metrics.limiterWait.WithLabelValues(r.area).Add(waited.Seconds())
			}
			x, err := co.exchange(ctx, r.method, r.area, r.route, co.apiHost, u, body, "application/json", "Bearer "+token)
			if x != nil {
				co.limiter.observe(token, x.header)
			}
			if err == nil {
				if x.status >= 200 && x.status < 300 {
					return retry.Outcome{Err: co.decode(r, x, out)}
				}
				err = apiError(r, x)
			}
			status := 0
			if x != nil {
				status = x.status
			}
			// A refused client-credentials token is dropped and replaced
			// once, at once: this attempt did not reach the API proper.
			if status == http.StatusUnauthorized && !refreshed {
				if inv, ok := c.auth.(invalidator); ok {
					inv.Invalidate(token)
					refreshed = true
					co.metrics.retries.WithLabelValues(r.area, "401").Inc()
					co.opts.Logger.Info("genesys token refused; fetching a new one", "route", r.route)
					continue
				}
			}
			return classify(r.idempotent, status, err)
		}
	})
}

// decode unmarshals a success body into out.
func (co *core) decode(r *request, x *exchanged, out any) error {
	if out == nil || x.status == http.StatusNoContent {
		return nil
	}
	if err := json.Unmarshal(x.body, out); err != nil {
		return &ResponseError{Status: x.status, Method: r.method, Route: r.route, Host: co.apiHost,
			CorrelationID: x.correlationID(), Err: err}
	}
	return nil
}

// exchange performs one HTTP attempt under the per-attempt deadline and
// records it in the metrics. A non-nil error means no usable answer:
// *TransportError, *ResponseError (too large) or the caller's context error.
func (co *core) exchange(ctx context.Context, method, area, route, host, u string, body []byte, contentType, auth string) (*exchanged, error) {
	actx, cancel := context.WithTimeout(ctx, co.opts.Timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(actx, method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("genesys: %s %s: building the request: %w", method, route, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "dcmconnect")
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	start := time.Now()
	resp, err := co.opts.HTTPClient.Do(req)
	var x *exchanged
	if err == nil {
		x = &exchanged{status: resp.StatusCode, header: resp.Header}
		x.body, err = readCapped(resp.Body, co.opts.MaxResponseBytes)
		resp.Body.Close()
		if errors.Is(err, ErrResponseTooLarge) {
			err = &ResponseError{Status: x.status, Method: method, Route: route, Host: host,
				CorrelationID: x.correlationID(), TooLarge: true, Limit: co.opts.MaxResponseBytes}
		}
	}
	co.metrics.latency.WithLabelValues(area, route).Observe(time.Since(start).Seconds())
	status := "error"
	if x != nil {
		status = strconv.Itoa(x.status)
		if x.status == http.StatusTooManyRequests {
			co.metrics.throttled.WithLabelValues(area).Inc()
		}
	}
	co.metrics.requests.WithLabelValues(area, route, method, status).Inc()
	if err == nil {
		return x, nil
	}
	var re *ResponseError
	if errors.As(err, &re) {
		return x, err
	}
	if ctx.Err() != nil { // the caller gave up: not the host's fault
		return nil, fmt.Errorf("genesys: %s %s: %w", method, route, ctx.Err())
	}
	cause := err
	var ue *url.Error
	if errors.As(err, &ue) {
		cause = ue.Err // drop the URL: it may carry search terms
	}
	if actx.Err() == context.DeadlineExceeded {
		cause = fmt.Errorf("no answer within %s (Options.Timeout): %w", co.opts.Timeout, context.DeadlineExceeded)
	}
	return nil, &TransportError{Host: host, Method: method, Route: route, Err: cause}
}

// readCapped reads r in full, failing with ErrResponseTooLarge past max bytes.
func readCapped(r io.Reader, max int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, ErrResponseTooLarge
	}
	return b, nil
}

// errorBody is the standard Genesys error body (docs/upstreams.md).
type errorBody struct {
	Message   string `json:"message"`
	Code      string `json:"code"`
	Status    int    `json:"status"`
	ContextID string `json:"contextId"`
}

// apiError builds *Error from a non-2xx answer. A body that is not a Genesys
// error body (a proxy page, nothing) leaves Code empty and Message the status text.
func apiError(r *request, x *exchanged) *Error {
	e := &Error{Status: x.status, Method: r.method, Route: r.route, CorrelationID: x.correlationID()}
	var b errorBody
	if json.Unmarshal(x.body, &b) == nil {
		e.Code, e.Message = b.Code, b.Message
		if e.CorrelationID == "" {
			e.CorrelationID = b.ContextID
		}
	}
	if e.Message == "" {
		e.Message = http.StatusText(x.status)
	}
	if x.status == http.StatusTooManyRequests {
		e.RetryAfter, _ = retryAfter(x.header)
	}
	return e
}
