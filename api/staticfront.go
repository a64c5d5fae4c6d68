package api

import (
	"encoding/json"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

// docsRoute is the route template the pages are counted and logged under
// (gin's FullPath of the docs route).
const docsRoute = DocsPrefix + "/*filepath"

var jsonContentType = []string{"application/json; charset=utf-8"}

// serveHTTP is the Server's handler. A page or asset that exists is written
// straight from its precomputed bodies; everything else goes through gin.
// The pages are most of the requests a contact centre makes, and gin's
// context, router and writer wrapper cost more than writing them; the
// static path does what front does for a page (request id, security
// headers, recovery, metrics, the access line), so the answer, the line
// and the counters are the same either way.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.staticFor(r)
	if f == nil {
		s.engine.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	h := w.Header()
	id := s.startResponse(h, r.Header[requestIDHeader])
	// The Date net/http would write, formatted once a second.
	h["Date"] = secondOf(start).date
	// The answer leaves in one write, and before the metrics and the
	// access line: net/http would send its last bytes only after the
	// handler returns. An answer that fits net/http's 4 KiB buffer (a 304,
	// a HEAD, a small file) leaves in one write at the Flush; a bigger
	// one is held on the connection until it is complete.
	notModified := etagMatch(headerValue(r.Header, hdrIfNoneMatch), f.etag)
	var conn *coalescingConn
	if !notModified && r.Method != http.MethodHead && len(f.body) > fitsNetHTTPBuffer {
		conn = coalescingConnOf(r)
		conn.hold()
	}
	status, n := s.writeStaticSafely(w, r, f, notModified, id)
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	_ = conn.release() // a failed write shows on the connection's next read
	s.record(r, id, docsRoute, status, n, start, peerIP(r))
}

// fitsNetHTTPBuffer is the largest body that leaves with its header in one
// write from net/http's 4 KiB connection buffer: a static answer's header
// is under 1 KiB (the CSP is its longest line, a caller's request id at
// most 64 bytes).
const fitsNetHTTPBuffer = 2 << 10

// staticFor is the file r asks for when the static path may answer it: a GET
// or HEAD of an existing page, without a body (front limits bodies) and
// without forwarding headers (gin judges whether the proxy is trusted).
func (s *Server) staticFor(r *http.Request) *staticFile {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.ContentLength != 0 {
		return nil
	}
	p, ok := strings.CutPrefix(r.URL.Path, DocsPrefix)
	if !ok || p == "" || p[0] != '/' || forwarded(r) {
		return nil
	}
	return s.static.lookup(p)
}

// writeStaticSafely is writeStatic with front's recovery: a panic is logged
// with its stack and answered 500 with the request id, as front answers it.
// Only the steps before the header is written can panic (after it there is
// only net/http's own write), so the 500 always has a header to go in.
func (s *Server) writeStaticSafely(w http.ResponseWriter, r *http.Request, f *staticFile, notModified bool, id string) (status, n int) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.log.Error("panic in handler", "request_id", id, "panic", v, "stack", string(debug.Stack()))
		e := &Error{Status: http.StatusInternalServerError, Message: "internal error; see the server log for request " + id}
		body, _ := json.Marshal(asmxError(w.Header(), e, id)) // as gin's c.JSON writes it
		w.Header()["Content-Type"] = jsonContentType
		w.WriteHeader(e.Status)
		n, _ = w.Write(body)
		status = e.Status
	}()
	return writeStaticAnswer(w, r, f, notModified)
}
