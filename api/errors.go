package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"
)

// Error is what a DCMServices method fails with: an HTTP status and a message
// safe to show a person (never a token or password). It is written in the
// ASMX error shape {"Message":..., "ExceptionType":...} the old pages expect.
type Error struct {
	Status  int
	Message string
	// Type overrides the ExceptionType derived from Status.
	Type string
	// Err is the cause, logged but never sent.
	Err error
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Errorf-style constructors for the common cases.
func BadRequest(msg string) *Error   { return &Error{Status: http.StatusBadRequest, Message: msg} }
func Unauthorized(msg string) *Error { return &Error{Status: http.StatusUnauthorized, Message: msg} }
func Forbidden(msg string) *Error    { return &Error{Status: http.StatusForbidden, Message: msg} }
func NotFound(msg string) *Error     { return &Error{Status: http.StatusNotFound, Message: msg} }

// Upstream wraps an upstream failure: 504 on timeouts, 503 when the upstream
// says it is unavailable, 502 otherwise. what names the upstream ("Genesys
// Cloud", "ServiceJourney") and msg says what failed in words a person can use.
func Upstream(what string, err error) *Error {
	var ae *Error
	if errors.As(err, &ae) {
		return ae
	}
	e := &Error{Status: http.StatusBadGateway, Message: what + ": " + safeMessage(err), Err: err}
	var to interface{ Timeout() bool }
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &to) && to.Timeout():
		e.Status = http.StatusGatewayTimeout
		e.Message = what + " did not answer in time"
	case errors.Is(err, context.Canceled):
		e.Status = http.StatusServiceUnavailable
		e.Message = "request cancelled"
	default:
		var st interface{ HTTPStatus() int }
		if errors.As(err, &st) && (st.HTTPStatus() == http.StatusServiceUnavailable || st.HTTPStatus() == http.StatusTooManyRequests) {
			e.Status = http.StatusServiceUnavailable
		}
	}
	return e
}

// safeMessage relies on the upstream clients' guarantee that their error
// strings hold no credentials.
func safeMessage(err error) string {
	if err == nil {
		return "unknown error"
	}
	return err.Error()
}

func exceptionType(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "System.ArgumentException"
	case http.StatusUnauthorized:
		return "System.Security.Authentication.AuthenticationException"
	case http.StatusForbidden:
		return "System.UnauthorizedAccessException"
	case http.StatusNotFound:
		return "System.InvalidOperationException"
	case http.StatusRequestEntityTooLarge:
		return "System.Web.HttpException"
	case http.StatusGatewayTimeout:
		return "System.TimeoutException"
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return "DCMConnect.UpstreamException"
	}
	return "System.Exception"
}

func writeASMXError(c *gin.Context, e *Error) {
	typ := e.Type
	if typ == "" {
		typ = exceptionType(e.Status)
	}
	if e.Status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="dcmconnect"`)
	}
	c.JSON(e.Status, gin.H{"Message": e.Message, "ExceptionType": typ})
}
