package genesystest

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net/http"
	"time"
)

// authCode is an authorization code handed out by the login page.
type authCode struct {
	clientID    string
	userID      string
	redirectURI string
	challenge   string // PKCE S256 challenge, "" without PKCE
	expires     time.Time
	used        bool
}

// codeTTL is how long an authorization code stays redeemable. The platform
// value is not in docs/upstreams.md [UNVERIFIED]; OAuth practice is minutes.
const codeTTL = 5 * time.Minute

// tokenResponse is the success body of POST /oauth/token (docs/upstreams.md).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	RefreshToken string `json:"refresh_token,omitempty"`
}

// oauthError is the error body of the login host: {error, description,
// error_description} (docs/upstreams.md), not the API error body.
func oauthError(w http.ResponseWriter, status int, code, description string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{
		"error":             code,
		"description":       description,
		"error_description": description,
	})
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		oauthError(w, http.StatusBadRequest, "invalid_request",
			"Content-Type must be application/x-www-form-urlencoded")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	if err := r.ParseForm(); err != nil {
		oauthError(w, http.StatusBadRequest, "invalid_request", "malformed form body")
		return
	}
	switch gt := r.PostForm.Get("grant_type"); gt {
	case "client_credentials":
		s.grantClientCredentials(w, r)
	case "authorization_code":
		s.grantAuthorizationCode(w, r)
	case "refresh_token":
		s.grantRefreshToken(w, r)
	case "":
		oauthError(w, http.StatusBadRequest, "invalid_request", "grant_type is required")
	default:
		oauthError(w, http.StatusBadRequest, "unsupported_grant_type", "unsupported grant type "+gt)
	}
}

// basicClient authenticates the client of a Basic Authorization header and
// answers 401 invalid_client itself on failure. The caller holds s.mu.
func (s *Server) basicClient(w http.ResponseWriter, r *http.Request) (*Client, bool) {
	id, secret, ok := r.BasicAuth()
	if !ok {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "authentication failed")
		return nil, false
	}
	c, found := s.data.clients.get(id)
	if !found {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client not found")
		return nil, false
	}
	if subtle.ConstantTimeCompare([]byte(secret), []byte(c.Secret)) != 1 || c.Secret == "" {
		oauthError(w, http.StatusUnauthorized, "invalid_client", "authentication failed")
		return nil, false
	}
	if c.State != "active" {
		// Exact body for an inactive client is not in docs/upstreams.md [UNVERIFIED].
		oauthError(w, http.StatusUnauthorized, "invalid_client", "client is inactive")
		return nil, false
	}
	return c, true
}

func (s *Server) grantClientCredentials(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.basicClient(w, r)
	if !ok {
		return
	}
	if c.GrantType != GrantClientCredentials {
		// RFC 6749 §5.2 code; Genesys wording not in docs/upstreams.md [UNVERIFIED].
		oauthError(w, http.StatusBadRequest, "unauthorized_client",
			"client is not authorized for grant type client_credentials")
		return
	}
	t := s.issueToken(c.ID, "", s.data.clientOrg(c), c.Scopes, c.TokenTTL)
	writeTokenResponse(w, t, c.TokenTTL, "")
}

func (s *Server) grantAuthorizationCode(w http.ResponseWriter, r *http.Request) {
	form := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()

	// Confidential clients send Basic auth; PKCE (public) clients send
	// client_id and code_verifier instead (docs/upstreams.md).
	var c *Client
	if _, _, hasBasic := r.BasicAuth(); hasBasic {
		var ok bool
		if c, ok = s.basicClient(w, r); !ok {
			return
		}
	} else {
		id := form.Get("client_id")
		if id == "" {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "client_id is required without Basic authentication")
			return
		}
		var ok bool
		if c, ok = s.data.clients.get(id); !ok {
			oauthError(w, http.StatusUnauthorized, "invalid_client", "client not found")
			return
		}
	}
	code, redirectURI := form.Get("code"), form.Get("redirect_uri")
	if code == "" || redirectURI == "" {
		oauthError(w, http.StatusBadRequest, "invalid_request", "code and redirect_uri are required")
		return
	}
	ac, ok := s.data.codes[code]
	if !ok || ac.used || !s.now().Before(ac.expires) || ac.clientID != c.ID {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "invalid authorization code")
		return
	}
	if redirectURI != ac.redirectURI {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri does not match the authorization request")
		return
	}
	verifier := form.Get("code_verifier")
	switch {
	case ac.challenge != "":
		sum := sha256.Sum256([]byte(verifier))
		if verifier == "" || base64.RawURLEncoding.EncodeToString(sum[:]) != ac.challenge {
			oauthError(w, http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
			return
		}
	case !hasBasicAuth(r): // no PKCE: only a confidential client may redeem
		oauthError(w, http.StatusUnauthorized, "invalid_client", "authentication failed")
		return
	}
	u, ok := s.data.users.get(ac.userID)
	if !ok || u.State != "active" {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "user is no longer active")
		return
	}
	ac.used = true
	t := s.issueToken(c.ID, u.ID, s.data.userOrg(u), c.Scopes, c.TokenTTL)
	rt := &token{value: randomToken(48), clientID: c.ID, userID: u.ID, orgID: t.orgID, scopes: c.Scopes}
	s.data.refresh[rt.value] = rt
	writeTokenResponse(w, t, c.TokenTTL, rt.value)
}

func hasBasicAuth(r *http.Request) bool {
	_, _, ok := r.BasicAuth()
	return ok
}

func (s *Server) grantRefreshToken(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.basicClient(w, r)
	if !ok {
		return
	}
	rt, ok := s.data.refresh[r.PostForm.Get("refresh_token")]
	if !ok || rt.clientID != c.ID {
		oauthError(w, http.StatusBadRequest, "invalid_grant", "invalid refresh token")
		return
	}
	t := s.issueToken(c.ID, rt.userID, rt.orgID, rt.scopes, c.TokenTTL)
	writeTokenResponse(w, t, c.TokenTTL, rt.value)
}

func writeTokenResponse(w http.ResponseWriter, t *token, ttl time.Duration, refresh string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken:  t.value,
		TokenType:    "bearer",
		ExpiresIn:    int(ttl / time.Second),
		RefreshToken: refresh,
	})
}
