package api

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz says only that the process serves HTTP: a liveness probe must not
// fail because an upstream is down (restarting would not help).
func (s *Server) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

// readyz runs the readiness check with a short deadline; 503 takes the replica
// out of a load balancer until tokens are obtainable again.
func (s *Server) readyz(c *gin.Context) {
	if s.opts.Ready == nil {
		c.JSON(http.StatusOK, s.readyBody("ready"))
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	if err := s.opts.Ready(ctx); err != nil {
		// The reason names hosts and settings: it goes to the log (and to
		// "dcmconnect check"), not to whoever can reach the probe.
		s.log.Warn("not ready", "request_id", requestIDOf(c), "reason", err.Error())
		body := s.readyBody("not ready")
		body["requestId"] = requestIDOf(c)
		c.JSON(http.StatusServiceUnavailable, body)
		return
	}
	c.JSON(http.StatusOK, s.readyBody("ready"))
}

func (s *Server) readyBody(status string) gin.H {
	body := gin.H{}
	if s.opts.ReadyDetail != nil {
		for k, v := range s.opts.ReadyDetail() {
			body[k] = v
		}
	}
	body["status"] = status
	return body
}
