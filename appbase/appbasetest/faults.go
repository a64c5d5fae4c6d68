package appbasetest

import (
	"net/http"
	"strings"
	"time"

	"dcmconnect/internal/fakehttp"
)

// Fault is injected into requests for one target. Latency is waited first
// (cut short when the client gives up or the server closes), then at most
// one of Drop, HTTP500, TopLevelError500 answers instead of the real
// handler; a fault with none of them only delays.
type Fault struct {
	Latency time.Duration
	// TopLevelError500 answers HTTP 200 with {"ErrorCode":500,"ErrorMessage":...},
	// AppBase's usual way to report a server fault.
	TopLevelError500 bool
	// HTTP500 answers HTTP 500 with an HTML error page, as IIS does.
	HTTP500 bool
	// Drop closes the connection without an answer.
	Drop bool
	// Times limits the fault to this many requests; 0 means until ClearFaults.
	Times int
}

// AnyTarget as the target of Fault hits login and every rule that has no
// fault of its own.
const AnyTarget = fakehttp.AnyTarget

// Fault queues f for target: "login", a contract operation ("GETUSERS",
// any case) or AnyTarget. The model is the one of genesystest: faults on
// one target queue and answer in the order given; one with Times > 0 leaves
// the queue after that many hits, one with Times 0 stays until ClearFaults
// (so faults queued behind it never run). A target with nothing queued gets
// the head of AnyTarget's queue. An unknown target fails the test
// (NewServerT) or panics, so a typo cannot pass silently.
func (s *Server) Fault(target string, f Fault) {
	if s.t != nil {
		s.t.Helper()
	}
	key, ok := s.knownTarget(target)
	if !ok {
		return
	}
	s.faults.Add(key, f, f.Times)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// knownTarget is the key of target, or false once an unknown one is reported.
func (s *Server) knownTarget(target string) (string, bool) {
	key := strings.ToUpper(target)
	if _, ok := contract[key]; ok || key == "LOGIN" || key == AnyTarget {
		return key, true
	}
	if s.t != nil {
		s.t.Helper()
	}
	fakehttp.Reject(s.t, "appbasetest", target,
		`want "login", a contract operation (GETUSERS, SETUSERMAPPING, FINDPARTIES, FINDCASES, UPSERTINTERACTION, GETSYNCSTATE, SETSYNCSTATE) or "*"`)
	return "", false
}

// applyFault runs the fault for target; true means the request is answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, target string) bool {
	f, ok := s.faults.Take(target)
	if !ok {
		return false
	}
	if !s.http.Wait(r, f.Latency) {
		return true // the client gave up; nobody reads an answer
	}
	switch {
	case f.Drop:
		fakehttp.Drop(w)
		return true
	case f.HTTP500:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte("<html><body><h1>Server Error in '/' Application.</h1><p>Runtime Error (injected fault)</p></body></html>"))
		return true
	case f.TopLevelError500:
		s.writeTopLevel(w, http.StatusOK, 500, "Internal server error (injected fault)")
		return true
	}
	return false
}
