package genesystest

import (
	"net/http"
	"slices"
	"strings"
)

// wireRole is DomainOrganizationRole (what the wizard's role module uses,
// docs/upstreams.md).
type wireRole struct {
	ID                 string             `json:"id"`
	Name               string             `json:"name"`
	Description        string             `json:"description,omitempty"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies"`
	UserCount          int                `json:"userCount"`
	RoleNeedsUpdate    bool               `json:"roleNeedsUpdate"`
	Base               bool               `json:"base"`
	Default            bool               `json:"default"`
	SelfURI            string             `json:"selfUri"`
}

// roleWire renders a role; the caller holds s.mu.
func (s *Server) roleWire(r *Role) wireRole {
	v := s.roleView(r)
	wr := wireRole{
		ID: r.ID, Name: r.Name, Description: r.Description, Permissions: []string{},
		PermissionPolicies: slices.Clone(r.PermissionPolicies), UserCount: len(v.UserIDs),
		Default: r.Default, SelfURI: "/api/v2/authorization/roles/" + r.ID,
	}
	if wr.PermissionPolicies == nil {
		wr.PermissionPolicies = []PermissionPolicy{}
	}
	for _, p := range r.PermissionPolicies {
		for _, a := range p.ActionSet {
			wr.Permissions = append(wr.Permissions, p.Domain+":"+p.EntityName+":"+a)
		}
	}
	return wr
}

// GET /api/v2/authorization/roles[?name=]. The name filter is matched
// exactly, case-insensitively [UNVERIFIED: the wizard looks up "employee"].
func (s *Server) handleListRoles(w http.ResponseWriter, r *http.Request) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	name := r.URL.Query().Get("name")
	s.mu.Lock()
	var all []wireRole
	for _, role := range s.data.roles.list() {
		if name == "" || strings.EqualFold(role.Name, name) {
			all = append(all, s.roleWire(role))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

func (s *Server) handleGetRole(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("roleId")
	s.mu.Lock()
	defer s.mu.Unlock()
	role, ok := s.data.roles.get(id)
	if !ok {
		notFound(w, "role", id)
		return
	}
	writeJSON(w, http.StatusOK, s.roleWire(role))
}

// POST /api/v2/authorization/roles {name, description, permissionPolicies}.
func (s *Server) handleCreateRole(w http.ResponseWriter, r *http.Request) {
	req, ok := readRole(w, r, true)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.roleNameTaken(req.Name, "") {
		// Status for a duplicate role name is not in docs/upstreams.md [UNVERIFIED].
		conflict(w, "a role named "+req.Name+" already exists")
		return
	}
	role := &Role{ID: newUUID(), Name: req.Name, Description: req.Description, PermissionPolicies: req.PermissionPolicies}
	s.data.roles.put(role.ID, role)
	writeJSON(w, http.StatusOK, s.roleWire(role))
}

// PUT /api/v2/authorization/roles/{id} (Domainorganizationroleupdate): the
// name, description and policies given replace the role's; its users stay.
func (s *Server) handleUpdateRole(w http.ResponseWriter, r *http.Request) {
	req, ok := readRole(w, r, false)
	if !ok {
		return
	}
	id := r.PathValue("roleId")
	s.mu.Lock()
	defer s.mu.Unlock()
	role, ok := s.data.roles.get(id)
	if !ok {
		notFound(w, "role", id)
		return
	}
	if s.roleNameTaken(req.Name, id) {
		conflict(w, "a role named "+req.Name+" already exists")
		return
	}
	role.Name, role.Description, role.PermissionPolicies = req.Name, req.Description, slices.Clone(req.PermissionPolicies)
	writeJSON(w, http.StatusOK, s.roleWire(role))
}

// roleRequest is the body of a role create (Domainorganizationrolecreate)
// or update (Domainorganizationroleupdate).
type roleRequest struct {
	Name               string             `json:"name"`
	Description        string             `json:"description"`
	Permissions        []string           `json:"permissions"`
	PermissionPolicies []PermissionPolicy `json:"permissionPolicies"`
}

// readRole decodes and checks a role body, answering 400 itself when it is
// bad. Only a create may name permissions as "domain:entity:action"; they
// join its policies.
func readRole(w http.ResponseWriter, r *http.Request, permissions bool) (roleRequest, bool) {
	var req roleRequest
	if !decodeJSON(w, r, &req) {
		return req, false
	}
	if strings.TrimSpace(req.Name) == "" {
		badRequest(w, "name is required")
		return req, false
	}
	if !permissions {
		req.Permissions = nil
	}
	for _, p := range req.Permissions {
		parts := strings.Split(p, ":")
		if len(parts) != 3 {
			badRequest(w, "permissions entries must look like domain:entity:action; got "+p)
			return req, false
		}
		req.PermissionPolicies = append(req.PermissionPolicies, PermissionPolicy{Domain: parts[0], EntityName: parts[1], ActionSet: []string{parts[2]}})
	}
	for i, p := range req.PermissionPolicies {
		if p.Domain == "" || p.EntityName == "" || len(p.ActionSet) == 0 {
			badRequest(w, "permissionPolicies["+itoa(i)+"] needs domain, entityName and actionSet")
			return req, false
		}
	}
	return req, true
}

// roleNameTaken reports whether a role other than except has the name
// (compared without case). The caller holds s.mu.
func (s *Server) roleNameTaken(name, except string) bool {
	for _, other := range s.data.roles.list() {
		if other.ID != except && strings.EqualFold(other.Name, name) {
			return true
		}
	}
	return false
}

// DELETE /api/v2/authorization/roles/{id} also takes the role from its users
// and OAuth clients [UNVERIFIED: whether Genesys refuses a role in use].
func (s *Server) handleDeleteRole(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("roleId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.data.roles.del(id) {
		notFound(w, "role", id)
		return
	}
	for _, u := range s.data.users.list() {
		u.Roles = slices.DeleteFunc(u.Roles, func(x string) bool { return x == id })
	}
	for _, c := range s.data.clients.list() {
		c.RoleIDs = slices.DeleteFunc(c.RoleIDs, func(x string) bool { return x == id })
		c.RoleDivisions = slices.DeleteFunc(c.RoleDivisions, func(g RoleDivision) bool { return g.RoleID == id })
	}
	w.WriteHeader(http.StatusNoContent)
}

// PUT /api/v2/authorization/roles/{id}/users/add ["userId", ...].
func (s *Server) handleRoleUsersAdd(w http.ResponseWriter, r *http.Request) {
	var ids []string
	if !decodeJSON(w, r, &ids) {
		return
	}
	id := r.PathValue("roleId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data.roles.get(id); !ok {
		notFound(w, "role", id)
		return
	}
	for _, uid := range ids {
		if _, ok := s.data.users.get(uid); !ok {
			badRequest(w, "user "+uid+" does not exist")
			return
		}
	}
	for _, uid := range ids {
		u, _ := s.data.users.get(uid)
		if !containsString(u.Roles, id) {
			u.Roles = append(u.Roles, id)
		}
	}
	writeJSON(w, http.StatusOK, ids)
}
