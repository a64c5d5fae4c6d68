package appbasetest

import (
	"net/http"
	"strings"
	"time"
)

// Fault is injected into matching requests. Effects combine: Latency is
// waited first (cut short when the client gives up or the server closes),
// then at most one of Drop, HTTP500, TopLevelError500 answers instead of
// the real handler.
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

type faultState struct {
	target string
	f      Fault
	left   int // -1: unlimited
}

// Fault injects f into requests for target: "login", a contract operation
// ("GETUSERS", ...) or "*" (login and every rule). Faults stack.
func (s *Server) Fault(target string, f Fault) {
	left := f.Times
	if left <= 0 {
		left = -1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &faultState{target: strings.ToUpper(target), f: f, left: left})
	s.mu.Unlock()
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// takeFault merges the faults matching target and uses one of each's Times.
// The caller holds s.mu.
func (s *Server) takeFault(target string) (Fault, bool) {
	var out Fault
	found := false
	kept := s.faults[:0]
	for _, fs := range s.faults {
		if fs.target == "*" || fs.target == target {
			found = true
			out.Latency += fs.f.Latency
			out.TopLevelError500 = out.TopLevelError500 || fs.f.TopLevelError500
			out.HTTP500 = out.HTTP500 || fs.f.HTTP500
			out.Drop = out.Drop || fs.f.Drop
			if fs.left > 0 {
				fs.left--
				if fs.left == 0 {
					continue
				}
			}
		}
		kept = append(kept, fs)
	}
	for i := len(kept); i < len(s.faults); i++ {
		s.faults[i] = nil
	}
	s.faults = kept
	return out, found
}

// applyFault runs the fault for target; true means the request is answered.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, target string) bool {
	s.mu.Lock()
	f, ok := s.takeFault(target)
	s.mu.Unlock()
	if !ok {
		return false
	}
	if f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return true
		case <-s.closed:
			t.Stop()
			return true
		}
	}
	switch {
	case f.Drop:
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				conn.Close()
				return true
			}
		}
		panic(http.ErrAbortHandler) // not hijackable (HTTP/2): abort the stream instead
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
