package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// ours returns the fake Genesys objects named with the installer's prefix.
func ours(g *genesystest.Server) (apps []genesystest.Integration, groups []genesystest.Group, roles []genesystest.Role) {
	for _, in := range g.Integrations() {
		if strings.HasPrefix(in.Name, setup.DefaultPrefix) {
			apps = append(apps, in)
		}
	}
	for _, gr := range g.Groups() {
		if strings.HasPrefix(gr.Name, setup.DefaultPrefix) {
			groups = append(groups, gr)
		}
	}
	// The agent role first, then the server role.
	for _, name := range []string{setup.DefaultPrefix + "Agent", setup.DefaultPrefix + "Server"} {
		for _, r := range g.Roles() {
			if r.Name == name {
				roles = append(roles, r)
			}
		}
	}
	return
}

// TestWizardInstallReRunUninstall drives the Premium App's wizard as Ada
// Admin: sign in, permissions, checklist, install (the fake Genesys then holds
// the widget, the supervisor app, the group, the role and the data-actions
// integration with its credential and published actions, recorded in the
// Premium App's notes; the checklist runs each action's test through the
// fake Genesys, which calls our endpoint), install again (nothing new),
// uninstall (all gone).
func TestWizardInstallReRunUninstall(t *testing.T) {
	t.Parallel()
	// Four install/check rounds in seconds: the test demo's client does not
	// pace them (newTestDemo).
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	wizard := d.PublicURL + "/dcm-connect-docs/wizard/index.html"
	// What the Premium App's URL gives the wizard (gc* template variables).
	runIn(b, chromedp.Navigate(wizard+"?langTag=en-us&gcHostOrigin=https%3A%2F%2Fapps.mypurecloud.ie&gcTargetEnv=prod"))
	b.signIn(demoAdminID)
	b.waitText("#connection", "Connected as Ada Admin")
	b.waitText("#permissions-summary", "every permission")

	// The checklist: nothing fails on the demo; the apps are not installed yet.
	b.waitText("#checklist-summary", "0 failed")
	b.waitText(`#checklist tr[data-id="genesys.installed"]`, "not installed")
	b.waitText(`#checklist tr[data-id="genesys.serverGrant"]`, "has no role")
	b.waitText(`#checklist tr[data-id="genesys.dataActions"]`, "not installed")
	b.waitText(`#checklist tr[data-id="genesys.browserClient.redirectURIs"]`, "pass")
	b.waitText(`#checklist tr[data-id="server.publicURL"]`, "warning")
	if apps, groups, roles := ours(d.genesys); len(apps)+len(groups)+len(roles) != 0 {
		t.Fatalf("installed before Install was clicked: %v %v %v", apps, groups, roles)
	}

	// Install, part by part, with progress.
	runIn(b, chromedp.Click("#install"))
	b.waitText("#install-result", "Installed.")
	for _, p := range []string{"group", "role", "serverRole", "widget", "supervisor", "actions"} {
		b.waitText(`#install-steps li[data-part="`+p+`"]`, "created")
	}
	b.waitText(`#install-steps li[data-part="record"]`, "recorded")
	// The server role is for the Client Credentials client: Install gives
	// it there (before, the checklist said the client had no role), and the
	// checklist reads the client's grant complete.
	b.waitText(`#install-steps li[data-part="serverRole"]`, "given to ServiceJourney Client Credentials")
	b.waitText(`#checklist tr[data-id="genesys.serverRole"]`, "has every permission the server uses")
	b.waitText(`#checklist tr[data-id="genesys.serverGrant"]`, "OAuth client ServiceJourney Client Credentials holds every permission the server uses")
	var grants []genesystest.RoleDivision
	for _, c := range d.genesys.OAuthClients() {
		if c.ID == demoCCClientID {
			grants = c.RoleDivisions
		}
	}
	if len(grants) != 1 || grants[0].DivisionID != "*" {
		t.Errorf("the Client Credentials client's roles after install: %+v", grants)
	}
	apps, groups, roles := ours(d.genesys)
	if len(apps) != 3 || len(groups) != 1 || len(roles) != 2 {
		t.Fatalf("after install: %d apps, %d groups, %d roles", len(apps), len(groups), len(roles))
	}
	types := map[string]genesystest.Integration{}
	for _, a := range apps {
		types[a.TypeID] = a
	}
	widget := types["embedded-client-app-interaction-widget"]
	if u, _ := widget.Config.Properties["url"].(string); !strings.HasPrefix(u, d.PublicURL+"/dcm-connect-docs/index.html?gcConversationId={{gcConversationId}}") || widget.IntendedState != "ENABLED" {
		t.Errorf("widget = %+v", widget)
	}
	if _, ok := types["embedded-client-app"]; !ok {
		t.Errorf("no standalone supervisor app: %+v", apps)
	}
	actionsIn := types[genesystest.CustomRestActions]
	published := 0
	for _, a := range d.genesys.Actions() {
		if a.IntegrationID == actionsIn.ID && a.Published != nil {
			published++
		}
	}
	if actionsIn.IntendedState != "ENABLED" || published != 3 || len(d.genesys.Credentials()) != 1 {
		t.Errorf("data actions: integration %+v, %d published, %d credentials", actionsIn, published, len(d.genesys.Credentials()))
	}
	if !containsStr(groups[0].MemberIDs, demoAdminID) || !containsStr(roles[0].UserIDs, demoAdminID) {
		t.Errorf("Ada is not in the group/role: %+v %+v", groups[0], roles[0])
	}
	var notes map[string]setup.Record
	for _, in := range d.genesys.Integrations() {
		if in.TypeID == "premium-app-servicejourney" {
			json.Unmarshal([]byte(in.Config.Notes), &notes)
		}
	}
	if rec := notes["dcmconnect"]; rec.IDs["interactionWidget"] != widget.ID || rec.IDs["group"] != groups[0].ID || rec.IDs["dataActions"] != actionsIn.ID || rec.By != demoAdminID {
		t.Errorf("Premium App notes = %+v", notes)
	}
	// The checklist re-ran and now sees the install.
	b.waitText(`#checklist tr[data-id="genesys.installed"]`, "pass")
	b.waitText(`#checklist tr[data-id="genesys.dataActions"]`, "Find party, Find cases, Find pop target: answered through Genesys")

	// Run again: nothing new.
	runIn(b, chromedp.Click("#install"))
	for _, p := range []string{"group", "role", "serverRole", "widget", "supervisor", "actions", "record"} {
		b.waitText(`#install-steps li[data-part="`+p+`"]`, "unchanged")
	}
	b.waitText("#install-result", "Installed.")
	apps2, groups2, roles2 := ours(d.genesys)
	if len(apps2) != 3 || len(groups2) != 1 || len(roles2) != 2 || apps2[0].ID != apps[0].ID || len(d.genesys.Credentials()) != 1 {
		t.Fatalf("re-run changed the objects: %d apps, %d groups, %d roles", len(apps2), len(groups2), len(roles2))
	}
	b.screenshot("wizard_installed")

	// The Premium App's uninstall URL: same session, no new sign-in.
	runIn(b, chromedp.Navigate(wizard+"?langTag=en-us&uninstall=true"))
	b.waitText("#uninstall-list", "Interaction widget")
	b.waitText("#permissions-summary", "every permission")
	runIn(b, chromedp.WaitEnabled("#uninstall"))
	// Uninstall asks first, saying how much goes; Cancel removes nothing.
	b.waitText("#uninstall-list", "Data actions")
	b.waitText("#uninstall-list", "Server role")
	runIn(b, chromedp.Click("#uninstall"))
	b.waitText("#uninstall-confirm", "This removes the 6 object(s) listed above")
	runIn(b, chromedp.Click("#uninstall-no"))
	b.waitFor(`document.getElementById("uninstall-confirm").hidden && !document.getElementById("uninstall").disabled`, "cancelled")
	if apps, groups, roles := ours(d.genesys); len(apps) != 3 || len(groups) != 1 || len(roles) != 2 {
		t.Fatalf("cancelling removed something: %d apps, %d groups, %d roles", len(apps), len(groups), len(roles))
	}
	runIn(b, chromedp.Click("#uninstall"))
	b.waitText("#uninstall-confirm", "Uninstall now?")
	b.screenshot("wizard_uninstall_confirm")
	if apps, _, _ := ours(d.genesys); len(apps) != 3 {
		t.Fatal("removed before the confirmation")
	}
	runIn(b, chromedp.Click("#uninstall-yes"))
	b.waitText("#uninstall-result", "Removed 6 object(s)")
	// The server role was the client's only role: it is taken with the
	// role, and the administrator is told to give the client another.
	b.waitText(`#uninstall-list li[data-kind="serverRole"]`, "taken from ServiceJourney Client Credentials")
	b.waitText("#uninstall-result", "was the only role of the OAuth client ServiceJourney Client Credentials")
	if apps, groups, roles := ours(d.genesys); len(apps)+len(groups)+len(roles) != 0 {
		t.Fatalf("left after uninstall: %v %v %v", apps, groups, roles)
	}
	premium := 0
	for _, in := range d.genesys.Integrations() {
		if in.TypeID == "premium-app-servicejourney" {
			premium++
			if in.Config.Notes != "" {
				t.Errorf("install record left: %q", in.Config.Notes)
			}
		}
	}
	if premium != 1 {
		t.Errorf("the Premium App itself was touched: %d left", premium)
	}
	if a, c := d.genesys.Actions(), d.genesys.Credentials(); len(a)+len(c) != 0 {
		t.Errorf("data actions left after uninstall: %d actions, %d credentials", len(a), len(c))
	}
	b.waitText(`#checklist tr[data-id="genesys.installed"]`, "not installed")
	b.screenshot("wizard_uninstalled")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestWizardSpeaksTheAdminsLanguage: the Premium App passes langTag.
func TestWizardSpeaksTheAdminsLanguage(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := openWizard(t, d, "de-de")
	b.waitText("#install-panel h2", "In Genesys Cloud installieren")
	b.waitText("#checklist-summary", "0 fehlgeschlagen")
	b.waitText(`#checklist tr[data-id="sj.login"]`, "Schritt 4: ServiceJourney-Systembenutzer")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestWizardListsMissingPermissions: an agent opening the wizard is told
// what is missing and offered no install.
func TestWizardListsMissingPermissions(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	b.openSignedIn(d, demoAnnID, d.PublicURL+"/dcm-connect-docs/wizard/index.html?langTag=en-us")
	b.waitText("#permissions-summary", "lacks these permissions")
	b.waitText("#permissions-missing", "directory:group:add")
	b.waitText("#permissions-missing", "integrations:integration:view")
	installHidden := runIn(b, chromedp.Evaluate[bool](`document.getElementById("install-panel").hidden`))
	checklistHidden := runIn(b, chromedp.Evaluate[bool](`document.getElementById("checklist-panel").hidden`))
	if !installHidden || !checklistHidden {
		t.Errorf("an agent sees install=%v checklist=%v", !installHidden, !checklistHidden)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

func containsStr(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

// Issue 18: at 1024 px the checklist's detail column keeps room to read
// (it had ~120 px and the page grew to 3,600 px), failures and warnings
// come first, and nothing scrolls sideways.
func TestWizardChecklistAt1024Pixels(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	runIn(b, chromedp.EmulateViewport(1024, 700))
	b.openSignedIn(d, demoAdminID, d.PublicURL+"/dcm-connect-docs/wizard/index.html?langTag=en-us&environment=mypurecloud.ie")
	b.waitFor(`document.querySelectorAll("#checklist tbody tr").length > 5`, "the checklist")
	got := evalJS[[]int](b, `(function () {
		var td = document.querySelector("#checklist tbody td.detail");
		return [Math.round(td.getBoundingClientRect().width), document.documentElement.scrollHeight, document.documentElement.scrollWidth, window.innerWidth];
	})()`)
	t.Logf("detail column %d px, page %d px high, %d px wide at %d", got[0], got[1], got[2], got[3])
	if got[0] < 400 {
		t.Errorf("the detail column is %d px wide at 1024 px, want at least 400", got[0])
	}
	if got[2] > got[3] {
		t.Errorf("the page is %d px wide in a %d px window", got[2], got[3])
	}
	if got[1] > 2600 {
		t.Errorf("the page is %d px high at 1024 px", got[1])
	}
	// Failures first, then warnings.
	order := evalJS[[]string](b, `Array.from(document.querySelectorAll("#checklist tbody tr")).map(r => r.dataset.status)`)
	rank := map[string]int{"fail": 0, "warn": 1}
	last := 0
	for _, s := range order {
		r, ok := rank[s]
		if !ok {
			r = 2
		}
		if r < last {
			t.Fatalf("checklist order %v: a %s after a less urgent line", order, s)
		}
		last = r
	}
	b.screenshot("wizard_1024")
}

// openWizard opens the wizard as the Premium App does (the admin's
// language, the org's environment) in a new tab, signed in as the demo's
// admin.
func openWizard(t *testing.T, d *demoStack, lang string) *browser {
	t.Helper()
	b := newBrowser(t)
	b.ignoreOrigin(d.genesys.URL())
	b.openSignedIn(d, demoAdminID, d.PublicURL+"/dcm-connect-docs/wizard/index.html?langTag="+lang+"&environment=mypurecloud.ie")
	return b
}
