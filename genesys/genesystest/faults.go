package genesystest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AllRoutes as the route of Fault hits every route that has no fault of its own.
const AllRoutes = "*"

// Fault queues a fault on a route ("GET /api/v2/users", "POST /oauth/token",
// "GET /api/v2/users/{userId}", or AllRoutes). Faults on one route apply in
// the order given; one with Times > 0 leaves the queue after that many hits.
// An unknown route panics, so a typo cannot make a test silently pass.
func (s *Server) Fault(route string, f Fault) {
	key := s.mustKnowRoute(route)
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults[key] = append(s.faults[key], &f)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.faults = map[string][]*Fault{}
}

// Requests is how many requests reached a route (faulted ones included,
// CORS preflights not). An unknown route panics.
func (s *Server) Requests(route string) int {
	key := s.mustKnowRoute(route)
	s.fmu.Lock()
	defer s.fmu.Unlock()
	return s.counts[key]
}

// TokenRequests is Requests("POST /oauth/token").
func (s *Server) TokenRequests() int { return s.Requests("POST /oauth/token") }

// ResetRequests zeroes every counter.
func (s *Server) ResetRequests() {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	s.counts = map[string]int{}
}

func (s *Server) mustKnowRoute(route string) string {
	if route == AllRoutes {
		return AllRoutes
	}
	key := routeKey(route)
	if !s.routes.keys[key] {
		panic(fmt.Sprintf("genesystest: unknown route %q; see Server.Routes()", route))
	}
	return key
}

func (s *Server) count(key string) {
	s.fmu.Lock()
	s.counts[key]++
	s.fmu.Unlock()
}

// takeFault pops the fault that applies to this request, if any.
func (s *Server) takeFault(key string) *Fault {
	s.fmu.Lock()
	defer s.fmu.Unlock()
	for _, k := range []string{key, AllRoutes} {
		q := s.faults[k]
		if len(q) == 0 {
			continue
		}
		f := *q[0]
		if q[0].Times > 0 {
			q[0].Times--
			if q[0].Times == 0 {
				s.faults[k] = q[1:]
			}
		}
		return &f
	}
	return nil
}

// applyFault runs an injected fault; true means the request is finished.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, key string) bool {
	f := s.takeFault(key)
	if f == nil {
		return false
	}
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true // the client gave up; nobody reads an answer
		case <-s.closed:
			t.Stop()
			// Abort so net/http cuts the connection instead of sending an
			// empty 200 for a handler that wrote nothing.
			panic(http.ErrAbortHandler)
		}
	}
	if f.Drop {
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("genesystest: Drop fault needs an HTTP/1 connection")
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			_ = conn.Close()
		}
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
		// Body text per the 2021 normalisation announcement (facts §6.2).
		writeError(w, f.Status, "too.many.requests.retry.after",
			fmt.Sprintf("Rate limit exceeded the maximum. Retry the request in [%d] seconds", secs))
		return true
	}
	if key == routeKey("POST /oauth/token") && f.Status < 500 {
		// The login host refuses with the OAuth body, not the API one
		// (facts §1.2); clients read "error", so a fault must look the same.
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
// table (facts §6.1).
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
