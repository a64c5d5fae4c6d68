package genesystest

import (
	"net/http"
	"strings"
	"time"
)

// token is an issued access (or refresh) token.
type token struct {
	value    string
	clientID string // "" for tokens minted by UserToken
	userID   string // "" for client-credentials tokens
	orgID    string
	scopes   []string
	expires  time.Time
	expired  bool // set by ExpireTokens
}

type tokenKey struct{}

// tokenFrom returns the authenticated token of an API request.
func tokenFrom(r *http.Request) *token {
	t, _ := r.Context().Value(tokenKey{}).(*token)
	return t
}

// issueToken mints an access token; the caller holds s.mu.
func (s *Server) issueToken(clientID, userID, orgID string, scopes []string, ttl time.Duration) *token {
	t := &token{
		value:    randomToken(48),
		clientID: clientID,
		userID:   userID,
		orgID:    orgID,
		scopes:   scopes,
		expires:  s.now().Add(ttl),
	}
	s.data.tokens[t.value] = t
	if len(s.data.tokens) >= s.data.sweepAt {
		s.sweepTokens()
	}
	return t
}

// sweepTokens forgets dead tokens and codes so a long-running demo does not
// grow without bound; a forgotten token still answers 401 bad.credentials.
// The caller holds s.mu.
func (s *Server) sweepTokens() {
	now := s.now()
	for v, t := range s.data.tokens {
		if t.expired || !now.Before(t.expires) {
			delete(s.data.tokens, v)
		}
	}
	for v, c := range s.data.codes {
		if c.used || !now.Before(c.expires) {
			delete(s.data.codes, v)
		}
	}
	s.data.sweepAt = max(1024, 2*len(s.data.tokens))
}

// UserToken mints a user bearer token directly, without the login page
// (tests). It panics for an unknown user: that is a bug in the test.
func (s *Server) UserToken(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.data.users.get(userID)
	if !ok {
		panic("genesystest: UserToken: no user " + userID)
	}
	return s.issueToken("", u.ID, s.data.userOrg(u), nil, DefaultTokenTTL).value
}

// ExpireTokens makes every token issued so far answer 401 bad.credentials,
// as an expired token does. Tokens issued afterwards work.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, t := range s.data.tokens {
		t.expired = true
	}
}

// authenticate checks the bearer token of an API request and answers 401
// itself when it is missing or no longer valid (docs/upstreams.md).
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (*token, bool) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	value = strings.TrimSpace(value)
	if !strings.EqualFold(scheme, "bearer") || value == "" {
		writeError(w, http.StatusUnauthorized, "authentication.required",
			"No authentication bearer token specified in authorization header.")
		return nil, false
	}
	s.mu.Lock()
	t, ok := s.data.tokens[value]
	valid := ok && !t.expired && s.now().Before(t.expires)
	if valid && t.userID != "" {
		u, found := s.data.users.get(t.userID)
		valid = found && u.State == "active"
	}
	s.mu.Unlock()
	if !valid {
		writeError(w, http.StatusUnauthorized, "bad.credentials", "Invalid login credentials.")
		return nil, false
	}
	return t, true
}

// missingPermission returns "" when the token's user (or, for a
// client-credentials token, its OAuth client) holds any of want, else the
// wanted permissions for the error message.
func (s *Server) missingPermission(tok *token, want []string) string {
	s.mu.Lock()
	var have []string
	if tok.userID != "" {
		have = s.userPermissions(tok.userID)
	} else if c, ok := s.data.clients.get(tok.clientID); ok {
		have = s.rolePermissions(nil, grantRoleIDs(s.grants(c)))
	}
	s.mu.Unlock()
	for _, w := range want {
		for _, h := range have {
			if permissionMatches(h, w) {
				return ""
			}
		}
	}
	return strings.Join(want, ", ")
}

// userPermissions is the user's own permissions plus those its roles grant;
// the caller holds s.mu.
func (s *Server) userPermissions(userID string) []string {
	u, ok := s.data.users.get(userID)
	if !ok {
		return nil
	}
	return s.rolePermissions(u.Permissions, u.Roles)
}

// rolePermissions is own plus what the roles grant; the caller holds s.mu.
func (s *Server) rolePermissions(own, roles []string) []string {
	perms := append([]string(nil), own...)
	for _, rid := range roles {
		r, ok := s.data.roles.get(rid)
		if !ok {
			continue
		}
		for _, p := range r.PermissionPolicies {
			for _, a := range p.ActionSet {
				perm := p.Domain + ":" + p.EntityName + ":" + a
				if !containsString(perms, perm) {
					perms = append(perms, perm)
				}
			}
		}
	}
	return perms
}

// permissionMatches compares "domain:entity:action" part by part; "*" in
// the held permission matches anything, and a bare "*" matches everything.
func permissionMatches(have, want string) bool {
	if have == "*" {
		return true
	}
	hp, wp := strings.Split(have, ":"), strings.Split(want, ":")
	if len(hp) != len(wp) {
		return false
	}
	for i := range hp {
		if hp[i] != "*" && !strings.EqualFold(hp[i], wp[i]) {
			return false
		}
	}
	return true
}
