package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/interactions"
	"dcmconnect/supervisor"
	"dcmconnect/usermap"
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
	// RetryAfter, when set, is sent as Retry-After (429, 503).
	RetryAfter time.Duration
	// Code and Params name the sentence the page shows (messages.go); empty,
	// the code follows from Type or Status.
	Code   string
	Params map[string]string
}

func (e *Error) Error() string { return e.Message }
func (e *Error) Unwrap() error { return e.Err }

// Errorf-style constructors for the common cases.
func BadRequest(msg string) *Error   { return &Error{Status: http.StatusBadRequest, Message: msg} }
func Unauthorized(msg string) *Error { return &Error{Status: http.StatusUnauthorized, Message: msg} }
func Forbidden(msg string) *Error    { return &Error{Status: http.StatusForbidden, Message: msg} }
func NotFound(msg string) *Error     { return &Error{Status: http.StatusNotFound, Message: msg} }

// from says where a handler's error came from, for what the error does not
// say itself: which upstream it names, and whose token the call carried.
type from int

const (
	fromUnknown        from = iota // "upstream"; errors of interactions name their system
	fromGenesys                    // Genesys Cloud with our client-credentials token
	fromServiceJourney             // AppBase with the system user
	fromHealth                     // the upstream health checks
	fromToken                      // verifying the caller's own Genesys token
	fromWizard                     // the setup wizard, acting with the administrator's own token
)

func (f from) upstream() string {
	switch f {
	case fromGenesys, fromToken, fromWizard:
		return "Genesys Cloud"
	case fromServiceJourney:
		return "ServiceJourney"
	case fromHealth:
		return "health check"
	}
	return "upstream"
}

// httpError is the one place a failure becomes what the page gets: an HTTP
// status and a message a person can act on. The caller's mistakes are 400s
// naming the parameter; states the pages explain get their own status and
// ExceptionType; upstream failures are 504 (timeout), 503 (unreachable, rate
// limited, refused our credentials), 404 (gone) or 502.
func httpError(err error, f from) *Error {
	var (
		ae *Error
		qe *supervisor.QueryError
		uu *usermap.UnknownUserError
		ie *interactions.InputError
		nm *interactions.AgentNotMappedError
		ue *interactions.UpstreamError
	)
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &qe):
		return BadRequest(qe.Error())
	case errors.As(err, &uu):
		return BadRequest(err.Error())
	case errors.As(err, &nm):
		return &Error{Status: http.StatusForbidden, Type: TypeAgentNotMapped, Message: nm.Error()}
	case errors.Is(err, interactions.ErrNoUserMap):
		return &Error{Status: http.StatusServiceUnavailable, Type: TypeUserMapNotReady, Message: err.Error(), Err: err}
	case errors.Is(err, usermap.ErrNoSnapshot):
		return &Error{Status: http.StatusServiceUnavailable, Code: MsgUserMapNotReady, Message: err.Error()}
	case errors.Is(err, interactions.ErrNotParticipant):
		return &Error{Status: http.StatusForbidden, Type: TypeNotParticipant, Message: err.Error()}
	case errors.Is(err, interactions.ErrConversationGone):
		return &Error{Status: http.StatusNotFound, Type: TypeConversationGone, Message: err.Error()}
	case errors.As(err, &ie):
		e := BadRequest(ie.Error())
		if ie.Field == "number" {
			e.Type = TypeInvalidPhoneNumber
		}
		e.Code, e.Params = ie.Code, ie.Params
		return e
	case errors.As(err, &ue) && ue.System == interactions.SystemServiceJourney:
		e := *upstreamError(ue.Err, fromServiceJourney)
		e.Type = TypeServiceJourneyError
		if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout {
			e.Type = TypeServiceJourneyDown
		}
		return &e
	case errors.As(err, &ue): // Genesys Cloud, with the agent's own token
		switch {
		case errors.Is(ue.Err, genesys.ErrUnauthorized):
			return Unauthorized("Genesys Cloud refused your token; sign in again")
		case errors.Is(ue.Err, genesys.ErrForbidden) && ue.Op == interactions.OpCreateCall:
			return &Error{Status: http.StatusForbidden, Type: TypeDialPermissionMissing,
				Message: "Genesys Cloud refused to place the call: your role needs the permission conversation:conference:add", Err: ue.Err}
		}
		e := *upstreamError(ue.Err, fromGenesys)
		e.Type = TypeGenesysError
		if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout {
			e.Type = TypeGenesysDown
		}
		return &e
	}
	switch {
	case f == fromToken && errors.Is(err, genesys.ErrOtherOrg):
		e := Forbidden("this Genesys Cloud token belongs to another organization than the one this connector serves")
		e.Code = MsgOtherOrg
		return e
	case f == fromToken && errors.Is(err, genesys.ErrUnauthorized):
		return Unauthorized("the Genesys Cloud token is not valid or has expired; sign in again")
	case f == fromWizard && errors.Is(err, genesys.ErrForbidden):
		return &Error{Status: http.StatusForbidden, Message: "Genesys Cloud refused: " + safeMessage(err) + ". Ask for the missing permission, then run the wizard again: it continues where it stopped.", Err: err}
	case f == fromWizard && errors.Is(err, genesys.ErrUnauthorized):
		return &Error{Status: http.StatusUnauthorized, Message: "your Genesys Cloud session has ended; sign in again", Err: err}
	}
	return upstreamError(err, f)
}

// upstreamError is an upstream's failure: 504 on timeouts, 503 when the
// upstream is unavailable, unreachable, rate limited or refused our
// credentials, 404 when a Genesys object is gone, 502 otherwise, with the
// upstream's own (credential-free) message.
func upstreamError(err error, f from) *Error {
	var (
		ae *Error
		to interface{ Timeout() bool }
		st interface{ HTTPStatus() int }
		be *appbase.Error
	)
	if errors.As(err, &ae) {
		return ae
	}
	what, isGenesys := f.upstream(), f == fromGenesys || f == fromToken || f == fromWizard
	e := &Error{Status: http.StatusBadGateway, Message: what + ": " + callerText(err), Err: err}
	if f != fromUnknown && f != fromHealth {
		e.Params = map[string]string{"system": what} // "upstream" is no name for a page
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &to) && to.Timeout():
		e.Status, e.Message = http.StatusGatewayTimeout, what+" did not answer in time"
	case errors.Is(err, context.Canceled):
		e.Status, e.Message = http.StatusServiceUnavailable, "request cancelled"
	case errors.As(err, &st) && (st.HTTPStatus() == http.StatusServiceUnavailable || st.HTTPStatus() == http.StatusTooManyRequests):
		e.Status = http.StatusServiceUnavailable
	case isGenesys && (errors.Is(err, genesys.ErrUnreachable) || errors.Is(err, genesys.ErrRateLimited)):
		e.Status = http.StatusServiceUnavailable
	case isGenesys && errors.Is(err, genesys.ErrNotFound):
		e.Status = http.StatusNotFound
	case f == fromServiceJourney && errors.As(err, &be) && (be.Kind == appbase.KindTransport || be.Kind == appbase.KindAuth):
		e.Status = http.StatusServiceUnavailable
	}
	// Every method, not only the agent's, tells "down, try again" apart
	// from "answered with an error".
	if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout {
		switch {
		case isGenesys:
			e.Type = TypeGenesysDown
		case f == fromServiceJourney:
			e.Type = TypeServiceJourneyDown
		}
	}
	return e
}

// callerText is the technical line a caller may see for an upstream
// failure: never a host, an address or a configuration hint (those stay in
// the error, which goes to the log under the request id, and in check).
func callerText(err error) string {
	var (
		be *appbase.Error
		te *genesys.TransportError
		re *genesys.ResponseError
	)
	switch {
	case errors.As(err, &be):
		return be.CallerText()
	case errors.As(err, &te):
		return "no answer to " + te.Method + " " + te.Route
	case errors.As(err, &re):
		return fmt.Sprintf("an answer to %s %s that is not from Genesys Cloud's API (HTTP %d)", re.Method, re.Route, re.Status)
	}
	return safeMessage(err)
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
	case http.StatusRequestEntityTooLarge, http.StatusTooManyRequests:
		return "System.Web.HttpException"
	case http.StatusGatewayTimeout:
		return "System.TimeoutException"
	case http.StatusBadGateway, http.StatusServiceUnavailable:
		return "DCMConnect.UpstreamException"
	}
	return "System.Exception"
}

func writeASMXError(c *gin.Context, e *Error) {
	c.JSON(e.Status, asmxError(c.Writer.Header(), e, requestIDOf(c)))
}

// asmxError sets e's headers on h and returns the body of its answer.
func asmxError(h http.Header, e *Error, requestID string) gin.H {
	typ := e.Type
	if typ == "" {
		typ = exceptionType(e.Status)
	}
	if e.Status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer realm="dcmconnect"`)
	}
	if e.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
	}
	// The request id lets a person quote the failure; the details behind it
	// are in the server log under that id.
	// Code and Params are what the page translates; Message is the technical
	// line it keeps for the administrator.
	code, params := e.message()
	return gin.H{"Message": e.Message, "ExceptionType": typ, "RequestId": requestID, "Code": code, "Params": params}
}
