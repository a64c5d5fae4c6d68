package genesystest

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// wireOAuthClient is OAuthClient; secret only in the create answer.
type wireOAuthClient struct {
	ID                         string   `json:"id"`
	Name                       string   `json:"name"`
	Description                string   `json:"description,omitempty"`
	AccessTokenValiditySeconds int      `json:"accessTokenValiditySeconds"`
	RegisteredRedirectURI      []string `json:"registeredRedirectUri"`
	Secret                     string   `json:"secret,omitempty"`
	RoleIDs                    []string `json:"roleIds"`
	// RoleDivisions: Model platformclientv2.Oauthclient roleDivisions.
	RoleDivisions       []RoleDivision `json:"roleDivisions"`
	DateCreated         string         `json:"dateCreated"`
	AuthorizedGrantType string         `json:"authorizedGrantType"`
	Scope               []string       `json:"scope"`
	State               string         `json:"state"`
	SelfURI             string         `json:"selfUri"`
}

// oauthClientRequest is OAuthClientRequest (docs/upstreams.md, oauth-client
// module; Model: platformclientv2.Oauthclientrequest). roleIds is deprecated
// there in favour of roleDivisions.
type oauthClientRequest struct {
	Name                       string         `json:"name"`
	Description                string         `json:"description"`
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds"`
	RegisteredRedirectURI      []string       `json:"registeredRedirectUri"`
	RoleIDs                    []string       `json:"roleIds"`
	RoleDivisions              []RoleDivision `json:"roleDivisions"`
	AuthorizedGrantType        string         `json:"authorizedGrantType"`
	Scope                      []string       `json:"scope"`
	State                      string         `json:"state"`
}

// grants are c's role grants: its RoleDivisions, then each of RoleIDs not
// among them in the home division. The caller holds s.mu.
func (s *Server) grants(c *Client) []RoleDivision {
	out := slices.Clone(c.RoleDivisions)
	for _, id := range c.RoleIDs {
		if !slices.ContainsFunc(out, func(g RoleDivision) bool { return g.RoleID == id }) {
			out = append(out, RoleDivision{RoleID: id, DivisionID: s.data.homeDivision.ID})
		}
	}
	return out
}

// grantRoleIDs are the distinct role ids of grants.
func grantRoleIDs(gs []RoleDivision) []string {
	out := []string{}
	for _, g := range gs {
		if !slices.Contains(out, g.RoleID) {
			out = append(out, g.RoleID)
		}
	}
	return out
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// oauthClientWire renders c; the caller holds s.mu.
func (s *Server) oauthClientWire(c *Client, withSecret bool) wireOAuthClient {
	gs := s.grants(c)
	if gs == nil {
		gs = []RoleDivision{}
	}
	wc := wireOAuthClient{
		ID: c.ID, Name: c.Name, Description: c.Description,
		AccessTokenValiditySeconds: int(c.TokenTTL / time.Second),
		RegisteredRedirectURI:      nonNil(slices.Clone(c.RedirectURIs)),
		RoleIDs:                    grantRoleIDs(gs),
		RoleDivisions:              gs,
		DateCreated:                isoTime(c.DateCreated),
		AuthorizedGrantType:        c.GrantType,
		Scope:                      nonNil(slices.Clone(c.Scopes)),
		State:                      c.State,
		SelfURI:                    "/api/v2/oauth/clients/" + c.ID,
	}
	if withSecret {
		wc.Secret = c.Secret
	}
	return wc
}

// validate checks a client request against the rules the wizard relies on
// and returns an error naming the field; the caller holds s.mu.
func (s *Server) validateOAuthClient(req *oauthClientRequest) string {
	if strings.TrimSpace(req.Name) == "" {
		return "name is required"
	}
	switch req.AuthorizedGrantType {
	case GrantClientCredentials:
		// Client credentials need at least one role at creation (docs/upstreams.md).
		if len(req.RoleIDs) == 0 && len(req.RoleDivisions) == 0 {
			return "roleIds: a CLIENT-CREDENTIALS client needs at least one role"
		}
	case GrantImplicit, GrantCode:
		if len(req.RegisteredRedirectURI) == 0 {
			return "registeredRedirectUri is required for grant type " + req.AuthorizedGrantType
		}
	default:
		return "authorizedGrantType must be CLIENT-CREDENTIALS, TOKEN or CODE; got " + strings.TrimSpace(req.AuthorizedGrantType)
	}
	for _, rid := range req.RoleIDs {
		if _, ok := s.data.roles.get(rid); !ok {
			return "roleIds: role " + rid + " does not exist"
		}
	}
	for i, g := range req.RoleDivisions {
		if _, ok := s.data.roles.get(g.RoleID); !ok {
			return "roleDivisions[" + itoa(i) + "].roleId: role " + g.RoleID + " does not exist"
		}
		if g.DivisionID != "*" && g.DivisionID != s.data.homeDivision.ID {
			return "roleDivisions[" + itoa(i) + "].divisionId: division " + g.DivisionID + " does not exist (use \"*\" for all)"
		}
	}
	if v := req.AccessTokenValiditySeconds; v != 0 && (v < 300 || v > 172800) {
		return "accessTokenValiditySeconds must be between 300 and 172800"
	}
	switch req.State {
	case "", "active", "inactive":
	default:
		return "state must be active or inactive; got " + req.State
	}
	return ""
}

func applyOAuthClient(c *Client, req *oauthClientRequest) {
	c.Name, c.Description, c.GrantType = req.Name, req.Description, req.AuthorizedGrantType
	c.RedirectURIs = slices.Clone(req.RegisteredRedirectURI)
	// roleDivisions, when sent, are the grants; roleIds add their roles in
	// the home division (both are what a GET shows, so a read-modify-write
	// keeps them).
	c.RoleIDs, c.RoleDivisions = slices.Clone(req.RoleIDs), slices.Clone(req.RoleDivisions)
	c.Scopes = slices.Clone(req.Scope)
	c.TokenTTL = 86400 * time.Second // the API default (docs/upstreams.md)
	if req.AccessTokenValiditySeconds != 0 {
		c.TokenTTL = time.Duration(req.AccessTokenValiditySeconds) * time.Second
	}
	if req.State != "" {
		c.State = req.State
	}
}

func (s *Server) handleListOAuthClients(w http.ResponseWriter, r *http.Request) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var all []wireOAuthClient
	for _, c := range s.data.clients.list() {
		all = append(all, s.oauthClientWire(c, false))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

// POST /api/v2/oauth/clients: the only answer that shows the secret.
func (s *Server) handleCreateOAuthClient(w http.ResponseWriter, r *http.Request) {
	var req oauthClientRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	tok := tokenFrom(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.validateOAuthClient(&req); e != "" {
		badRequest(w, e)
		return
	}
	c := &Client{ID: newUUID(), Secret: randomToken(32), State: "active", OrgID: tok.orgID, DateCreated: s.now()}
	applyOAuthClient(c, &req)
	s.data.clients.put(c.ID, c)
	writeJSON(w, http.StatusOK, s.oauthClientWire(c, true))
}

func (s *Server) handleGetOAuthClient(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("clientId")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.clients.get(id)
	if !ok {
		notFound(w, "OAuth client", id)
		return
	}
	writeJSON(w, http.StatusOK, s.oauthClientWire(c, false))
}

// PUT /api/v2/oauth/clients/{id} replaces the client's settings (the wizard
// sets the real roles, or state "inactive" before deleting).
func (s *Server) handlePutOAuthClient(w http.ResponseWriter, r *http.Request) {
	var req oauthClientRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	id := r.PathValue("clientId")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.clients.get(id)
	if !ok {
		notFound(w, "OAuth client", id)
		return
	}
	if req.AuthorizedGrantType == "" {
		req.AuthorizedGrantType = c.GrantType
	}
	if e := s.validateOAuthClient(&req); e != "" {
		badRequest(w, e)
		return
	}
	applyOAuthClient(c, &req)
	writeJSON(w, http.StatusOK, s.oauthClientWire(c, false))
}

func (s *Server) handleDeleteOAuthClient(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("clientId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.data.clients.del(id) {
		notFound(w, "OAuth client", id)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
