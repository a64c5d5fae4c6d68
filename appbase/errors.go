package appbase

import (
	"context"
	"errors"
	"net"
	"strconv"
	"strings"
)

// ErrorKind says where a call failed, so callers can map it (to 502, 504, a
// setup hint) without parsing messages.
type ErrorKind int

const (
	// KindTransport: no HTTP response (connection refused, reset, timeout).
	KindTransport ErrorKind = iota + 1
	// KindHTTP: a non-200 status that is not an auth failure.
	KindHTTP
	// KindTopLevel: AppBase's top-level {"ErrorCode","ErrorMessage"} (often HTTP 200).
	KindTopLevel
	// KindRule: the rule ran and set ERRORCODE/ERRORMESSAGE.
	KindRule
	// KindDecode: the body was not an envelope we can read.
	KindDecode
	// KindAuth: login failed, or AppBase rejected the token even after one re-login.
	KindAuth
)

func (k ErrorKind) String() string {
	switch k {
	case KindTransport:
		return "transport"
	case KindHTTP:
		return "http"
	case KindTopLevel:
		return "toplevel"
	case KindRule:
		return "rule"
	case KindDecode:
		return "decode"
	case KindAuth:
		return "auth"
	}
	return "unknown"
}

// Error is every failure of an AppBase call. It never holds the token or
// the system password: transport errors are stripped of their URL, and
// messages from AppBase are redacted before they are stored.
type Error struct {
	Kind ErrorKind
	// Rule is the rule that was called; empty for login.
	Rule string
	// Login is true when the failure happened while logging in.
	Login bool
	// Status is the HTTP status, 0 when there was no response.
	Status int
	// Code and Message are AppBase's ErrorCode/ErrorMessage (or ERRORCODE/ERRORMESSAGE).
	Code, Message string
	// Hint names the configuration key(s) an administrator should check.
	Hint string
	// Token is true when AppBase said the token is invalid or expired.
	Token bool
	err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("appbase: ")
	if e.Login {
		b.WriteString("login")
	} else {
		b.WriteString("rule ")
		b.WriteString(e.Rule)
	}
	b.WriteString(": ")
	b.WriteString(e.Kind.String())
	if e.Status != 0 {
		b.WriteString(" HTTP ")
		b.WriteString(strconv.Itoa(e.Status))
	}
	if e.Code != "" {
		b.WriteString(" code ")
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.err != nil {
		b.WriteString(": ")
		b.WriteString(e.err.Error())
	}
	if e.Hint != "" {
		b.WriteString(" (")
		b.WriteString(e.Hint)
		b.WriteString(")")
	}
	return b.String()
}

// CallerText is the error as a caller of ours may see it: where it failed
// and AppBase's own code and message, without the configuration hint and
// without a transport cause (which names the host); both stay in Error for
// the log and for check.
func (e *Error) CallerText() string {
	c := *e
	c.Hint, c.err = "", nil
	if c.Kind == KindTransport && c.Message == "" {
		c.Message = "no answer"
	}
	return c.Error()
}

// Unwrap gives errors.Is access to context.DeadlineExceeded and the like.
func (e *Error) Unwrap() error { return e.err }

func asError(err error) (*Error, bool) {
	if err == nil { // errors.As's target would escape for nothing
		return nil, false
	}
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsTokenError reports whether AppBase rejected the token (invalid or
// expired), which the client already retried once after a fresh login.
func IsTokenError(err error) bool {
	e, ok := asError(err)
	return ok && e.Token
}

// IsLoginError reports whether logging in with the system user failed.
func IsLoginError(err error) bool {
	e, ok := asError(err)
	return ok && e.Login
}

// IsAuthError reports a login failure or a rejected token.
func IsAuthError(err error) bool {
	e, ok := asError(err)
	return ok && e.Kind == KindAuth
}

// IsTimeout reports whether the call ran out of time (per-call timeout or
// the caller's deadline).
func IsTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// IsRuleError reports a rule-level ERRORCODE/ERRORMESSAGE.
func IsRuleError(err error) bool {
	e, ok := asError(err)
	return ok && e.Kind == KindRule
}

// IsRuleNotFound reports AppBase's top-level "rule not found" answer, i.e. a
// contract rule the solution does not implement (or a wrong rule name).
func IsRuleNotFound(err error) bool {
	e, ok := asError(err)
	if !ok || e.Kind != KindTopLevel {
		return false
	}
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "rule") && (strings.Contains(m, "not found") || strings.Contains(m, "does not exist") || strings.Contains(m, "not exist"))
}

// isTokenMessage recognises AppBase's answers to a bad token. The exact
// wording is not documented publicly (docs/upstreams.md), so match broadly.
func isTokenMessage(msg string) bool {
	m := strings.ToLower(msg)
	for _, w := range []string{"token", "session", "not authenticated", "unauthori", "authentication"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}
