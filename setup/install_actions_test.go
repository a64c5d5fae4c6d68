package setup_test

import (
	"context"
	"strings"
	"testing"

	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// actionsState is what the fake Genesys holds of the data-action install.
type actionsState struct {
	integrations []genesystest.Integration
	credentials  []genesystest.Credential
	actions      []genesystest.Action
}

func dataActionsState(g *genesystest.Server) actionsState {
	var st actionsState
	for _, in := range g.Integrations() {
		if in.TypeID == genesystest.CustomRestActions {
			st.integrations = append(st.integrations, in)
		}
	}
	st.credentials = g.Credentials()
	st.actions = g.Actions()
	return st
}

func objectsOf(objs []setup.Object, kind string) []setup.Object {
	var out []setup.Object
	for _, o := range objs {
		if o.Kind == kind {
			out = append(out, o)
		}
	}
	return out
}

// The installer makes the custom-rest-actions integration, its Basic
// credential and config, enables it and publishes each action; a re-run
// changes nothing; `check` runs each action's test through Genesys, which
// calls our endpoint; an action changed in Genesys is put back under the
// same id; a new password is sent again; uninstall removes it all.
func TestDataActionsInstallReRunCheckAndUninstall(t *testing.T) {
	w := newWorld(t, worldOptions{actions: true})
	ctx := context.Background()
	admin := w.admin()
	if !strings.Contains(strings.Join(w.install.Parts(), ","), "supervisor,actions,record") {
		t.Fatalf("parts %v lack actions before record", w.install.Parts())
	}

	res, err := w.install.Install(ctx, admin, adminID)
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(res.Objects); a[setup.KindDataActions] != "created" || a[setup.KindCredential] != "created" {
		t.Fatalf("first install: %+v", res.Objects)
	}
	if acts := objectsOf(res.Objects, setup.KindDataAction); len(acts) != 3 || acts[0].Action != "created" || acts[1].Action != "created" || acts[2].Action != "created" {
		t.Fatalf("actions: %+v", acts)
	}
	st := dataActionsState(w.g)
	if len(st.integrations) != 1 || len(st.credentials) != 1 || len(st.actions) != 3 {
		t.Fatalf("fake holds %d integrations, %d credentials, %d actions; want 1, 1, 3", len(st.integrations), len(st.credentials), len(st.actions))
	}
	in, cred := st.integrations[0], st.credentials[0]
	if in.Name != "ServiceJourney Connector - Data Actions" || in.IntendedState != "ENABLED" {
		t.Errorf("integration %+v", in)
	}
	if ref, _ := in.Config.Credentials["basicAuth"].(map[string]any); ref["id"] != cred.ID {
		t.Errorf("config credentials %v do not name credential %s", in.Config.Credentials, cred.ID)
	}
	if cred.Type != "basicAuth" || cred.Fields["userName"] != actionUser || cred.Fields["password"] != actionPass {
		t.Errorf("credential %s %v", cred.Type, cred.Fields)
	}
	if strings.Contains(in.Config.Notes, actionPass) {
		t.Error("the integration's notes hold the password")
	}
	urls := map[string]bool{}
	for _, a := range st.actions {
		if a.Published == nil || a.Draft != nil || a.IntegrationID != in.ID || a.Published.Config.TimeoutSeconds != 10 {
			t.Errorf("action %s: %+v", a.Name, a)
			continue
		}
		urls[a.Published.Config.Request.RequestURLTemplate] = true
	}
	if !urls[w.pub.URL+setup.PartyLookupPath] || !urls[w.pub.URL+setup.CaseLookupPath] || !urls[w.pub.URL+setup.PopTargetPath] {
		t.Errorf("action URLs %v", urls)
	}

	// Re-run: nothing changes, in the answer or in Genesys.
	again, err := w.install.Install(ctx, admin, adminID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range again.Objects {
		if o.Action != "unchanged" {
			t.Errorf("re-run: %s %q %s", o.Kind, o.Name, o.Action)
		}
	}
	if after := dataActionsState(w.g); !sameState(st, after) {
		t.Fatalf("re-run changed Genesys:\n%+v\n%+v", st, after)
	}

	// check: installed, and each action answers through Genesys.
	r := w.run(admin)
	wantStatus(t, r, "genesys.installed", setup.Pass, "data actions")
	wantStatus(t, r, "genesys.dataActions", setup.Pass, "Find party", "Find cases", "Find pop target")

	// Someone edits an action in Genesys: Install puts it back, same id.
	party := actionID(t, w.g, "Find party")
	d, err := admin.Integrations.CreateDraftFromAction(ctx, party)
	if err != nil {
		t.Fatal(err)
	}
	d.Config.Request.RequestURLTemplate = "https://elsewhere.example.com/lookup"
	d, err = admin.Integrations.UpdateActionDraft(ctx, party, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Integrations.PublishActionDraft(ctx, party, d.Version); err != nil {
		t.Fatal(err)
	}
	found, err := w.install.Find(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if o := found.Object(setup.KindDataActions); o == nil || !strings.Contains(o.Problem, "Find party") {
		t.Fatalf("Find did not see the edited action: %+v", found.Objects)
	}
	fixed, err := w.install.Install(ctx, admin, adminID, "actions")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range fixed.Objects {
		want := "unchanged"
		if o.Kind == setup.KindDataActions || o.Name == "Find party" {
			want = "updated"
		}
		if o.Action != want {
			t.Errorf("after the edit: %s %q %s, want %s", o.Kind, o.Name, o.Action, want)
		}
	}
	if id := actionID(t, w.g, "Find party"); id != party {
		t.Errorf("the action was replaced (%s -> %s); flows call it by id", party, id)
	}
	wantStatus(t, w.run(admin), "genesys.dataActions", setup.Pass)

	// A new password (actions.password changed) is sent again.
	other := setup.NewInstaller(setup.InstallerOptions{PublicURL: w.pub.URL,
		Actions: &setup.ActionsInstall{UserName: actionUser, Password: "another-password-value"}})
	res, err = other.Install(ctx, admin, adminID, "actions")
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(res.Objects); a[setup.KindCredential] != "updated" {
		t.Errorf("new password: %+v", res.Objects)
	}
	if c := w.g.Credentials(); len(c) != 1 || c[0].Fields["password"] != "another-password-value" {
		t.Errorf("credentials %+v", c)
	}
	// Our server still expects the old one: check names the failure.
	wantStatus(t, w.run(admin), "genesys.dataActions", setup.Fail, "HTTP 401")

	// Uninstall removes the integration, its actions and its credential.
	un, err := w.install.Uninstall(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if a := actions(un.Objects); a[setup.KindDataActions] != "deleted" {
		t.Errorf("uninstall: %+v", un.Objects)
	}
	if st := dataActionsState(w.g); len(st.integrations) != 0 || len(st.credentials) != 0 || len(st.actions) != 0 {
		t.Fatalf("after uninstall: %+v", st)
	}
	wantStatus(t, w.run(admin), "genesys.dataActions", setup.Skip, "not installed")
}

// Without actions.password the installer leaves the data actions out.
func TestDataActionsNeedTheirPassword(t *testing.T) {
	w := newWorld(t, worldOptions{})
	for _, p := range w.install.Parts() {
		if p == "actions" {
			t.Fatalf("parts %v include actions without a credential", w.install.Parts())
		}
	}
	res, err := w.install.Install(context.Background(), w.admin(), adminID, "actions")
	if err != nil || len(res.Objects) != 0 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "actions.password") {
		t.Fatalf("actions part without a password: %+v %v", res, err)
	}
	if len(dataActionsState(w.g).integrations) != 0 {
		t.Fatal("an integration was made")
	}
}

func actionID(t *testing.T, g *genesystest.Server, name string) string {
	t.Helper()
	for _, a := range g.Actions() {
		if a.Name == name {
			return a.ID
		}
	}
	t.Fatalf("no action %q", name)
	return ""
}

func sameState(a, b actionsState) bool {
	if len(a.integrations) != len(b.integrations) || len(a.credentials) != len(b.credentials) || len(a.actions) != len(b.actions) {
		return false
	}
	for i := range a.integrations {
		if a.integrations[i].Config.Version != b.integrations[i].Config.Version || a.integrations[i].IntendedState != b.integrations[i].IntendedState {
			return false
		}
	}
	for i := range a.actions {
		x, y := a.actions[i], b.actions[i]
		if x.ID != y.ID || (x.Draft == nil) != (y.Draft == nil) || x.Published.Version != y.Published.Version {
			return false
		}
	}
	return a.credentials[0].ID == b.credentials[0].ID && a.credentials[0].Fields["password"] == b.credentials[0].Fields["password"]
}
