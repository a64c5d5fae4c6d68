package setup_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/interactions"
	"dcmconnect/setup"
)

const (
	ccID      = "cc-client"
	ccSecret  = "cc-very-secret-value"
	browserID = "browser-client"
	adminID   = "a0000000-0000-4000-8000-0000000000ad"
	agentID   = "a0000000-0000-4000-8000-0000000000a1"
	premiumTy = "premium-app-servicejourney"
	appsEnv   = "https://apps.mypurecloud.ie"
)

// world is both fakes, a real api.Server as "our public URL", and the
// options a Checker is built from; tests break one piece at a time.
type world struct {
	t       *testing.T
	g       *genesystest.Server
	sj      *appbasetest.Server
	sjURL   string
	pub     *httptest.Server
	gc      *genesys.Client
	ab      *appbase.Client
	opts    setup.Options
	install *setup.Installer
}

type worldOptions struct {
	profile    string // appbase profile; "" is the client default (connector)
	genesys    []genesystest.Option
	sjPassword string // the password the client uses; "" = the right one
	ccSecret   string
	sjHandler  func(http.Handler) http.Handler
	sjRules    map[string]string // servicejourney.rules overrides
	// actions serves the data-action endpoints at the public URL with the
	// Basic credential actionUser / actionPass, and installs the actions.
	actions bool
}

const (
	actionUser = "genesys-data-actions"
	actionPass = "data-actions-password-value"
)

// noParties is ServiceJourney for the data actions when the test is about
// installing them: nobody is found (a normal answer).
type noParties struct{}

func (noParties) LookupParty(context.Context, interactions.PartyLookup) (*interactions.PartyAnswer, error) {
	return &interactions.PartyAnswer{}, nil
}

func (noParties) LookupCases(context.Context, interactions.CaseLookup) (*interactions.CaseAnswer, error) {
	return &interactions.CaseAnswer{}, nil
}

func (noParties) PopTarget(context.Context, interactions.PopTargetLookup) (*interactions.PopTargetAnswer, error) {
	return &interactions.PopTargetAnswer{Outcome: "none"}, nil
}

func newWorld(t *testing.T, wo worldOptions) *world {
	t.Helper()
	w := &world{t: t}
	w.g = genesystest.NewServerT(t, wo.genesys...)
	if wo.sjHandler != nil {
		w.sj = appbasetest.NewUnstartedServer()
		srv := httptest.NewServer(wo.sjHandler(w.sj))
		t.Cleanup(srv.Close)
		w.sjURL = srv.URL
	} else {
		w.sj = appbasetest.NewServerT(t)
		w.sjURL = w.sj.URL()
	}
	for _, v := range []appbasetest.User{
		{ID: "1", Code: "ANN", Login: "ann", Name: "Ann Agent", Email: "ann@example.com", PureCloudUserID: agentID},
		{ID: "2", Code: "BEN", Login: "ben", Name: "Ben Agent", Email: "ben@example.com"},
	} {
		w.sj.AddUser(v)
	}

	// Our "public URL": the real api server, so GetConfig and the pages answer.
	w.pub = httptest.NewUnstartedServer(nil)
	w.pub.Start()
	t.Cleanup(w.pub.Close)
	var actions *api.ActionsOptions
	if wo.actions {
		actions = &api.ActionsOptions{Lookup: noParties{}, UserName: actionUser, Password: actionPass,
			OrgID: func(context.Context) (string, error) { return w.g.OrgID(), nil }}
	}
	srv, err := api.New(api.Options{PageConfig: api.PageConfig{PublicURL: w.pub.URL}, Actions: actions})
	if err != nil {
		t.Fatal(err)
	}
	w.pub.Config.Handler = srv.Handler()

	w.g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret})
	w.g.AddClient(genesystest.Client{ID: browserID, Name: "ServiceJourney Browser", GrantType: genesystest.GrantCode,
		RedirectURIs: setup.PageURLs(w.pub.URL),
		Scopes:       []string{"user-basic-info", "conversations", "analytics", "integrations", "authorization", "groups", "oauth"}})
	w.g.AddUser(genesystest.User{ID: adminID, Name: "Ada Admin", Email: "ada@example.com", Permissions: []string{"*:*:*"}})
	w.g.AddUser(genesystest.User{ID: agentID, Name: "Ann Agent", Email: "ann@example.com", Permissions: []string{"conversation:communication:view"}})

	secret := ccSecret
	if wo.ccSecret != "" {
		secret = wo.ccSecret
	}
	w.gc, err = genesys.New(genesys.Options{APIURL: w.g.URL(), LoginURL: w.g.URL(), ClientID: ccID, ClientSecret: secret,
		Timeout: 5 * time.Second, MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	abOpts := w.sj.ClientOptions()
	abOpts.URL = w.sjURL
	abOpts.MaxRetries = -1
	abOpts.Timeout = 5 * time.Second
	abOpts.Rules = wo.sjRules
	abOpts.Profile = wo.profile
	if wo.sjPassword != "" {
		abOpts.Password = wo.sjPassword
	}
	w.ab, err = appbase.New(abOpts)
	if err != nil {
		t.Fatal(err)
	}
	io := setup.InstallerOptions{PublicURL: w.pub.URL, ServerClientID: ccID}
	if wo.actions {
		io.Actions = &setup.ActionsInstall{UserName: actionUser, Password: actionPass, Budget: 5 * time.Second}
	}
	w.install = setup.NewInstaller(io)
	w.opts = setup.Options{
		Genesys: w.gc, AppBase: w.ab, PublicURL: w.pub.URL, AppsOrigin: appsEnv,
		BrowserClientID: browserID, BrowserGrant: "pkce", FramePage: "root_PartyDetail", AppID: "root_CaseManagement",
		Installer: w.install, Timeout: 5 * time.Second,
	}
	return w
}

func (w *world) run(admin *genesys.Client) *setup.Report {
	w.t.Helper()
	c, err := setup.NewChecker(w.opts)
	if err != nil {
		w.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return c.Run(ctx, admin)
}

func (w *world) admin() *genesys.Client { return w.gc.WithToken(w.g.UserToken(adminID)) }

// premiumApp installs the Premium App as step 5 of the guide says: its
// Application URL opens our wizard.
func (w *world) premiumApp() string {
	w.t.Helper()
	ctx := context.Background()
	a := w.admin()
	in, err := a.Integrations.Create(ctx, "ServiceJourney Connector", premiumTy)
	if err != nil {
		w.t.Fatal(err)
	}
	if _, err := a.Integrations.PutConfig(ctx, in.ID, &genesys.IntegrationConfiguration{Name: in.Name, Version: 1,
		Properties: map[string]any{"url": w.install.WizardURL(), "displayType": "standalone"}}); err != nil {
		w.t.Fatal(err)
	}
	return in.ID
}

func lineByID(t *testing.T, r *setup.Report, id string) setup.Line {
	t.Helper()
	for _, l := range r.Lines {
		if l.ID == id {
			return l
		}
	}
	t.Fatalf("no line %s in\n%s", id, dump(r))
	return setup.Line{}
}

func wantStatus(t *testing.T, r *setup.Report, id string, st setup.Status, detailHas ...string) setup.Line {
	t.Helper()
	l := lineByID(t, r, id)
	if l.Status != st {
		t.Fatalf("%s = %s (%s; fix %q), want %s\n%s", id, l.Status, l.Detail, l.Fix, st, dump(r))
	}
	for _, s := range detailHas {
		if !strings.Contains(l.Detail+" "+l.Fix, s) {
			t.Errorf("%s: %q / fix %q does not mention %q", id, l.Detail, l.Fix, s)
		}
	}
	if st != setup.Pass && l.Fix == "" {
		t.Errorf("%s is %s but has no fix", id, st)
	}
	return l
}

func dump(r *setup.Report) string {
	var b bytes.Buffer
	for _, l := range r.Lines {
		b.WriteString(string(l.Status) + "\t" + l.ID + "\t" + l.Detail + "\n")
	}
	return b.String()
}

func noSecrets(t *testing.T, v any, secrets ...string) {
	t.Helper()
	b, _ := json.Marshal(v)
	for _, s := range secrets {
		if s != "" && strings.Contains(string(b), s) {
			t.Errorf("output holds a secret %q:\n%s", s, b)
		}
	}
}
