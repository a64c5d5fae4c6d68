package api

import (
	"log/slog"
	"maps"
	"net"
	"net/http"
	"runtime/debug"
	"slices"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

// front is the whole middleware chain in one pass: request id, the fixed
// security headers (computed once in New), the body limit, panic recovery,
// then the metrics and the access line. One function instead of six keeps
// per-request work to what each step needs.
func (s *Server) front(c *gin.Context) {
	start := time.Now()
	id := s.startResponse(c.Writer.Header(), c.Request.Header[requestIDHeader])
	if c.Request.ContentLength > s.opts.MaxBodyBytes {
		c.Writer.Header().Set("Connection", "close")
		writeASMXError(c, &Error{Status: http.StatusRequestEntityTooLarge, Message: "request body too large"})
		c.Abort()
	} else {
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, s.opts.MaxBodyBytes)
		}
		s.next(c, id)
	}
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	// gin says -1 for a body not written yet (a 304 it writes after us).
	s.record(c.Request, id, route, c.Writer.Status(), max(c.Writer.Size(), 0), start, clientIP(c))
}

// startResponse puts the request id (the caller's when it is plain, else a
// new one) and the fixed security headers on a response, and returns the id.
// given is the request's X-Request-Id values.
func (s *Server) startResponse(h http.Header, given []string) string {
	idv := requestIDValues(given)
	h[requestIDHeader] = idv
	for _, f := range s.fixedHeaders {
		h[f.key] = f.values // shared slices of length = capacity: an Add copies, never writes into them
	}
	return idv[0]
}

// headerField is one header's canonical key and values, so setting it is
// one map assignment (no canonicalisation, no map walk).
type headerField struct {
	key    string
	values []string
}

// fieldsOf lists h's fields, keys in order.
func fieldsOf(h http.Header) []headerField {
	out := make([]headerField, 0, len(h))
	for _, k := range slices.Sorted(maps.Keys(h)) {
		v := h[k]
		out = append(out, headerField{http.CanonicalHeaderKey(k), v[:len(v):len(v)]})
	}
	return out
}

// next runs the handlers, turning a panic into a 500 and a log line with the
// stack, so one bad request never takes the process down.
func (s *Server) next(c *gin.Context, id string) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic in handler", "request_id", id, "panic", v, "stack", string(debug.Stack()))
			if !c.Writer.Written() {
				writeASMXError(c, &Error{Status: http.StatusInternalServerError, Message: "internal error; see the server log for request " + id})
			}
			c.Abort()
		}
	}()
	c.Next()
}

// record counts the request by route template (never the raw path) and
// writes its access line. The line holds the path without the query: a PKCE
// code or a legacy token may travel there. ip is computed before the call
// (a trusted proxy's forwarding headers), so it is only worth it when the
// line is written; callers pass it cheaply (see clientIP).
func (s *Server) record(r *http.Request, id, route string, status, size int, start time.Time, ip string) {
	d := time.Since(start)
	method := r.Method
	switch method {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
	default:
		method = "other"
	}
	s.metrics.observe(route, method, status, d)

	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	ctx := r.Context()
	if !s.log.Enabled(ctx, level) {
		return
	}
	line := accessLine{time: start.Add(d), level: level.String(), requestID: id, method: r.Method,
		path: r.URL.Path, route: route, status: status, bytes: size, duration: d, ip: ip}
	if s.access == nil {
		s.log.LogAttrs(ctx, level, "http request",
			slog.String("request_id", line.requestID), slog.String("method", line.method),
			slog.String("path", line.path), slog.String("route", line.route),
			slog.Int("status", line.status), slog.Int("bytes", line.bytes),
			slog.Float64("duration_ms", float64(d.Microseconds())/1000), slog.String("remote", line.ip))
		return
	}
	bp := linePool.Get().(*[]byte)
	b := line.appendTo((*bp)[:0])
	s.access.add(b)
	*bp = b
	linePool.Put(bp)
}

var linePool = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// clientIP is the peer's address, or what a trusted proxy forwarded. Without
// forwarding headers there is nothing to check against the trusted list.
func clientIP(c *gin.Context) string {
	if forwarded(c.Request) {
		return c.ClientIP()
	}
	return peerIP(c.Request)
}

// forwarded: the request carries a proxy's client address headers.
func forwarded(r *http.Request) bool {
	return headerValue(r.Header, hdrForwardedFor) != "" || headerValue(r.Header, hdrRealIP) != ""
}

// Request headers the static path reads, in canonical form (the form
// net/http stores a request's header names in).
const (
	hdrForwardedFor   = "X-Forwarded-For"
	hdrRealIP         = "X-Real-Ip"
	hdrIfNoneMatch    = "If-None-Match"
	hdrAcceptEncoding = "Accept-Encoding"
)

// headerValue is h.Get(key) for a canonical key: without Get's
// canonicalisation of the key, which for the few headers of a page request
// cost as much as the rest of reading them.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// peerIP is the address of the connection's other end.
func peerIP(r *http.Request) string {
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// requestIDOf is the request's id, as front set it on the response.
func requestIDOf(c *gin.Context) string {
	if v := c.Writer.Header()[requestIDHeader]; len(v) > 0 {
		return v[0]
	}
	return ""
}
