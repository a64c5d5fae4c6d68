package genesystest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dcmconnect/internal/fakehttp"
)

// AllRoutes as the route of Fault hits every route that has no fault of its own.
const AllRoutes = fakehttp.AnyTarget

// Fault queues a fault on a route ("GET /api/v2/users", "POST /oauth/token",
// "GET /api/v2/users/{userId}", or AllRoutes). The model is the one of
// appbasetest: faults on one route queue and answer in the order given; one
// with Times > 0 leaves the queue after that many hits, one with Times 0
// stays until ClearFaults (so faults queued behind it never run). A route
// with nothing queued gets the head of AllRoutes' queue. An unknown route
// fails the test (NewServerT) or panics, so a typo cannot pass silently.
func (s *Server) Fault(route string, f Fault) {
	if t := s.t; t != nil {
		t.Helper()
	}
	key, ok := s.knownRoute(route)
	if !ok {
		return
	}
	s.faults.Add(key, f, f.Times)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// Requests is how many requests reached a route (faulted ones included,
// CORS preflights not). An unknown route fails the test or panics, as in Fault.
func (s *Server) Requests(route string) int {
	if t := s.t; t != nil {
		t.Helper()
	}
	key, ok := s.knownRoute(route)
	if !ok {
		return 0
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return s.counts[key]
}

// TokenRequests is Requests("POST /oauth/token").
func (s *Server) TokenRequests() int { return s.Requests("POST /oauth/token") }

// ResetRequests zeroes every counter.
func (s *Server) ResetRequests() {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.counts = map[string]int{}
}

// knownRoute is the key of route, or false once an unknown one is reported.
func (s *Server) knownRoute(route string) (string, bool) {
	if route == AllRoutes {
		return AllRoutes, true
	}
	key := routeKey(route)
	if !s.routes.keys[key] {
		if s.t != nil {
			s.t.Helper()
		}
		fakehttp.Reject(s.t, "genesystest", route, "see Server.Routes()")
		return "", false
	}
	return key, true
}

func (s *Server) count(key string) {
	s.cmu.Lock()
	s.counts[key]++
	s.cmu.Unlock()
}

// applyFault runs an injected fault; true means the request is finished.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, key string) bool {
	f, ok := s.faults.Take(key)
	if !ok {
		return false
	}
	if !s.http.Wait(r, f.Latency) {
		return true // the client gave up; nobody reads an answer
	}
	if f.Drop {
		fakehttp.Drop(w)
		return true
	}
	if f.Status == 0 {
		return false
	}
	if f.Status == http.StatusTooManyRequests {
		secs := int((f.RetryAfter + time.Second - 1) / time.Second)
		if f.RetryAfter == 0 {
			secs = 1
		}
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		// Body text per the 2021 normalisation announcement (docs/upstreams.md).
		writeError(w, f.Status, "too.many.requests.retry.after",
			fmt.Sprintf("Rate limit exceeded the maximum. Retry the request in [%d] seconds", secs))
		return true
	}
	if key == routeKey("POST /oauth/token") && f.Status < 500 {
		// The login host refuses with the OAuth body, not the API one
		// (docs/upstreams.md); clients read "error", so a fault must look the same.
		code, desc := "invalid_request", strings.ToLower(http.StatusText(f.Status))
		if f.Status == http.StatusUnauthorized || f.Status == http.StatusForbidden {
			code, desc = "invalid_client", "authentication failed"
		}
		oauthError(w, f.Status, code, desc)
		return true
	}
	code, msg := statusCode(f.Status)
	writeError(w, f.Status, code, msg)
	return true
}

// statusCode maps a status to the code and message of the common-error
// table (docs/upstreams.md).
func statusCode(status int) (string, string) {
	switch status {
	case http.StatusBadRequest:
		return "bad.request", "The request could not be understood by the server due to malformed syntax."
	case http.StatusUnauthorized:
		return "bad.credentials", "Invalid login credentials."
	case http.StatusForbidden:
		return "not.authorized", "You are not authorized to perform the requested action."
	case http.StatusNotFound:
		return "not.found", "The requested resource was not found."
	case http.StatusConflict:
		return conflictCode, "The resource was modified by another request."
	case http.StatusInternalServerError:
		return "internal.server.error", "The server encountered an unexpected condition which prevented it from fulfilling the request."
	case http.StatusNotImplemented:
		return "not.implemented", "The requested operation is not implemented."
	case http.StatusBadGateway:
		return "bad.gateway", "The server received an invalid response from an upstream server."
	case http.StatusServiceUnavailable:
		return "service.unavailable", "Service Unavailable - The server is currently unavailable (because it is overloaded or down for maintenance)."
	case http.StatusGatewayTimeout:
		return "request.timeout", "The request timed out."
	default:
		return "error", http.StatusText(status)
	}
}
