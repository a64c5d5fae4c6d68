package appbase

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"dcmconnect/internal/deadline"
	"dcmconnect/internal/retry"
)

// maxBody caps a rule reply; GETUSERS pages are far smaller.
const maxBody = 32 << 20

// Execute runs rule with POST post.json (JSON Parameters). Writes go here and
// are not retried, except once after AppBase rejected the token (the rule did
// not run then).
func (c *Client) Execute(ctx context.Context, rule string, params map[string]string) (*Result, error) {
	return c.run(ctx, "post.json", rule, params, false, false)
}

// ExecuteRaw is Execute for a caller that hands the rows on unchanged: the
// Result carries RawItems instead of Items, built without decoding each row.
func (c *Client) ExecuteRaw(ctx context.Context, rule string, params map[string]string) (*Result, error) {
	return c.run(ctx, "post.json", rule, params, false, true)
}

// Query runs rule with GET get.json (query parameters). Reads go here and
// are retried on transport errors, HTTP 5xx/429 and top-level server faults,
// up to Options.MaxRetries with capped, jittered doubling backoff.
func (c *Client) Query(ctx context.Context, rule string, params map[string]string) (*Result, error) {
	return c.run(ctx, "get.json", rule, params, true, false)
}

type postBody struct {
	Parameters []param `json:"Parameters"`
}

type param struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// encodePostBody is json.Marshal of the postBody of params, sorted by name,
// written by hand: the encoder's reflection was the largest part of a
// proxied call's own work, and deep enough to grow its goroutine's stack.
// Strings that need escaping are escaped by json.Marshal itself.
func encodePostBody(params map[string]string) []byte {
	var namesBuf [8]string
	names := namesBuf[:0]
	size := len(`{"Parameters":[]}`)
	for k, v := range params {
		names = append(names, k)
		size += len(`{"Name":"","Value":""},`) + len(k) + len(v)
	}
	slices.Sort(names)
	b := make([]byte, 0, size)
	b = append(b, `{"Parameters":[`...)
	for i, k := range names {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"Name":`...)
		b = appendJSONString(b, k)
		b = append(b, `,"Value":`...)
		b = appendJSONString(b, params[k])
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// appendJSONString appends s as json.Marshal writes a string.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always encodes
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

func (c *Client) run(ctx context.Context, cmd, rule string, params map[string]string, read, raw bool) (*Result, error) {
	rule = strings.TrimSpace(rule)
	if rule == "" || strings.ContainsAny(rule, "/?#% ") {
		return nil, fmt.Errorf("appbase: rule code %q is not valid; give the code only, e.g. %s_GETUSERS", rule, c.opts.IntegrationCode)
	}
	var query string
	var body []byte
	if read {
		v := make(url.Values, len(params))
		for k, val := range params {
			if strings.EqualFold(k, "t") {
				return nil, fmt.Errorf("appbase: rule %s: parameter name %q is reserved for the token; rename the rule input", rule, k)
			}
			v.Set(k, val)
		}
		query = v.Encode()
	} else {
		body = encodePostBody(params)
	}
	// AppBase matches rule codes case-insensitively (docs/upstreams.md), so one rule
	// is one metric series however callers spell it: a page choosing the
	// case of an allowlisted rule must not mint new label values.
	label := strings.ToUpper(rule)
	if read {
		// A passed deadline (internal/deadline) bounds the backoff waits
		// too; each attempt and the login wait bound themselves.
		var cancel context.CancelFunc
		ctx, cancel = deadline.Bound(ctx)
		defer cancel()
	}
	relogged := false
	var res *Result
	hooks := retry.Hooks{Retrying: func(n int, wait time.Duration, o retry.Outcome) {
		c.m.retries.WithLabelValues(label).Inc()
		c.log.Warn("appbase read failed; retrying", "rule", rule, "err", o.Err, "attempt", n+1, "wait", wait)
	}}
	err := retry.Do(ctx, c.retry, hooks, func(int) retry.Outcome {
		for {
			tok, err := c.token(ctx)
			if err != nil {
				return retry.Outcome{Err: err}
			}
			r, e := c.attempt(ctx, cmd, rule, label, tok, query, body, raw)
			if e == nil {
				res = r
				return retry.Outcome{}
			}
			// A rejected token is replaced once, at once: the rule did not run.
			if e.Token && !relogged {
				relogged = true
				c.invalidate(tok)
				c.m.retries.WithLabelValues(label).Inc()
				c.log.Info("appbase token rejected; logging in again", "rule", rule, "code", e.Code)
				continue
			}
			if e.Token && (e.Status == http.StatusUnauthorized || isTokenMessage(e.Message)) {
				e.Kind = KindAuth
				e.Hint = "AppBase rejected a fresh token; check that servicejourney.systemUser may run rules in servicejourney.domain"
				return retry.Outcome{Err: e}
			}
			// A top-level 500 that a fresh token did not cure is a server fault:
			// retried (reads) like any other.
			e.Token = false
			return retry.Outcome{Err: e, Retry: read && retryable(e) && ctx.Err() == nil}
		}
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// retryable: failures a repeat may cure. Rule-level errors, decode errors,
// 4xx and "rule not found" are answers, not accidents.
func retryable(e *Error) bool {
	switch e.Kind {
	case KindTransport:
		return true
	case KindHTTP:
		return e.Status >= 500 || e.Status == http.StatusTooManyRequests
	case KindTopLevel:
		// "not found" answers (an unknown rule or domain) are configuration
		// errors: asking again gets the same answer.
		return !notFoundAnswer(e.Message)
	}
	return false
}

// notFoundAnswer: AppBase's answer for an unknown rule or domain.
func notFoundAnswer(msg string) bool {
	m := strings.ToLower(msg)
	return strings.Contains(m, "not found") || strings.Contains(m, "not exist")
}

// attempt is one HTTP request, bounded by Options.Timeout and counted.
func (c *Client) attempt(ctx context.Context, cmd, rule, label, tok, query string, body []byte, rawItems bool) (res *Result, e *Error) {
	caller := ctx
	// One context bounds the attempt, at the earlier of Options.Timeout and
	// the caller's deadline, its context's own or one passed down as a
	// value (internal/deadline: the api's method budget): the caller's own,
	// when it comes first, is used as it is. callerFirst tells
	// callerGaveUp whose deadline ended the attempt.
	end := time.Now().Add(c.opts.Timeout)
	callerFirst := false
	if d, ok := deadline.Of(ctx); ok && !d.After(end) {
		end, callerFirst = d, true
	}
	if own, ok := ctx.Deadline(); !ok || own.After(end) {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, end)
		defer cancel()
	}
	start := time.Now()
	defer func() {
		var err error
		if e != nil {
			err = e
		}
		d := time.Since(start)
		c.m.attempt(label, outcome(err), d.Seconds())
		if c.log.Enabled(ctx, slog.LevelDebug) {
			c.log.LogAttrs(ctx, slog.LevelDebug, "appbase rule", slog.String("rule", rule), slog.String("cmd", cmd),
				slog.Duration("elapsed", d), slog.String("outcome", outcome(err)))
		}
	}()

	req, err := c.ruleRequest(ctx, cmd, rule, tok, query, body)
	if err != nil {
		return nil, &Error{Kind: KindTransport, Rule: rule, err: stripURL(err)}
	}
	req.Header["Accept"] = acceptJSON
	if body != nil {
		req.Header["Content-Type"] = contentJSON
	}
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return nil, c.callerGaveUp(caller, ctx, callerFirst, c.transportError(rule, false, err))
	}
	defer resp.Body.Close()
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer putBodyBuffer(buf)
	buf.Reset()
	_, err = buf.ReadFrom(io.LimitReader(resp.Body, maxBody+1))
	raw := buf.Bytes()
	if err != nil {
		return nil, c.callerGaveUp(caller, ctx, callerFirst, c.transportError(rule, false, err))
	}
	if len(raw) > maxBody {
		return nil, &Error{Kind: KindDecode, Rule: rule, Status: resp.StatusCode, Message: fmt.Sprintf("reply larger than %d bytes", maxBody)}
	}
	if resp.StatusCode != http.StatusOK {
		return nil, c.statusError(rule, tok, resp.StatusCode, raw)
	}
	if rawItems {
		res, e = decodeEnvelopeRaw(rule, raw)
	} else {
		res, e = decodeEnvelope(rule, raw)
	}
	if e != nil {
		e.Status = resp.StatusCode
		e.Message = c.redact(e.Message, tok)
		c.addHint(e)
		return nil, e
	}
	return res, nil
}

// Request header values shared by all attempts: neither the transport nor
// the client writes into them (a redirect copies the header first).
var (
	acceptJSON  = []string{"application/json"}
	contentJSON = []string{"application/json; charset=utf-8"}
)

// bodyBuffers hold replies while they are decoded: everything decoded out
// of one is a copy, so the buffer is reused by the next call.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBody: a buffer grown by a rare huge reply is left to the GC.
const maxPooledBody = 1 << 20

func putBodyBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBody {
		bodyBuffers.Put(b)
	}
}

// callerGaveUp corrects a transport error's message when the caller's own
// deadline or cancellation ended the call: blaming servicejourney.timeout
// then would send an administrator to change the wrong setting.
// callerFirst: the attempt's context, attempt, ended at the caller's
// deadline (a passed one ends only the attempt's context).
func (c *Client) callerGaveUp(caller, attempt context.Context, callerFirst bool, e *Error) *Error {
	err := caller.Err()
	if err == nil && callerFirst {
		err = attempt.Err()
	}
	if err != nil {
		e.Message = "the caller stopped waiting before AppBase answered"
		e.err = err
	}
	return e
}

// statusError turns a non-200 reply into an Error. 401 means the token was
// refused; otherwise AppBase's ErrorMessage (WCF faults carry one) is kept.
func (c *Client) statusError(rule, tok string, status int, raw []byte) *Error {
	code, msg := topLevelError(bytes.TrimSpace(bytes.TrimPrefix(raw, utf8BOM)))
	msg = c.redact(msg, tok)
	e := &Error{Kind: KindHTTP, Rule: rule, Status: status, Code: code, Message: msg}
	if status == http.StatusUnauthorized || (msg != "" && isTokenMessage(msg)) || strings.TrimSpace(code) == "500" {
		e.Kind, e.Token = KindAuth, true
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	c.addHint(e)
	return e
}

// addHint names the config key to check for errors an admin can fix.
func (c *Client) addHint(e *Error) {
	m := strings.ToLower(e.Message)
	switch {
	case IsRuleNotFound(e) || (e.Kind == KindHTTP && e.Status == http.StatusNotFound):
		if op := c.opFor(e.Rule); op != "" {
			e.Hint = fmt.Sprintf("rule %s is missing in domain %s: implement it (README, rule contract) or map the operation with servicejourney.rules.%s; also check servicejourney.domain and servicejourney.url", e.Rule, c.opts.Domain, op)
		} else {
			e.Hint = "check the rule code, servicejourney.domain and servicejourney.url"
		}
	case e.Kind == KindTopLevel && strings.Contains(m, "domain"):
		e.Hint = "check servicejourney.domain"
	}
}
