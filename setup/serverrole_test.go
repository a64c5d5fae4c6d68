package setup_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// serverRole returns the fake's server role and its permissions.
func serverRole(t *testing.T, g *genesystest.Server) (genesystest.Role, []string) {
	t.Helper()
	var found []genesystest.Role
	for _, r := range g.Roles() {
		if r.Name == setup.DefaultPrefix+"Server" {
			found = append(found, r)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d server roles", len(found))
	}
	var perms []string
	for _, p := range found[0].PermissionPolicies {
		for _, a := range p.ActionSet {
			perms = append(perms, p.Domain+":"+p.EntityName+":"+a)
		}
	}
	return found[0], perms
}

// Issue 18: the installer makes a least-privilege role for the server's
// Client Credentials client instead of Master Admin: exactly
// setup.ServerPermissions, granted to nobody (it is for the OAuth client),
// idempotent, repaired when a permission was taken away (keeping what an
// administrator added), checked with the missing permissions named, and
// removed by uninstall.
func TestInstallMakesTheServerRole(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.premiumApp()
	ctx := context.Background()
	admin := w.admin()
	res, err := w.install.Install(ctx, admin, adminID, "serverRole")
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(res.Objects)[setup.KindServerRole]; a != "created" || len(res.WarningMsgs) != 0 {
		t.Fatalf("created? %v, warnings %v", res.Objects, res.Warnings)
	}
	role, perms := serverRole(t, w.g)
	var want []string
	for _, p := range setup.ServerPermissions {
		want = append(want, p.Permission)
	}
	if !slices.Equal(slices.Sorted(slices.Values(perms)), slices.Sorted(slices.Values(want))) {
		t.Errorf("server role permissions %v, want %v", perms, want)
	}
	if len(role.UserIDs) != 0 {
		t.Errorf("the server role was granted to users %v; it is for the OAuth client", role.UserIDs)
	}
	for _, p := range perms {
		if strings.Contains(p, "*") || strings.HasPrefix(p, "integrations:") || strings.HasPrefix(p, "authorization:") || strings.HasPrefix(p, "oauth:") {
			t.Errorf("the server role holds %s, which the server does not use", p)
		}
	}

	// Again: unchanged, nothing written.
	w.g.ResetRequests()
	if res, err = w.install.Install(ctx, admin, adminID, "serverRole"); err != nil || actions(res.Objects)[setup.KindServerRole] != "unchanged" {
		t.Fatalf("re-run: %v %v", res, err)
	}
	for _, route := range []string{"POST /api/v2/authorization/roles", "PUT /api/v2/authorization/roles/{roleId}", "PUT /api/v2/oauth/clients/{clientId}"} {
		if n := w.g.Requests(route); n != 0 {
			t.Errorf("re-run made %d %s", n, route)
		}
	}

	// Someone took two permissions away and added one of their own: the
	// check names the missing two, Install puts them back and keeps theirs.
	cut := slices.DeleteFunc(slices.Clone(role.PermissionPolicies), func(p genesystest.PermissionPolicy) bool {
		return p.EntityName == "summary" || p.EntityName == "wrapupCode"
	})
	cut = append(cut, genesystest.PermissionPolicy{Domain: "quality", EntityName: "evaluation", ActionSet: []string{"view"}})
	role.PermissionPolicies = cut
	w.g.AddRole(role)
	l := wantStatus(t, w.run(admin), "genesys.serverRole", setup.Warn, "routing:wrapupCode:view", "conversation:summary:view")
	if l.DetailMsg.Code != "serverRoleLacks" || l.FixMsg == nil || l.FixMsg.Code != "fixServerRoleUpdate" {
		t.Errorf("line by code: %+v", l)
	}
	if res, err = w.install.Install(ctx, admin, adminID, "serverRole"); err != nil || actions(res.Objects)[setup.KindServerRole] != "updated" {
		t.Fatalf("repair: %v %v", res, err)
	}
	_, perms = serverRole(t, w.g)
	for _, p := range append(want, "quality:evaluation:view") {
		if !slices.Contains(perms, p) {
			t.Errorf("after the repair the role lacks %s (has %v)", p, perms)
		}
	}
	wantStatus(t, w.run(admin), "genesys.serverRole", setup.Pass)

	// Uninstall removes it.
	if _, err := w.install.Uninstall(ctx, admin); err != nil {
		t.Fatal(err)
	}
	for _, r := range w.g.Roles() {
		if strings.HasPrefix(r.Name, setup.DefaultPrefix) {
			t.Errorf("left after uninstall: %s", r.Name)
		}
	}
	wantStatus(t, w.run(admin), "genesys.serverRole", setup.Warn, "there is no role")
}
