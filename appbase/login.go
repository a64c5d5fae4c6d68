package appbase

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

const (
	loginPath = "/Security.WebService/AuthenticationServiceRest.svc/"
	// Config keys named in login errors, so the admin knows what to fix.
	hintCredentials = "check servicejourney.systemUser and servicejourney.systemPassword"
	hintURL         = "check servicejourney.url and that ServiceJourney is reachable from this server"
)

// Login forces a fresh login with the system user and caches the token.
// Rule calls log in by themselves; setup checks call this to test the
// credentials. Concurrent callers (and rule calls) share one login.
func (c *Client) Login(ctx context.Context) error {
	c.tokens.Drop(struct{}{}, nil)
	_, err := c.token(ctx)
	return err
}

// token returns the cached token or logs in. Concurrent callers on a cold
// cache share one login. The login runs on a context detached from the first
// caller's cancellation, so one impatient caller cannot fail the others; it
// is bounded by Options.Timeout instead.
func (c *Client) token(ctx context.Context) (string, error) {
	tok, _, err := c.tokens.Get(ctx, struct{}{})
	if _, ok := asError(err); err != nil && !ok { // this caller stopped waiting
		return "", &Error{Kind: KindTransport, Login: true, Message: "gave up waiting for login", err: err}
	}
	return tok, err
}

// fetchToken logs in; the token is kept for Options.TokenTTL, a failure not at all.
func (c *Client) fetchToken(ctx context.Context, _ struct{}) (string, time.Duration, error) {
	start := time.Now()
	tok, err := c.doLogin(ctx)
	c.m.logins.WithLabelValues(outcome(err)).Inc()
	if err != nil {
		c.log.Warn("appbase login failed", "err", err, "elapsed", time.Since(start))
		return "", 0, err
	}
	c.log.Info("appbase login ok", "user", c.opts.User, "elapsed", time.Since(start))
	return tok, c.opts.TokenTTL, nil
}

// invalidate drops the token a call found rejected, unless a newer one has
// replaced it already (then many failing callers cause one re-login, not many).
func (c *Client) invalidate(tok string) {
	c.tokens.Drop(struct{}{}, func(cur string) bool { return cur == tok })
}

func (c *Client) doLogin(ctx context.Context) (string, error) {
	var req *http.Request
	var err error
	form := url.Values{"u": {c.opts.User}, "p": {c.opts.Password}}
	if c.opts.LoginMethod == "post" {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, c.opts.URL+loginPath+"login.post", strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, c.opts.URL+loginPath+"login?"+form.Encode(), nil)
	}
	if err != nil {
		return "", &Error{Kind: KindTransport, Login: true, err: stripURL(err), Hint: hintURL}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.opts.HTTPClient.Do(req)
	if err != nil {
		return "", c.transportError("", true, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return "", c.transportError("", true, err)
	}
	body = bytes.TrimSpace(bytes.TrimPrefix(body, utf8BOM))
	code, msg := topLevelError(body)
	msg = c.redact(msg, "")
	switch {
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		return "", &Error{Kind: KindAuth, Login: true, Status: resp.StatusCode, Code: code, Message: orDefault(msg, "credentials rejected"), Hint: hintCredentials}
	case resp.StatusCode == http.StatusNotFound:
		return "", &Error{Kind: KindHTTP, Login: true, Status: resp.StatusCode, Message: "no AppBase Security.WebService at this address", Hint: "check servicejourney.url (the server root, without /Ecx.Web or a path)"}
	case resp.StatusCode != http.StatusOK:
		if looksLikeCredentialMessage(msg) {
			return "", &Error{Kind: KindAuth, Login: true, Status: resp.StatusCode, Code: code, Message: msg, Hint: hintCredentials}
		}
		return "", &Error{Kind: KindHTTP, Login: true, Status: resp.StatusCode, Code: code, Message: msg, Hint: hintURL + "; " + hintCredentials}
	}
	if msg != "" || !isZeroCode(code) {
		// HTTP 200 with the top-level error form: refused credentials, or a server fault.
		if looksLikeCredentialMessage(msg) {
			return "", &Error{Kind: KindAuth, Login: true, Status: resp.StatusCode, Code: code, Message: msg, Hint: hintCredentials}
		}
		return "", &Error{Kind: KindTopLevel, Login: true, Status: resp.StatusCode, Code: code, Message: orDefault(msg, "login refused"), Hint: hintURL + "; " + hintCredentials}
	}
	tok, ok := parseToken(body)
	if !ok {
		return "", &Error{Kind: KindDecode, Login: true, Status: resp.StatusCode, Message: "login reply is not a token (want a JSON string)", Hint: hintURL}
	}
	return tok, nil
}

// parseToken reads the JSON string literal AppBase returns (docs/upstreams.md). A bare
// token without quotes is accepted too; HTML or JSON objects are not, nor a
// token with spaces or control characters (it goes into URLs and headers).
func parseToken(body []byte) (string, bool) {
	s := string(body)
	if len(body) > 0 && body[0] == '"' {
		if err := json.Unmarshal(body, &s); err != nil {
			return "", false
		}
		s = strings.TrimSpace(s)
	}
	if s == "" || s == "null" || strings.ContainsFunc(s, func(r rune) bool {
		return r <= ' ' || r == 0x7f || r == utf8.RuneError || strings.ContainsRune("<{}[]\"", r)
	}) {
		return "", false
	}
	return s, true
}

// topLevelError reads {"ErrorCode","ErrorMessage"} in any key case from a
// body that may not be JSON at all.
func topLevelError(body []byte) (code, msg string) {
	if len(body) == 0 || body[0] != '{' {
		return "", ""
	}
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(&m) != nil {
		return "", ""
	}
	for k, v := range m {
		switch {
		case strings.EqualFold(k, "ErrorCode"):
			code = valueString(v)
		case strings.EqualFold(k, "ErrorMessage"), strings.EqualFold(k, "Message"):
			if msg == "" {
				msg = valueString(v)
			}
		}
	}
	return code, msg
}

func looksLikeCredentialMessage(msg string) bool {
	m := strings.ToLower(msg)
	return slices.ContainsFunc([]string{"password", "user", "credential", "login", "locked"}, func(w string) bool {
		return strings.Contains(m, w)
	})
}

// transportError wraps a failed HTTP round trip. url.Error is unwrapped first:
// its text holds the full URL, i.e. the token or the password.
func (c *Client) transportError(rule string, login bool, err error) *Error {
	e := &Error{Kind: KindTransport, Rule: rule, Login: login, err: stripURL(err)}
	if errors.Is(err, context.DeadlineExceeded) {
		e.Message = "no answer within " + c.opts.Timeout.String() + " (servicejourney.timeout)"
	}
	if login {
		e.Hint = hintURL
	}
	return e
}

func stripURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}

// EnsureLogin makes sure a token is cached, logging in only when none is.
// Readiness probes use it: frequent, but costing AppBase nothing while the
// token lives.
func (c *Client) EnsureLogin(ctx context.Context) error {
	_, err := c.token(ctx)
	return err
}
