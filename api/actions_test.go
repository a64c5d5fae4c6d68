package api_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/interactions"
	"dcmconnect/setup"
	"dcmconnect/usermap"
)

// actionStack is production's path in miniature: the Genesys fake's
// execute calls dcmconnect's action endpoint over HTTP with the stored
// Basic credential, dcmconnect searches the ServiceJourney fake.
type actionStack struct {
	g       *genesystest.Server
	sj      *appbasetest.Server
	gc      *genesys.Client
	reg     *prometheus.Registry
	actions map[string]string // name -> action id
	credID  string
	url     string
	ab      *appbase.Client
}

const (
	actionUser = "genesys-actions"
	actionPass = "correct horse battery staple"
)

func newActionStack(t testing.TB, budget time.Duration) *actionStack {
	t.Helper()
	s := &actionStack{g: genesystest.NewServerT(t), sj: appbasetest.NewServerT(t), reg: prometheus.NewRegistry(), actions: map[string]string{}}
	s.g.AddClient(genesystest.Client{ID: "cc", Secret: "cc-secret"})
	s.sj.AddParty(appbasetest.Party{ID: "7", Name: "Alice Customer", Phone: "+14155550101"})
	s.sj.AddCase(appbasetest.Case{ID: "11", CaseID: "CASE-0011", PartyID: "7", Summary: "Old invoice", State: "Closed"})
	s.sj.AddCase(appbasetest.Case{ID: "12", CaseID: "CASE-0012", PartyID: "7", Summary: "Router", State: "Open"})
	s.sj.AddCase(appbasetest.Case{ID: "13", CaseID: "CASE-0013", PartyID: "7", Summary: "Modem", State: "In Progress"})
	var err error
	s.gc, err = genesys.New(genesys.Options{APIURL: s.g.URL(), LoginURL: s.g.URL(), ClientID: "cc", ClientSecret: "cc-secret", MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	o := s.sj.ClientOptions()
	o.MaxRetries, o.Logger = -1, slog.New(slog.DiscardHandler)
	ab, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := interactions.New(interactions.Options{Genesys: s.gc, SJ: ab, Agents: usermap.NewStore(usermap.StoreOptions{}),
		Pages: interactions.Pages{Party: "p", Case: "c", NewCase: "n", AppID: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	h, err := api.New(api.Options{Registerer: s.reg, Gatherer: s.reg, Actions: &api.ActionsOptions{
		Lookup: svc, UserName: actionUser, Password: actionPass, OrgID: s.gc.OrgID, Budget: budget, RatePerSecond: 1e6, Burst: 1000000}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h.Handler())
	t.Cleanup(srv.Close)
	s.url, s.ab = srv.URL, ab
	s.install(t, srv.URL)
	return s
}

// install does what the installer does, step by step, against the fake.
func (s *actionStack) install(t testing.TB, publicURL string) {
	t.Helper()
	ctx := context.Background()
	in, err := s.gc.Integrations.Create(ctx, "SJ actions", genesys.ActionsIntegrationType)
	if err != nil {
		t.Fatal(err)
	}
	cred, err := s.gc.Integrations.CreateCredential(ctx, &genesys.Credential{Name: "SJ actions", Type: genesys.NamedEntity{Name: "basicAuth"},
		CredentialFields: map[string]string{"userName": actionUser, "password": actionPass}})
	if err != nil {
		t.Fatal(err)
	}
	s.credID = cred.ID
	if _, err := s.gc.Integrations.PutConfig(ctx, in.ID, &genesys.IntegrationConfiguration{Name: "SJ actions", Version: 1,
		Credentials: map[string]genesys.CredentialInfo{"basicAuth": {ID: cred.ID}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.gc.Integrations.Patch(ctx, in.ID, &genesys.Integration{IntendedState: "ENABLED"}); err != nil {
		t.Fatal(err)
	}
	for _, sp := range setup.ActionSpecs(publicURL) {
		d, err := s.gc.Integrations.CreateActionDraft(ctx, &genesys.Action{Name: sp.Name, IntegrationID: in.ID, Config: &sp.Config, Contract: &sp.Contract})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.gc.Integrations.PublishActionDraft(ctx, d.ID, d.Version); err != nil {
			t.Fatal(err)
		}
		s.actions[sp.Name] = d.ID
	}
}

func (s *actionStack) execute(t *testing.T, action string, input map[string]string) (map[string]any, error) {
	t.Helper()
	var out map[string]any
	err := s.gc.Integrations.ExecuteAction(context.Background(), s.actions[action], input, &out)
	return out, err
}

func TestActionsPathsMatchTheInstaller(t *testing.T) {
	if api.ActionsPrefix+api.ActionPopTarget != setup.PopTargetPath {
		t.Fatalf("api mounts %s%s; the installer publishes %s", api.ActionsPrefix, api.ActionPopTarget, setup.PopTargetPath)
	}
	if api.ActionsPrefix+api.ActionPartyLookup != setup.PartyLookupPath || api.ActionsPrefix+api.ActionCaseLookup != setup.CaseLookupPath {
		t.Fatalf("api mounts %s%s and %s%s; the installer publishes %s and %s", api.ActionsPrefix, api.ActionPartyLookup,
			api.ActionsPrefix, api.ActionCaseLookup, setup.PartyLookupPath, setup.CaseLookupPath)
	}
}

func TestActionKnownCallerGetsPartyAndCase(t *testing.T) {
	s := newActionStack(t, 2*time.Second)
	out, err := s.execute(t, "Find party", map[string]string{"phone": "tel:+14155550101"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"found": true, "matches": 1.0, "partyId": "7", "name": "Alice Customer", "openCases": 2.0, "caseId": "13", "caseNumber": "CASE-0013"}
	for k, v := range want {
		if out[k] != v {
			t.Fatalf("Find party = %v; %s = %v, want %v", out, k, out[k], v)
		}
	}
	cases, err := s.execute(t, "Find cases", map[string]string{"caseNumber": "case-0012"})
	if err != nil {
		t.Fatal(err)
	}
	if cases["found"] != true || cases["caseId"] != "12" || cases["state"] != "Open" || cases["count"] != 1.0 {
		t.Fatalf("Find cases = %v", cases)
	}
	if n := actionCalls(t, s.reg, "party_lookup", "found"); n != 1 {
		t.Fatalf("party_lookup found count = %v, want 1", n)
	}
}

// Find pop target, through the fake's execute: the record the agent page
// would open for a conversation, by its CaseId participant data or the
// caller's number; a conversation Genesys does not know is a normal answer.
func TestActionPopTargetResolvesAConversation(t *testing.T) {
	s := newActionStack(t, 2*time.Second)
	byCase := s.g.ConnectCall(genesystest.InboundCall{From: "+14155550000", To: "+18005550100", Attributes: map[string]string{"CaseId": "CASE-0012"}}).ID
	byPhone := s.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100"}).ID
	out, err := s.execute(t, "Find pop target", map[string]string{"conversationId": byCase})
	if err != nil {
		t.Fatal(err)
	}
	if out["conversationFound"] != true || out["found"] != true || out["outcome"] != "one" || out["kind"] != "case" ||
		out["recordId"] != "12" || out["caseNumber"] != "CASE-0012" || out["keyKind"] != "caseId" || out["url"] == "" {
		t.Fatalf("by CaseId = %v", out)
	}
	out, err = s.execute(t, "Find pop target", map[string]string{"conversationId": byPhone})
	if err != nil {
		t.Fatal(err)
	}
	if out["found"] != true || out["kind"] != "party" || out["recordId"] != "7" || out["name"] != "Alice Customer" || out["keyKind"] != "phone" {
		t.Fatalf("by phone = %v", out)
	}
	out, err = s.execute(t, "Find pop target", map[string]string{"conversationId": "00000000-0000-4000-8000-00000000d0c0"})
	if err != nil {
		t.Fatal(err)
	}
	if out["conversationFound"] != false || out["found"] != false || out["outcome"] != "none" {
		t.Fatalf("unknown conversation = %v", out)
	}
	if _, err := s.execute(t, "Find pop target", map[string]string{"conversationId": " "}); err == nil {
		t.Fatal("an empty conversation id was accepted")
	}
	if n := actionCalls(t, s.reg, "pop_target", "found"); n != 2 {
		t.Fatalf("pop_target found = %v, want 2", n)
	}
}

func TestActionUnknownCallerIsNotFound(t *testing.T) {
	s := newActionStack(t, 2*time.Second)
	out, err := s.execute(t, "Find party", map[string]string{"phone": "(415) 555-0199"})
	if err != nil {
		t.Fatal(err)
	}
	if out["found"] != false || out["matches"] != 0.0 || out["partyId"] != "" || out["caseId"] != "" {
		t.Fatalf("unknown caller = %v, want found false and empty ids", out)
	}
	// Input the flow got wrong is a 400 naming the field.
	_, err = s.execute(t, "Find party", map[string]string{"phone": "anonymous"})
	if err == nil || !strings.Contains(err.Error(), "phone") {
		t.Fatalf("anonymous caller: err = %v, want a 400 naming phone", err)
	}
}

func TestActionWrongCredentialIsRefused(t *testing.T) {
	s := newActionStack(t, 2*time.Second)
	if _, err := s.gc.Integrations.UpdateCredential(context.Background(), s.credID, &genesys.Credential{Name: "SJ actions",
		Type: genesys.NamedEntity{Name: "basicAuth"}, CredentialFields: map[string]string{"userName": actionUser, "password": "guess"}}); err != nil {
		t.Fatal(err)
	}
	_, err := s.execute(t, "Find party", map[string]string{"phone": "+14155550101"})
	if err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong password: err = %v, want the endpoint's 401", err)
	}
	if s.sj.Requests(appbase.OpFindParties) != 0 {
		t.Fatal("a refused call reached ServiceJourney")
	}
}

func TestActionOtherOrgIsRefused(t *testing.T) {
	s := newActionStack(t, 2*time.Second)
	other := "0e0e0e0e-0000-4000-8000-00000000abcd"
	s.g.AddOrg(other, "Other Org")
	s.g.AddClient(genesystest.Client{ID: "other", Secret: "other-secret", OrgID: other})
	gc, err := genesys.New(genesys.Options{APIURL: s.g.URL(), LoginURL: s.g.URL(), ClientID: "other", ClientSecret: "other-secret", MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	err = gc.Integrations.ExecuteAction(context.Background(), s.actions["Find party"], map[string]string{"phone": "+14155550101"}, &out)
	if err == nil || !strings.Contains(err.Error(), "403") {
		t.Fatalf("another org's call: err = %v, want the endpoint's 403", err)
	}
}

func TestActionSlowServiceJourneyIs504WithinTheBudget(t *testing.T) {
	t.Parallel() // waits out real deadlines or latencies; needs little CPU
	const budget = 300 * time.Millisecond
	s := newActionStack(t, budget)
	s.sj.Fault(appbase.OpFindParties, appbasetest.Fault{Latency: 10 * time.Second})
	start := time.Now()
	_, err := s.execute(t, "Find party", map[string]string{"phone": "+14155550101"})
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "504") {
		t.Fatalf("slow ServiceJourney: err = %v, want 504", err)
	}
	if took > budget+2*time.Second {
		t.Fatalf("answered after %v; the budget is %v", took, budget)
	}
	if n := actionCalls(t, s.reg, "party_lookup", "timeout"); n != 1 {
		t.Fatalf("timeout count = %v, want 1", n)
	}
}

// TestActionEndpointRefusesWithoutDetail calls the endpoint directly: no
// credential, a wrong one, and a missing org header get bare 401/403s.
func TestActionEndpointRefusesWithoutDetail(t *testing.T) {
	reg := prometheus.NewRegistry()
	h, err := api.New(api.Options{Registerer: reg, Gatherer: reg, Actions: &api.ActionsOptions{
		Lookup: nopLookup{}, UserName: actionUser, Password: actionPass, OrgID: func(context.Context) (string, error) { return "org-1", nil }, RatePerSecond: 1, Burst: 1}})
	if err != nil {
		t.Fatal(err)
	}
	call := func(user, pass, org string) (int, string) {
		req := httptest.NewRequest("POST", api.ActionsPrefix+api.ActionPartyLookup, strings.NewReader(`{"partyId":"1"}`))
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		if org != "" {
			req.Header.Set("ININ-Organization-Id", org)
		}
		w := httptest.NewRecorder()
		h.Handler().ServeHTTP(w, req)
		b, _ := io.ReadAll(w.Body)
		return w.Code, string(b)
	}
	for _, c := range []struct {
		user, pass, org string
		code            int
		body            string
	}{
		{"", "", "org-1", 401, `{"error":"unauthorized"}`},
		{actionUser, "wrong", "org-1", 401, `{"error":"unauthorized"}`},
		{actionUser + "x", actionPass, "org-1", 401, `{"error":"unauthorized"}`},
		{actionUser, actionPass, "", 403, `{"error":"forbidden"}`},
		{actionUser, actionPass, "org-2", 403, `{"error":"forbidden"}`},
		{actionUser, actionPass, "ORG-1", 200, `{"found":false,"matches":0,"partyId":"","name":"","openCases":0,"caseId":"","caseNumber":""}`},
		{actionUser, actionPass, "org-1", 429, ""},
	} {
		code, body := call(c.user, c.pass, c.org)
		if code != c.code || (c.body != "" && body != c.body) {
			t.Errorf("user %q pass %q org %q: %d %s, want %d %s", c.user, c.pass, c.org, code, body, c.code, c.body)
		}
		if strings.Contains(body, actionPass) {
			t.Errorf("the answer shows the password: %s", body)
		}
	}
}

type nopLookup struct{}

func (nopLookup) LookupParty(context.Context, interactions.PartyLookup) (*interactions.PartyAnswer, error) {
	return &interactions.PartyAnswer{}, nil
}

func (nopLookup) LookupCases(context.Context, interactions.CaseLookup) (*interactions.CaseAnswer, error) {
	return &interactions.CaseAnswer{}, nil
}

func (nopLookup) PopTarget(context.Context, interactions.PopTargetLookup) (*interactions.PopTargetAnswer, error) {
	return &interactions.PopTargetAnswer{}, nil
}

// actionCalls reads dcmconnect_action_calls_total{action,outcome}.
func actionCalls(t *testing.T, g prometheus.Gatherer, action, outcome string) float64 {
	t.Helper()
	mfs, err := g.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != "dcmconnect_action_calls_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			l := map[string]string{}
			for _, lp := range m.GetLabel() {
				l[lp.GetName()] = lp.GetValue()
			}
			if l["action"] == action && l["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}
