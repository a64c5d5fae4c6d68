package setup_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// clientRoles are the role ids the fake's OAuth client id is granted, by
// roleDivisions ("id@division") and the deprecated roleIds.
func clientRoles(t *testing.T, g *genesystest.Server, id string) (divs []string, ids []string) {
	t.Helper()
	for _, c := range g.OAuthClients() {
		if c.ID != id {
			continue
		}
		for _, d := range c.RoleDivisions {
			divs = append(divs, d.RoleID+"@"+d.DivisionID)
		}
		return divs, c.RoleIDs
	}
	t.Fatalf("no OAuth client %s", id)
	return nil, nil
}

// hasRole: role is among the client's grants, in any division.
func hasRole(divs, ids []string, role string) bool {
	return slices.Contains(ids, role) || slices.ContainsFunc(divs, func(d string) bool { return strings.HasPrefix(d, role+"@") })
}

// Issue 18: Install gives the server role to the Client Credentials OAuth
// client (roleDivisions, keeping its other roles), and the check reads the
// client's grant: before the install the server's own calls are refused
// and the line names what the client lacks; after it they pass. Re-running
// writes nothing; Uninstall takes exactly that grant away again.
func TestInstallGivesTheServerRoleToTheClient(t *testing.T) {
	w := newWorld(t, worldOptions{genesys: []genesystest.Option{genesystest.WithEnforcedClientRoles()}})
	w.premiumApp()
	ctx := context.Background()
	admin := w.admin()
	// The client has a role of the administrator's already: it must stay.
	theirs := w.g.AddRole(genesystest.Role{Name: "Reporting", PermissionPolicies: []genesystest.PermissionPolicy{
		{Domain: "directory", EntityName: "user", ActionSet: []string{"view"}}}})
	w.g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret, Name: "SJ Server", RoleIDs: []string{theirs.ID}})

	r := w.run(admin)
	wantStatus(t, r, "genesys.conversations", setup.Fail)
	l := wantStatus(t, r, "genesys.serverGrant", setup.Warn, "SJ Server", "conversation:communication:view", "analytics:conversationDetail:view")
	if strings.Contains(l.Detail, "directory:user:view") || l.FixMsg == nil || l.FixMsg.Code != "fixServerRoleInstall" {
		t.Errorf("before the install: %+v", l)
	}

	res, err := w.install.Install(ctx, admin, adminID, "serverRole")
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Objects) != 1 || res.Objects[0].Grant == nil || res.Objects[0].Grant.Action != "granted" || res.Objects[0].Grant.Client != "SJ Server" || len(res.Warnings) != 0 {
		t.Fatalf("install: %+v, warnings %v", res.Objects, res.Warnings)
	}
	role, _ := serverRole(t, w.g)
	divs, ids := clientRoles(t, w.g, ccID)
	if !slices.Contains(divs, role.ID+"@*") || !hasRole(divs, ids, theirs.ID) || len(divs) != 2 {
		t.Errorf("client roles after install: divisions %v, ids %v; want the server role in * and %s kept", divs, ids, theirs.ID)
	}
	r = w.run(admin)
	wantStatus(t, r, "genesys.conversations", setup.Pass)
	wantStatus(t, r, "genesys.serverGrant", setup.Pass, "SJ Server", role.Name, "Reporting")

	w.g.ResetRequests()
	if res, err = w.install.Install(ctx, admin, adminID, "serverRole"); err != nil || res.Objects[0].Grant == nil || res.Objects[0].Grant.Action != "unchanged" {
		t.Fatalf("re-run: %+v %v", res, err)
	}
	if n := w.g.Requests("PUT /api/v2/oauth/clients/{clientId}"); n != 0 {
		t.Errorf("re-run wrote the client %d times", n)
	}

	// Someone took the role from the client: the line says so and points
	// at the grant, not at the role (which is complete).
	w.g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret, Name: "SJ Server", RoleIDs: []string{theirs.ID}})
	l = wantStatus(t, w.run(admin), "genesys.serverGrant", setup.Warn, "conversation:communication:view")
	if l.FixMsg == nil || l.FixMsg.Code != "fixServerGrant" {
		t.Errorf("role not given: fix %+v", l.FixMsg)
	}
	if _, err := w.install.Install(ctx, admin, adminID, "serverRole"); err != nil {
		t.Fatal(err)
	}

	res, err = w.install.Uninstall(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var got *setup.Grant
	for _, o := range res.Objects {
		if o.Kind == setup.KindServerRole {
			got = o.Grant
		}
	}
	if got == nil || got.Action != "removed" {
		t.Errorf("uninstall grant: %+v (objects %+v)", got, res.Objects)
	}
	divs, ids = clientRoles(t, w.g, ccID)
	if hasRole(divs, ids, role.ID) || !hasRole(divs, ids, theirs.ID) || len(divs) > 1 {
		t.Errorf("after uninstall the client has divisions %v, ids %v; want only %s", divs, ids, theirs.ID)
	}
	if n := w.g.Requests("PUT /api/v2/oauth/clients/{clientId}"); n < 2 {
		t.Errorf("uninstall did not write the client (%d PUTs in all)", n)
	}
}

// An administrator who may not change OAuth clients still gets the role;
// the install warns with the manual step instead of failing. A client whose
// only role is the server role keeps it until the role goes, and the
// administrator is told it has none left.
func TestServerGrantWhenTheAdminMayNot(t *testing.T) {
	w := newWorld(t, worldOptions{genesys: []genesystest.Option{genesystest.WithEnforcedPermissions()}})
	ctx := context.Background()
	limited := "a0000000-0000-4000-8000-0000000000b2"
	w.g.AddUser(genesystest.User{ID: limited, Name: "Lee Limited", Email: "lee@example.com",
		Permissions: []string{"authorization:role:view", "authorization:role:add", "authorization:role:delete", "integrations:integration:view", "oauth:client:view"}})
	lee := w.gc.WithToken(w.g.UserToken(limited))
	res, err := w.install.Install(ctx, lee, limited, "serverRole")
	if err != nil {
		t.Fatal(err)
	}
	if res.Objects[0].Action != "created" || res.Objects[0].Grant != nil || len(res.WarningMsgs) != 1 || res.WarningMsgs[0].Code != "warn.serverGrantForbidden" {
		t.Fatalf("install as Lee: %+v, warnings %v", res.Objects, res.Warnings)
	}
	if divs, ids := clientRoles(t, w.g, ccID); len(divs)+len(ids) != 0 {
		t.Errorf("the client got %v %v without an edit permission", divs, ids)
	}

	// Ada may: the grant is made; it is the client's only role.
	if _, err := w.install.Install(ctx, w.admin(), adminID, "serverRole"); err != nil {
		t.Fatal(err)
	}
	res, err = w.install.Uninstall(ctx, w.admin())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(res.WarningMsgs, func(m setup.Msg) bool { return m.Code == "warn.serverClientNoRoleLeft" }) {
		t.Errorf("uninstall of the only role: warnings %v", res.Warnings)
	}
}

// What the server's notification topics require is read from Genesys's
// availabletopics (requiresPermissions), not assumed: a requirement there
// that the server's own calls do not need ends up in the role, and the
// check names it when the client lacks it.
func TestServerRoleHasWhatItsTopicsRequire(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ctx := context.Background()
	admin := w.admin()
	if _, err := w.install.Install(ctx, admin, adminID, "serverRole"); err != nil {
		t.Fatal(err)
	}
	wantStatus(t, w.run(admin), "genesys.serverGrant", setup.Pass)

	const extra = "analytics:queueObservation:view"
	w.g.SetTopicPermissions(setup.ServerTopics[0].Topic, "routing:queue:view", extra)
	wantStatus(t, w.run(admin), "genesys.serverGrant", setup.Warn, extra)
	wantStatus(t, w.run(admin), "genesys.serverRole", setup.Warn, extra)
	res, err := w.install.Install(ctx, admin, adminID, "serverRole")
	if err != nil || res.Objects[0].Action != "updated" {
		t.Fatalf("repair: %+v %v", res, err)
	}
	if _, perms := serverRole(t, w.g); !slices.Contains(perms, extra) {
		t.Errorf("the role lacks %s, which the topic requires: %v", extra, perms)
	}
	wantStatus(t, w.run(admin), "genesys.serverGrant", setup.Pass)
}

// From `check` (no administrator), the least-privilege client may not read
// OAuth clients: the grant is not checked, which is no warning of its own.
func TestServerGrantNotCheckedWithoutOAuthView(t *testing.T) {
	w := newWorld(t, worldOptions{genesys: []genesystest.Option{genesystest.WithEnforcedClientRoles()}})
	ctx := context.Background()
	// The client may find the apps and roles, not read OAuth clients.
	reader := w.g.AddRole(genesystest.Role{Name: "Reader", PermissionPolicies: []genesystest.PermissionPolicy{
		{Domain: "integrations", EntityName: "integration", ActionSet: []string{"view"}},
		{Domain: "authorization", EntityName: "role", ActionSet: []string{"view"}}}})
	w.g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret, Name: "SJ Server", RoleIDs: []string{reader.ID}})
	if _, err := w.install.Install(ctx, w.admin(), adminID, "serverRole"); err != nil {
		t.Fatal(err)
	}
	r := w.run(nil)
	wantStatus(t, r, "genesys.conversations", setup.Pass)
	wantStatus(t, r, "genesys.serverRole", setup.Pass)
	l := lineByID(t, r, "genesys.serverGrant")
	if l.Status != setup.Skip || !strings.Contains(l.Detail, "the OAuth client could not be read") {
		t.Errorf("serverGrant from check = %s (%s), want skip: not readable", l.Status, l.Detail)
	}
}
