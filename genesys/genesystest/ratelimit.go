package genesystest

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// WithTokenRateLimit enforces the platform's per-token limit
// (token.rate.per.minute, 300 on a real org): each token may make
// perMinute API requests per minute window, by the server's clock. Every
// API answer carries inin-ratelimit-count, -allowed and -reset (seconds
// to the window's end); past the limit the answer is 429
// too.many.requests.retry.after with Retry-After, as the platform sends
// since its normalised 429s (developer forum, 2021-11).
func WithTokenRateLimit(perMinute int) Option {
	return func(o *options) { o.tokenPerMinute = perMinute }
}

// tokenWindows counts each token's requests in its current minute.
type tokenWindows struct {
	mu        sync.Mutex
	windows   map[string]*tokenWindow
	throttled int
}

type tokenWindow struct {
	start time.Time
	count int
}

// rateLimited counts a request of tok and, past the limit, answers 429
// itself. It always sets the inin-ratelimit headers.
func (s *Server) rateLimited(w http.ResponseWriter, tok *token) bool {
	limit := s.opts.tokenPerMinute
	if limit <= 0 {
		return false
	}
	now := s.now()
	l := &s.limits
	l.mu.Lock()
	if l.windows == nil {
		l.windows = map[string]*tokenWindow{}
	}
	win := l.windows[tok.value]
	if win == nil || now.Sub(win.start) >= time.Minute {
		win = &tokenWindow{start: now}
		l.windows[tok.value] = win
	}
	win.count++
	count := win.count
	reset := win.start.Add(time.Minute).Sub(now)
	over := count > limit
	if over {
		l.throttled++
	}
	l.mu.Unlock()
	secs := int((reset + time.Second - 1) / time.Second)
	h := w.Header()
	h.Set("inin-ratelimit-count", strconv.Itoa(min(count, limit)))
	h.Set("inin-ratelimit-allowed", strconv.Itoa(limit))
	h.Set("inin-ratelimit-reset", strconv.Itoa(secs))
	if !over {
		return false
	}
	h.Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, "too.many.requests.retry.after",
		fmt.Sprintf("Rate limit exceeded the maximum. Retry the request in [%d] seconds", secs))
	return true
}

// Throttled is how many requests the per-token limit refused with 429.
func (s *Server) Throttled() int {
	s.limits.mu.Lock()
	defer s.limits.mu.Unlock()
	return s.limits.throttled
}
