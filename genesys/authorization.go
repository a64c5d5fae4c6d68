package genesys

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// AuthorizationService covers /api/v2/authorization/roles (docs/upstreams.md):
// the installer creates a role and grants it to the installing admin.
type AuthorizationService service

// Role is an organization role.
// Model: platformclientv2.Domainorganizationrole (read), Domainorganizationrolecreate
// (POST) and Domainorganizationroleupdate (PUT): name, description, permissions,
// permissionPolicies.
type Role struct {
	ID                 string             `json:"id,omitempty"`
	Name               string             `json:"name"`
	Description        string             `json:"description,omitempty"`
	DefaultRoleID      string             `json:"defaultRoleId,omitempty"`
	Permissions        []string           `json:"permissions,omitempty"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies,omitempty"`
	UserCount          int                `json:"userCount,omitempty"`
	Default            bool               `json:"default,omitempty"`
	Base               bool               `json:"base,omitempty"`
	SelfURI            string             `json:"selfUri,omitempty"`
}

// PermissionPolicy grants actions on one entity of a domain, e.g.
// Model: platformclientv2.Domainpermissionpolicy.
// {Domain: "integrations", EntityName: "integration", ActionSet: ["view"]}.
type PermissionPolicy struct {
	Domain          string   `json:"domain"`
	EntityName      string   `json:"entityName"`
	ActionSet       []string `json:"actionSet"`
	AllowConditions bool     `json:"allowConditions"`
}

// RoleListOptions filter GET /api/v2/authorization/roles.
type RoleListOptions struct {
	PageSize   int
	PageNumber int
	Name       string // exact role name, e.g. "employee"
}

const rolesPath = "/api/v2/authorization/roles"

// ListRoles returns one page of roles, optionally only those named opts.Name.
func (s *AuthorizationService) ListRoles(ctx context.Context, opts *RoleListOptions) (*Page[Role], error) {
	q := url.Values{}
	if opts != nil {
		ListOptions{opts.PageSize, opts.PageNumber}.set(q)
		if opts.Name != "" {
			q.Set("name", opts.Name)
		}
	}
	var p Page[Role]
	if err := s.client.do(ctx, get("authorization", rolesPath, rolesPath, q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// CreateRole creates a role. Not retried after a 5xx: it could create two.
func (s *AuthorizationService) CreateRole(ctx context.Context, role *Role) (*Role, error) {
	if role == nil || role.Name == "" {
		return nil, fmt.Errorf("genesys: CreateRole: Role.Name is empty")
	}
	var out Role
	r := &request{method: http.MethodPost, area: "authorization", route: rolesPath, path: rolesPath, body: role}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// GetRole reads one role (GET /api/v2/authorization/roles/{roleId},
// AuthorizationApi.GetAuthorizationRole, permission authorization:role:view;
// Model: platformclientv2.Domainorganizationrole).
func (s *AuthorizationService) GetRole(ctx context.Context, id string) (*Role, error) {
	pid, err := pathID("role id", id)
	if err != nil {
		return nil, err
	}
	var out Role
	if err := s.client.do(ctx, get("authorization", rolesPath+"/{id}", rolesPath+"/"+pid, nil), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateRole replaces a role's name, description and permission policies
// (PUT /api/v2/authorization/roles/{roleId}, permission authorization:role:edit;
// AuthorizationApi.PutAuthorizationRole). Policies left out are removed, so
// the caller sends the whole set.
func (s *AuthorizationService) UpdateRole(ctx context.Context, id string, role *Role) (*Role, error) {
	pid, err := pathID("role id", id)
	if err != nil {
		return nil, err
	}
	if role == nil || role.Name == "" {
		return nil, fmt.Errorf("genesys: UpdateRole: Role.Name is empty")
	}
	var out Role
	r := &request{method: http.MethodPut, area: "authorization", route: rolesPath + "/{id}", path: rolesPath + "/" + pid, body: role, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Granted lists the role's permissions as domain:entity:action, from its
// policies (and its flat permissions list when Genesys sends one).
func (r *Role) Granted() []string {
	var out []string
	for _, p := range r.PermissionPolicies {
		for _, a := range p.ActionSet {
			out = append(out, p.Domain+":"+p.EntityName+":"+a)
		}
	}
	return append(out, r.Permissions...)
}

// DeleteRole removes a role.
func (s *AuthorizationService) DeleteRole(ctx context.Context, id string) error {
	pid, err := pathID("role id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "authorization", route: rolesPath + "/{id}", path: rolesPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}

// AddRoleUsers grants the role to users (PUT .../users/add with a JSON
// array of user ids) and returns the ids Genesys reports.
func (s *AuthorizationService) AddRoleUsers(ctx context.Context, roleID string, userIDs ...string) ([]string, error) {
	pid, err := pathID("role id", roleID)
	if err != nil {
		return nil, err
	}
	if len(userIDs) == 0 {
		return nil, fmt.Errorf("genesys: AddRoleUsers: no user ids")
	}
	var out []string
	r := &request{method: http.MethodPut, area: "authorization", route: rolesPath + "/{id}/users/add",
		path: rolesPath + "/" + pid + "/users/add", body: userIDs, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return out, nil
}
