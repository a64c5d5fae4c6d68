package genesystest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestRolesAsTheWizardUsesThem(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	u := s.AddUser(User{Name: "Installer"})
	m := api(t, s, "GET", "/api/v2/authorization/roles?name=employee", tok, nil).json(t)
	if es := m["entities"].([]any); len(es) != 1 || es[0].(map[string]any)["name"] != "employee" {
		t.Fatalf("roles?name=employee %v", m)
	}
	body := map[string]any{"name": "DCM_Connector", "description": "d", "permissionPolicies": []map[string]any{
		{"domain": "integrations", "entityName": "integration", "actionSet": []string{"view", "edit"}, "allowConditions": false}}}
	r := api(t, s, "POST", "/api/v2/authorization/roles", tok, body)
	wantStatus(t, r, http.StatusOK)
	roleID := r.json(t)["id"].(string)
	wantAPIError(t, api(t, s, "POST", "/api/v2/authorization/roles", tok, body), http.StatusConflict, conflictCode)

	r = api(t, s, "PUT", "/api/v2/authorization/roles/"+roleID+"/users/add", tok, []string{u.ID})
	wantStatus(t, r, http.StatusOK)
	me := api(t, s, "GET", "/api/v2/users/me?expand=authorization", s.UserToken(u.ID), nil).json(t)
	auth := me["authorization"].(map[string]any)
	if len(auth["roles"].([]any)) != 1 || !strings.Contains(strings.Join(toStrings(auth["permissions"]), ","), "integrations:integration:edit") {
		t.Fatalf("installer authorization %v", auth)
	}
	var found bool
	for _, role := range s.Roles() {
		found = found || (role.ID == roleID && len(role.UserIDs) == 1 && role.UserIDs[0] == u.ID)
	}
	if !found {
		t.Fatalf("Roles() = %+v", s.Roles())
	}
	wantAPIError(t, api(t, s, "PUT", "/api/v2/authorization/roles/"+roleID+"/users/add", tok, []string{"ghost"}), 400, "bad.request")
	wantStatus(t, api(t, s, "DELETE", "/api/v2/authorization/roles/"+roleID, tok, nil), http.StatusNoContent)
	if us := s.Users(); len(us[0].Roles) != 0 {
		t.Fatalf("deleted role still held: %v", us[0].Roles)
	}
}

func toStrings(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

func TestGroupsAsTheWizardUsesThem(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	u := s.AddUser(User{Name: "Installer"})
	r := api(t, s, "POST", "/api/v2/groups", tok, map[string]any{"name": "DCM_Agents", "type": "official", "visibility": "public", "rulesVisible": true})
	wantStatus(t, r, http.StatusOK)
	g := r.json(t)
	gid := g["id"].(string)
	if g["version"] != float64(1) {
		t.Fatalf("group %v", g)
	}
	api(t, s, "POST", "/api/v2/groups", tok, map[string]any{"name": "Other"})
	search := map[string]any{"query": []map[string]any{{"fields": []string{"name"}, "value": "dcm_", "type": "STARTS_WITH"}}}
	m := api(t, s, "POST", "/api/v2/groups/search", tok, search).json(t)
	if m["total"] != float64(1) || m["results"].([]any)[0].(map[string]any)["id"] != gid {
		t.Fatalf("group search %v", m)
	}
	members := "/api/v2/groups/" + gid + "/members"
	wantStatus(t, api(t, s, "POST", members, tok, map[string]any{"memberIds": []string{u.ID}, "version": 1}), http.StatusAccepted)
	wantAPIError(t, api(t, s, "POST", members, tok, map[string]any{"memberIds": []string{u.ID}, "version": 1}), http.StatusConflict, conflictCode)
	if gs := s.Groups(); len(gs[0].MemberIDs) != 1 || gs[0].Version != 2 {
		t.Fatalf("Groups() = %+v", gs)
	}
	wantStatus(t, api(t, s, "DELETE", "/api/v2/groups/"+gid, tok, nil), http.StatusNoContent)
	wantAPIError(t, api(t, s, "GET", "/api/v2/groups/"+gid, tok, nil), 404, "not.found")
}

func TestOAuthClientsAsTheWizardUsesThem(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	employee := s.Roles()[0].ID
	create := map[string]any{"name": "DCM background", "authorizedGrantType": "CLIENT-CREDENTIALS", "accessTokenValiditySeconds": 86400}
	m := wantAPIError(t, api(t, s, "POST", "/api/v2/oauth/clients", tok, create), 400, "bad.request")
	if !strings.Contains(m["message"].(string), "roleIds") {
		t.Fatalf("message does not name roleIds: %v", m["message"])
	}
	create["roleIds"] = []string{employee}
	r := api(t, s, "POST", "/api/v2/oauth/clients", tok, create)
	wantStatus(t, r, http.StatusOK)
	c := r.json(t)
	id, secret := c["id"].(string), c["secret"].(string)
	if secret == "" || c["state"] != "active" {
		t.Fatalf("created client %v", c)
	}
	got := api(t, s, "GET", "/api/v2/oauth/clients/"+id, tok, nil)
	if strings.Contains(string(got.body), secret) || got.json(t)["secret"] != nil {
		t.Fatal("GET shows the secret")
	}
	if list := api(t, s, "GET", "/api/v2/oauth/clients", tok, nil); strings.Contains(string(list.body), secret) {
		t.Fatal("listing shows the secret")
	}
	// The new client works at the token endpoint until it is made inactive.
	clientToken(t, s, id, secret)
	create["state"] = "inactive"
	wantStatus(t, api(t, s, "PUT", "/api/v2/oauth/clients/"+id, tok, create), http.StatusOK)
	r = postForm(t, s, "/oauth/token", id, secret, url.Values{"grant_type": {"client_credentials"}})
	if r.status != http.StatusUnauthorized || r.json(t)["error"] != "invalid_client" {
		t.Fatalf("inactive client token: %d %s", r.status, r.body)
	}
	wantStatus(t, api(t, s, "DELETE", "/api/v2/oauth/clients/"+id, tok, nil), http.StatusNoContent)
	wantAPIError(t, api(t, s, "GET", "/api/v2/oauth/clients/"+id, tok, nil), 404, "not.found")

	code := map[string]any{"name": "DCM pages", "authorizedGrantType": "CODE", "scope": []string{"user-basic-info"}}
	wantAPIError(t, api(t, s, "POST", "/api/v2/oauth/clients", tok, code), 400, "bad.request")
	code["registeredRedirectUri"] = []string{"http://127.0.0.1:9/cb"}
	wantStatus(t, api(t, s, "POST", "/api/v2/oauth/clients", tok, code), http.StatusOK)
	if n := len(s.OAuthClients()); n != 2 {
		t.Fatalf("OAuthClients() has %d clients, want 2 (seeded + CODE)", n)
	}
}

func TestEnforcedPermissions(t *testing.T) {
	s := newFake(t, WithEnforcedPermissions())
	cc := seededClient(t, s)
	plain := s.AddUser(User{Name: "Agent"})
	admin := s.AddUser(User{Name: "Admin", Permissions: []string{"integrations:*:*"}})
	body := map[string]any{"integrationType": map[string]string{"id": "embedded-client-app"}}
	m := wantAPIError(t, api(t, s, "POST", "/api/v2/integrations", s.UserToken(plain.ID), body), http.StatusForbidden, "missing.permissions")
	if !strings.Contains(m["message"].(string), "integrations:integration:add") {
		t.Fatalf("message does not name the permission: %v", m["message"])
	}
	wantStatus(t, api(t, s, "POST", "/api/v2/integrations", s.UserToken(admin.ID), body), http.StatusOK)
	wantStatus(t, api(t, s, "GET", "/api/v2/integrations", cc, nil), http.StatusOK)
	// users/me needs no permission.
	wantStatus(t, api(t, s, "GET", "/api/v2/users/me", s.UserToken(plain.ID), nil), http.StatusOK)
}

// A client-credentials client acts with the roles granted to it
// (roleDivisions, and the deprecated roleIds in the home division) when
// WithEnforcedClientRoles is on; a PUT with roleDivisions changes them, a
// division that does not exist is refused by name, and deleting a role
// takes it from the clients.
func TestClientRoleDivisionsGrantPermissions(t *testing.T) {
	s := newFake(t, WithEnforcedClientRoles())
	admin := s.UserToken(s.AddUser(User{Name: "Ada", Permissions: []string{"*:*:*"}}).ID)
	c := s.AddClient(Client{ID: "srv", Secret: "srv-secret", Name: "Server"})
	tok := clientToken(t, s, c.ID, c.Secret)
	wantAPIError(t, api(t, s, "GET", "/api/v2/routing/queues", tok, nil), http.StatusForbidden, "missing.permissions")

	role := s.AddRole(Role{Name: "Server role", PermissionPolicies: []PermissionPolicy{{Domain: "routing", EntityName: "queue", ActionSet: []string{"view"}}}})
	put := func(divs []map[string]string) reply {
		return api(t, s, "PUT", "/api/v2/oauth/clients/srv", admin, map[string]any{"name": "Server",
			"authorizedGrantType": GrantClientCredentials, "roleDivisions": divs})
	}
	wantAPIError(t, put([]map[string]string{{"roleId": role.ID, "divisionId": "nowhere"}}), http.StatusBadRequest, "bad.request")
	wantStatus(t, put([]map[string]string{{"roleId": role.ID, "divisionId": "*"}}), http.StatusOK)
	got := api(t, s, "GET", "/api/v2/oauth/clients/srv", admin, nil).json(t)
	divs, _ := got["roleDivisions"].([]any)
	if len(divs) != 1 || divs[0].(map[string]any)["roleId"] != role.ID || divs[0].(map[string]any)["divisionId"] != "*" {
		t.Fatalf("roleDivisions = %v", got["roleDivisions"])
	}
	if ids := toStrings(got["roleIds"]); len(ids) != 1 || ids[0] != role.ID {
		t.Errorf("roleIds = %v", ids)
	}
	wantStatus(t, api(t, s, "GET", "/api/v2/routing/queues", tok, nil), http.StatusOK)

	wantStatus(t, api(t, s, "DELETE", "/api/v2/authorization/roles/"+role.ID, admin, nil), http.StatusNoContent)
	wantAPIError(t, api(t, s, "GET", "/api/v2/routing/queues", tok, nil), http.StatusForbidden, "missing.permissions")
}
