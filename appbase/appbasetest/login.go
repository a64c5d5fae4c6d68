package appbasetest

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net/http"
)

const (
	securityPrefix = "/Security.WebService/AuthenticationServiceRest.svc/"
	// tokenInvalidMessage is what a rule call with a bad token gets. The real
	// wording is not public (docs/upstreams.md); it mentions the token, as clients expect.
	tokenInvalidMessage = "Security token is invalid or has expired"
)

// serveLogin: GET login?u=&p= and POST login.post (form u, p). Success is
// the token as a JSON string literal (docs/upstreams.md). Tokens are standard base64,
// so they hold '+', '/' and '=': a client that does not query-escape t fails.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request, op string) {
	var u, p string
	switch {
	case op == "login" && r.Method == http.MethodGet:
		q := r.URL.Query()
		u, p = q.Get("u"), q.Get("p")
	case op == "login.post" && r.Method == http.MethodPost:
		if err := r.ParseForm(); err != nil {
			http.Error(w, "bad form", http.StatusBadRequest)
			return
		}
		u, p = r.PostForm.Get("u"), r.PostForm.Get("p")
	case op == "login" || op == "login.post":
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	default:
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.logins++
	s.mu.Unlock()
	if s.applyFault(w, r, "LOGIN") {
		return
	}
	if u != s.user || p != s.password || u == "" {
		s.writeTopLevel(w, http.StatusUnauthorized, 401, "Invalid user name or password")
		return
	}
	var b [24]byte
	_, _ = rand.Read(b[:])
	tok := base64.StdEncoding.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = s.now()
	s.mu.Unlock()
	body, _ := json.Marshal(tok)
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(body)
}

// checkToken validates t with sliding expiry; the caller holds s.mu.
func (s *Server) checkToken(t string) bool {
	last, ok := s.tokens[t]
	if !ok {
		return false
	}
	now := s.now()
	if now.Sub(last) > s.tokenTTL {
		delete(s.tokens, t)
		return false
	}
	s.tokens[t] = now
	return true
}
