package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"
)

// securityHeaders go on every response, computed once in New (front sets
// them). frame-ancestors is an exact list: the Genesys desktop
// (https://apps.<env>) plus configured extras, never "*".
func (s *Server) securityHeaders() http.Header {
	return http.Header{
		"Content-Security-Policy": {s.csp()},
		"X-Content-Type-Options":  {"nosniff"},
		"Referrer-Policy":         {"no-referrer"},
	}
}

// FrameAncestors is the exact list of origins allowed to frame our pages.
func (s *Server) FrameAncestors() []string {
	out := []string{}
	if s.opts.AppsOrigin != "" {
		out = append(out, s.opts.AppsOrigin)
	}
	for _, o := range s.opts.FrameAncestors {
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

func (s *Server) csp() string {
	fa := "'none'"
	if anc := s.FrameAncestors(); len(anc) > 0 {
		fa = strings.Join(anc, " ")
	}
	connect := append([]string{"'self'"}, s.opts.ConnectSrc...)
	frames := append([]string{"'self'"}, s.opts.FrameSrc...)
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data:",
		"connect-src " + strings.Join(connect, " "),
		"frame-src " + strings.Join(frames, " "),
		"form-action 'self'",
		"base-uri 'none'",
		"object-src 'none'",
		"frame-ancestors " + fa,
	}, "; ")
}

// cors answers only for the exact configured origins; any other origin gets no
// CORS headers (the browser then refuses) and preflights get 403.
func (s *Server) cors(c *gin.Context) {
	origin := c.GetHeader("Origin")
	c.Writer.Header().Add("Vary", "Origin")
	if origin != "" && s.corsAllowed(origin) {
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Credentials", "false")
		h.Set("Access-Control-Expose-Headers", requestIDHeader)
	}
	c.Next()
}

func (s *Server) corsAllowed(origin string) bool {
	return slices.Contains(s.opts.CORSOrigins, origin)
}

func (s *Server) preflight(c *gin.Context) {
	if !s.corsAllowed(c.GetHeader("Origin")) {
		c.AbortWithStatus(http.StatusForbidden)
		return
	}
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id, Idempotency-Key")
	h.Set("Access-Control-Max-Age", "600")
	c.Status(http.StatusNoContent)
}
