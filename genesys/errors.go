package genesys

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinels for errors.Is. The concrete errors below carry the details.
var (
	// ErrUnauthorized: Genesys refused the bearer token (401), or none was given.
	ErrUnauthorized = errors.New("genesys: unauthorized")
	// ErrForbidden: the token lacks a permission (403).
	ErrForbidden = errors.New("genesys: forbidden")
	// ErrNotFound: the object does not exist (404).
	ErrNotFound = errors.New("genesys: not found")
	// ErrRateLimited: Genesys answered 429 and retrying was not possible.
	ErrRateLimited = errors.New("genesys: rate limited")
	// ErrOtherOrg: a user token belongs to another Genesys organization.
	ErrOtherOrg = errors.New("genesys: token belongs to another organization")
	// ErrBadClientCredentials: the login host refused genesys.clientId/clientSecret.
	ErrBadClientCredentials = errors.New("genesys: client credentials refused")
	// ErrNoClientCredentials: the call needs the client-credentials client,
	// but Options.ClientID/ClientSecret are empty.
	ErrNoClientCredentials = errors.New("genesys: no client credentials configured; set genesys.clientId and genesys.clientSecret")
	// ErrUnreachable: no HTTP response came back (DNS, connect, TLS, reset, timeout).
	ErrUnreachable = errors.New("genesys: host unreachable")
	// ErrMalformedResponse: a success response could not be decoded.
	ErrMalformedResponse = errors.New("genesys: malformed response")
	// ErrResponseTooLarge: a response exceeded Options.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("genesys: response too large")
)

// Error is an error answer of the Platform API: the decoded Genesys error
// body plus the ININ-Correlation-Id header. Its text never holds a token.
type Error struct {
	Status        int
	Code          string // e.g. "bad.credentials", "not.found"
	Message       string
	CorrelationID string
	// Method and Route name the call ("GET", "/api/v2/users/{id}").
	Method, Route string
	// RetryAfter is the wait a 429 asked for (0 when absent).
	RetryAfter time.Duration
	// retryAfterCap is set when a 429 was not retried because it asked too much.
	retryAfterCap time.Duration
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "genesys: %s %s: %d", e.Method, e.Route, e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.retryAfterCap > 0 {
		fmt.Fprintf(&b, " (Genesys asked to retry after %s, above the retryAfterCap of %s; giving up)", e.RetryAfter, e.retryAfterCap)
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation id " + e.CorrelationID + ")")
	}
	return b.String()
}

// Is maps the HTTP status onto the sentinels.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrUnauthorized:
		return e.Status == 401
	case ErrForbidden:
		return e.Status == 403
	case ErrNotFound:
		return e.Status == 404
	case ErrRateLimited:
		return e.Status == 429
	}
	return false
}

// AuthError is a refusal from the login host's /oauth/token.
type AuthError struct {
	Status        int
	Code          string // OAuth error, e.g. "invalid_client", "invalid_grant"
	Description   string
	CorrelationID string
	Host          string
	Grant         string // "client_credentials" or "authorization_code"
}

func (e *AuthError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "genesys: %s refused the %s grant (%d", e.Host, e.Grant, e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	}
	if e.Description != "" {
		b.WriteString(": " + e.Description)
	}
	b.WriteString(")")
	switch {
	case e.Grant == "client_credentials" && e.badClient():
		b.WriteString("; check genesys.clientId and genesys.clientSecret (the OAuth client must exist in this environment and use the Client Credentials grant)")
	case e.Grant == "authorization_code":
		b.WriteString("; check genesys.browserClientId and that the redirect URI is registered on that OAuth client")
	}
	if e.CorrelationID != "" {
		b.WriteString(" (correlation id " + e.CorrelationID + ")")
	}
	return b.String()
}

func (e *AuthError) badClient() bool {
	return e.Code == "invalid_client" || e.Code == "unauthorized_client" || e.Status == 401
}

// Is reports ErrBadClientCredentials for a refused client-credentials client.
func (e *AuthError) Is(target error) bool {
	return target == ErrBadClientCredentials && e.Grant == "client_credentials" && e.badClient()
}

// TransportError means no HTTP answer arrived from Host.
type TransportError struct {
	Host          string
	Method, Route string
	Err           error // the cause, without the request URL
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("genesys: cannot reach %s (%s %s): %v; check genesys.environment and the network path to that host", e.Host, e.Method, e.Route, e.Err)
}

func (e *TransportError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// ResponseError means an answer arrived but could not be used: malformed
// JSON or a body larger than Options.MaxResponseBytes.
type ResponseError struct {
	Status        int
	Method, Route string
	Host          string
	CorrelationID string
	TooLarge      bool
	Limit         int64
	Err           error
}

func (e *ResponseError) Error() string {
	if e.TooLarge {
		return fmt.Sprintf("genesys: %s %s on %s: response larger than %d bytes (MaxResponseBytes); a proxy may be answering instead of Genesys (correlation id %q)", e.Method, e.Route, e.Host, e.Limit, e.CorrelationID)
	}
	return fmt.Sprintf("genesys: %s %s on %s: malformed %d response: %v; a proxy may be answering instead of Genesys (correlation id %q)", e.Method, e.Route, e.Host, e.Status, e.Err, e.CorrelationID)
}

func (e *ResponseError) Unwrap() []error {
	kind := ErrMalformedResponse
	if e.TooLarge {
		kind = ErrResponseTooLarge
	}
	if e.Err == nil {
		return []error{kind}
	}
	return []error{kind, e.Err}
}
