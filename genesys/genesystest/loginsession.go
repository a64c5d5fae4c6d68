package genesystest

import "net/http"

// LoginSession is a login session of the user at this fake's login page, as
// a cookie a browser keeps once logged in to Genesys Cloud. An authorize
// request that carries it goes straight back to the redirect URI with the
// user's code or token, without the login page, as Genesys Cloud does for a
// browser already logged in; so a browser test whose subject is not the
// sign-in needs no login page load. The cookie is sent to the authorize path
// only, and named per server: fakes on the same host with other ports get
// cookies of their own. A session whose user cannot log in to the client's
// organization (inactive, another organization) gets the login page. It
// panics for an unknown user: that is a bug in the test.
func (s *Server) LoginSession(userID string) *http.Cookie {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data.users.get(userID); !ok {
		panic("genesystest: LoginSession: no user " + userID)
	}
	if s.data.sessionCookie == "" {
		s.data.sessionCookie = "genesystest_session_" + randomToken(6)
	}
	v := randomToken(24)
	s.data.sessions[v] = userID
	return &http.Cookie{Name: s.data.sessionCookie, Value: v, Path: "/oauth/authorize", HttpOnly: true, SameSite: http.SameSiteLaxMode}
}

// sessionUser is the user of the request's login session, if it has one;
// the caller holds s.mu.
func (s *Server) sessionUser(r *http.Request) (*User, bool) {
	if s.data.sessionCookie == "" {
		return nil, false
	}
	c, err := r.Cookie(s.data.sessionCookie)
	if err != nil {
		return nil, false
	}
	id, ok := s.data.sessions[c.Value]
	if !ok {
		return nil, false
	}
	return s.data.users.get(id)
}
