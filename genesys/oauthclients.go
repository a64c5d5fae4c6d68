package genesys

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"time"
)

// OAuthClientsService covers /api/v2/oauth/clients (docs/upstreams.md): the
// installer creates the browser (PKCE) and background (client-credentials)
// clients.
type OAuthClientsService service

// OAuthClient is an OAuth client. AuthorizedGrantType is CODE, TOKEN,
// CLIENT-CREDENTIALS or SAML2BEARER. Secret is returned on create only;
// it is a credential: never log it.
// Model: platformclientv2.Oauthclient (read) and Oauthclientrequest (POST,
// PUT): RoleIDs is deprecated there for RoleDivisions, the roles a
// client-credentials client acts with.
type OAuthClient struct {
	ID                         string         `json:"id,omitempty"`
	Name                       string         `json:"name"`
	Description                string         `json:"description,omitempty"`
	AccessTokenValiditySeconds int            `json:"accessTokenValiditySeconds,omitempty"`
	RegisteredRedirectURI      []string       `json:"registeredRedirectUri,omitempty"`
	Secret                     string         `json:"secret,omitempty"`
	RoleIDs                    []string       `json:"roleIds,omitempty"`
	RoleDivisions              []RoleDivision `json:"roleDivisions,omitempty"`
	AuthorizedGrantType        string         `json:"authorizedGrantType"`
	Scope                      []string       `json:"scope,omitempty"`
	State                      string         `json:"state,omitempty"` // active, disabled, inactive
	DateCreated                time.Time      `json:"dateCreated,omitzero"`
	DateModified               time.Time      `json:"dateModified,omitzero"`
	SelfURI                    string         `json:"selfUri,omitempty"`
}

// String leaves the secret out of any printout.
func (c OAuthClient) String() string {
	return fmt.Sprintf("OAuthClient{ID:%s Name:%q Grant:%s Secret:[redacted]}", c.ID, c.Name, c.AuthorizedGrantType)
}

// GoString keeps %#v from printing the secret too.
func (c OAuthClient) GoString() string { return c.String() }

// LogValue keeps the secret out of slog output, JSON handlers included
// (they would otherwise marshal the struct with its secret field).
func (c OAuthClient) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", c.ID), slog.String("name", c.Name), slog.String("grant", c.AuthorizedGrantType))
}

// RoleDivision grants a role within a division ("*" for all).
// Model: platformclientv2.Roledivision.
type RoleDivision struct {
	RoleID     string `json:"roleId"`
	DivisionID string `json:"divisionId"`
}

const oauthClientsPath = "/api/v2/oauth/clients"

// List returns the organization's OAuth clients.
func (s *OAuthClientsService) List(ctx context.Context) ([]OAuthClient, error) {
	var p Page[OAuthClient]
	if err := s.client.do(ctx, get("oauth", oauthClientsPath, oauthClientsPath, nil), &p); err != nil {
		return nil, err
	}
	return p.Entities, nil
}

// Get returns one OAuth client.
func (s *OAuthClientsService) Get(ctx context.Context, id string) (*OAuthClient, error) {
	pid, err := pathID("OAuth client id", id)
	if err != nil {
		return nil, err
	}
	var c OAuthClient
	if err := s.client.do(ctx, get("oauth", oauthClientsPath+"/{id}", oauthClientsPath+"/"+pid, nil), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// Create creates an OAuth client and returns it with its Secret. Not
// retried after a 5xx: it could create two.
func (s *OAuthClientsService) Create(ctx context.Context, c *OAuthClient) (*OAuthClient, error) {
	if c == nil || c.Name == "" || c.AuthorizedGrantType == "" {
		return nil, fmt.Errorf("genesys: OAuthClients.Create: OAuthClient.Name and AuthorizedGrantType are required")
	}
	var out OAuthClient
	r := &request{method: http.MethodPost, area: "oauth", route: oauthClientsPath, path: oauthClientsPath, body: c}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Update replaces an OAuth client (PUT /api/v2/oauth/clients/{clientId},
// OAuthApi.PutOauthClient, permission oauth:client:edit; body
// Oauthclientrequest), e.g. to set its roles or state: send what Get read,
// changed, since fields left out are cleared.
func (s *OAuthClientsService) Update(ctx context.Context, id string, c *OAuthClient) (*OAuthClient, error) {
	pid, err := pathID("OAuth client id", id)
	if err != nil {
		return nil, err
	}
	if c == nil || c.Name == "" || c.AuthorizedGrantType == "" {
		return nil, fmt.Errorf("genesys: OAuthClients.Update: OAuthClient.Name and AuthorizedGrantType are required")
	}
	var out OAuthClient
	r := &request{method: http.MethodPut, area: "oauth", route: oauthClientsPath + "/{id}", path: oauthClientsPath + "/" + pid, body: c, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GrantedRoleIDs are the distinct roles the client is granted, from RoleDivisions
// and the deprecated RoleIDs.
func (c *OAuthClient) GrantedRoleIDs() []string {
	var out []string
	add := func(id string) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	for _, g := range c.RoleDivisions {
		add(g.RoleID)
	}
	for _, id := range c.RoleIDs {
		add(id)
	}
	return out
}

// Delete removes an OAuth client.
func (s *OAuthClientsService) Delete(ctx context.Context, id string) error {
	pid, err := pathID("OAuth client id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "oauth", route: oauthClientsPath + "/{id}", path: oauthClientsPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}
