package setup_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

func actions(objs []setup.Object) map[string]string {
	m := map[string]string{}
	for _, o := range objs {
		m[o.Kind] = o.Action
	}
	return m
}

func TestInstallCreatesRecordsAndReRunChangesNothing(t *testing.T) {
	w := newWorld(t, worldOptions{})
	premium := w.premiumApp()
	ctx := context.Background()
	admin := w.admin()
	before := len(w.g.Integrations())

	res, err := w.install.Install(ctx, admin, adminID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range setup.Kinds {
		if a := actions(res.Objects)[k]; a != "created" {
			t.Errorf("%s: %s, want created", k, a)
		}
	}
	if !res.Recorded || res.PremiumApp == nil || res.PremiumApp.ID != premium {
		t.Fatalf("not recorded: %+v", res)
	}

	// What the fake Genesys now holds.
	ints := w.g.Integrations()
	if len(ints) != before+2 {
		t.Fatalf("%d integrations, want %d", len(ints), before+2)
	}
	var widget, sup, pa genesystest.Integration
	for _, in := range ints {
		switch in.TypeID {
		case "embedded-client-app-interaction-widget":
			widget = in
		case "embedded-client-app":
			sup = in
		case premiumTy:
			pa = in
		}
	}
	groups := w.g.Groups()
	if len(groups) != 1 || groups[0].Name != "ServiceJourney Connector - Agents" || !slices.Contains(groups[0].MemberIDs, adminID) {
		t.Fatalf("groups = %+v", groups)
	}
	wantURL := w.pub.URL + "/dcm-connect-docs/index.html?gcConversationId={{gcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}&gcLangTag={{gcLangTag}}&pcUsePopupAuth={{pcUsePopupAuth}}"
	p := widget.Config.Properties
	if widget.Name != "ServiceJourney Connector - Agent" || p["url"] != wantURL || p["displayType"] != "widget" ||
		p["communicationTypeFilter"] != "call, chat, email" || widget.IntendedState != "ENABLED" {
		t.Fatalf("widget = %+v", widget)
	}
	if g, _ := p["groups"].([]any); len(g) != 1 || g[0] != groups[0].ID {
		t.Errorf("widget groups = %v, want [%s]", p["groups"], groups[0].ID)
	}
	if !strings.HasPrefix(sup.Config.Properties["url"].(string), w.pub.URL+"/dcm-connect-docs/supervisor.html?gcHostOrigin={{gcHostOrigin}}") ||
		sup.Config.Properties["displayType"] != "standalone" || sup.IntendedState != "ENABLED" {
		t.Errorf("supervisor app = %+v", sup)
	}
	var role genesystest.Role
	for _, r := range w.g.Roles() {
		if r.Name == setup.DefaultPrefix+"Agent" {
			role = r
		}
	}
	if role.ID == "" || !slices.Contains(role.UserIDs, adminID) {
		t.Errorf("role = %+v", role)
	}
	var notes map[string]setup.Record
	if err := json.Unmarshal([]byte(pa.Config.Notes), &notes); err != nil || len(pa.Config.Notes) > 500 {
		t.Fatalf("notes %q: %v", pa.Config.Notes, err)
	}
	rec := notes["dcmconnect"]
	if rec.IDs["interactionWidget"] != widget.ID || rec.IDs["supervisorApp"] != sup.ID || rec.IDs["group"] != groups[0].ID || rec.IDs["role"] != role.ID || rec.By != adminID {
		t.Errorf("record = %+v", rec)
	}
	if pa.Config.Properties["url"] != w.install.WizardURL() {
		t.Errorf("recording lost the Premium App's URL: %v", pa.Config.Properties)
	}

	// Again: nothing new, nothing rewritten.
	w.g.ResetRequests()
	res, err = w.install.Install(ctx, admin, adminID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range setup.Kinds {
		if a := actions(res.Objects)[k]; a != "unchanged" {
			t.Errorf("re-run %s: %s, want unchanged", k, a)
		}
	}
	for _, route := range []string{"POST /api/v2/integrations", "POST /api/v2/groups", "POST /api/v2/authorization/roles", "PUT /api/v2/integrations/{id}/config/current"} {
		if n := w.g.Requests(route); n != 0 {
			t.Errorf("re-run made %d %s", n, route)
		}
	}
	if len(w.g.Integrations()) != before+2 || len(w.g.Groups()) != 1 {
		t.Errorf("re-run duplicated something")
	}

	// The checker now sees the install.
	r := w.run(admin)
	wantStatus(t, r, "genesys.installed", setup.Pass, "interaction widget")
	wantStatus(t, r, "genesys.serverRole", setup.Pass, "ServiceJourney Connector - Server")
	if r.Installed == nil || len(r.Installed.Objects) != 5 || r.Installed.Recorded == nil {
		t.Errorf("report.installed = %+v", r.Installed)
	}
	wantStatus(t, r, "genesys.premiumApp", setup.Pass, "install recorded")
}

func TestInstallRepairsAChangedApp(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.premiumApp()
	ctx := context.Background()
	admin := w.admin()
	if _, err := w.install.Install(ctx, admin, adminID); err != nil {
		t.Fatal(err)
	}
	st, _ := w.install.Find(ctx, admin)
	id := st.Object(setup.KindWidget).ID
	cfg, _ := admin.Integrations.GetConfig(ctx, id)
	cfg.Properties["url"] = "https://old.example.com/dcm-connect-docs/index.html"
	if _, err := admin.Integrations.PutConfig(ctx, id, cfg); err != nil {
		t.Fatal(err)
	}
	admin.Integrations.Patch(ctx, st.Object(setup.KindSupervisor).ID, &genesys.Integration{IntendedState: "DISABLED"})

	wantStatus(t, w.run(admin), "genesys.installed", setup.Fail, "old.example.com", "disabled", "run Install again")
	res, err := w.install.Install(ctx, admin, adminID)
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(res.Objects); a[setup.KindWidget] != "updated" || a[setup.KindSupervisor] != "updated" || a[setup.KindGroup] != "unchanged" {
		t.Fatalf("actions = %v", a)
	}
	wantStatus(t, w.run(admin), "genesys.installed", setup.Pass)
}

func TestInstallPartByPartEqualsWholeAndNeedsGroupFirst(t *testing.T) {
	w := newWorld(t, worldOptions{})
	ctx := context.Background()
	admin := w.admin()
	if _, err := w.install.Install(ctx, admin, adminID, "widget"); err == nil || !strings.Contains(err.Error(), "group") {
		t.Fatalf("widget before group: %v", err)
	}
	if _, err := w.install.Install(ctx, admin, adminID, "frobnicate"); err == nil || !strings.Contains(err.Error(), "group, role, serverRole, widget") {
		t.Fatalf("unknown part: %v", err)
	}
	for _, p := range w.install.Parts() {
		res, err := w.install.Install(ctx, admin, adminID, p)
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if p == "record" {
			// No Premium App here: the install stands, unrecorded, with a warning.
			if res.Recorded || len(res.Warnings) != 1 {
				t.Errorf("record without a Premium App: %+v", res)
			}
		} else if len(res.Objects) != 1 || res.Objects[0].Action != "created" {
			t.Errorf("%s: %+v", p, res.Objects)
		}
	}
	st, err := w.install.Find(ctx, admin)
	if err != nil || len(st.Objects) != 5 {
		t.Fatalf("found %+v, %v", st, err)
	}
}

func TestUninstallRemovesExactlyWhatInstallMade(t *testing.T) {
	w := newWorld(t, worldOptions{})
	premium := w.premiumApp()
	ctx := context.Background()
	admin := w.admin()
	// Someone else's look-alikes, which must survive.
	other, _ := admin.Integrations.Create(ctx, "ServiceJourney Connector - Agent (copy)", "embedded-client-app-interaction-widget")
	otherGroup, _ := admin.Groups.Create(ctx, &genesys.Group{Name: "ServiceJourney Connector - Agents old"})
	if _, err := w.install.Install(ctx, admin, adminID); err != nil {
		t.Fatal(err)
	}
	// An installed app an administrator renamed is theirs now.
	st, _ := w.install.Find(ctx, admin)
	supID := st.Object(setup.KindSupervisor).ID
	cfg, _ := admin.Integrations.GetConfig(ctx, supID)
	cfg.Name = "Our own supervisor board"
	if _, err := admin.Integrations.PutConfig(ctx, supID, cfg); err != nil {
		t.Fatal(err)
	}

	res, err := w.install.Uninstall(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	a := actions(res.Objects)
	if a[setup.KindWidget] != "deleted" || a[setup.KindGroup] != "deleted" || a[setup.KindRole] != "deleted" || a[setup.KindSupervisor] != "kept" {
		t.Fatalf("actions = %v (%+v)", a, res.Objects)
	}
	var left []string
	for _, in := range w.g.Integrations() {
		left = append(left, in.ID)
	}
	slices.Sort(left)
	want := []string{premium, other.ID, supID}
	slices.Sort(want)
	if !slices.Equal(left, want) {
		t.Errorf("integrations left %v, want %v", left, want)
	}
	if g := w.g.Groups(); len(g) != 1 || g[0].ID != otherGroup.ID {
		t.Errorf("groups left %+v", g)
	}
	for _, r := range w.g.Roles() {
		if strings.HasPrefix(r.Name, setup.DefaultPrefix) {
			t.Errorf("role left: %+v", r)
		}
	}
	pa, _ := admin.Integrations.GetConfig(ctx, premium)
	if pa.Notes != "" || !res.Recorded {
		t.Errorf("record not cleared: %q", pa.Notes)
	}
	// Nothing left of ours: a second uninstall does nothing.
	res, err = w.install.Uninstall(ctx, admin)
	if err != nil || len(res.Objects) != 0 {
		t.Errorf("second uninstall: %+v %v", res, err)
	}
}

func TestInstallWithoutPermissionFailsTyped(t *testing.T) {
	w := newWorld(t, worldOptions{genesys: []genesystest.Option{genesystest.WithEnforcedPermissions()}})
	agent := w.gc.WithToken(w.g.UserToken(agentID))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := w.install.Install(ctx, agent, agentID)
	if !errors.Is(err, genesys.ErrForbidden) {
		t.Fatalf("err = %v, want forbidden", err)
	}
	if len(w.g.Groups()) != 0 {
		t.Errorf("something was created: %+v", w.g.Groups())
	}
}
