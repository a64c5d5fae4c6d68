package api_test

import (
	"context"
	"encoding/json"
	"log/slog"
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
	"dcmconnect/usermap"
)

const (
	ixAnn       = "a0000000-0000-4000-8000-000000000001"
	ixCarla     = "a0000000-0000-4000-8000-000000000003"
	ixConv      = "c0000000-0000-4000-8000-000000000001"
	ixCarlaConv = "c0000000-0000-4000-8000-000000000005"
)

// tokenVerifier knows the fake's user tokens: the bearer is the caller's own
// Genesys token, so ClickToDial can act with it.
type tokenVerifier map[string]*api.Caller

func (v tokenVerifier) Verify(_ context.Context, bearer string) (*api.Caller, error) {
	if c, ok := v[bearer]; ok {
		cp := *c
		return &cp, nil
	}
	return nil, api.Unauthorized("token not valid")
}

type ixStack struct {
	g      *genesystest.Server
	sj     *appbasetest.Server
	h      *api.Server
	tokens map[string]string // user id -> bearer
}

func newIxStack(t testing.TB, mut ...func(*api.Options)) *ixStack {
	t.Helper()
	return newIxStackOn(t, "", mut...)
}

// newIxStackOn is newIxStack with the ServiceJourney client on profile
// ("": the client's default).
func newIxStackOn(t testing.TB, profile string, mut ...func(*api.Options)) *ixStack {
	t.Helper()
	s := &ixStack{g: genesystest.NewServerT(t), sj: appbasetest.NewServerT(t, appbasetest.WithProfile(profile)), tokens: map[string]string{}}
	s.g.AddClient(genesystest.Client{ID: "cc", Secret: "cc-secret"})
	s.g.AddUser(genesystest.User{ID: ixAnn, Name: "Ann Agent", Email: "ann@example.com"})
	s.g.AddUser(genesystest.User{ID: ixCarla, Name: "Carla Newhire", Email: "carla@example.com"})
	s.sj.AddUser(appbasetest.User{ID: "101", Name: "Ann Agent", Email: "ann@example.com"})
	s.sj.AddParty(appbasetest.Party{ID: "P-1", Name: "Alice Customer", Phone: "+14155550101"})
	for id, who := range map[string]string{ixConv: ixAnn, ixCarlaConv: ixCarla} {
		s.g.AddConversation(genesystest.Conversation{ID: id, OriginatingDirection: "inbound", StartTime: time.Now(),
			Participants: []genesystest.Participant{
				{Purpose: "customer", ANI: "tel:+14155550101", Calls: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
				{Purpose: "agent", UserID: who, WrapupRequired: true, Calls: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
			}})
	}
	gc, err := genesys.New(genesys.Options{APIURL: s.g.URL(), LoginURL: s.g.URL(), ClientID: "cc", ClientSecret: "cc-secret", MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	o := s.sj.ClientOptions()
	o.MaxRetries, o.Logger = -1, slog.New(slog.DiscardHandler)
	ab, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	store := usermap.NewStore(usermap.StoreOptions{})
	store.Replace(usermap.Build([]usermap.GenesysUser{{ID: ixAnn, Email: "ann@example.com"}, {ID: ixCarla, Email: "carla@example.com"}},
		[]usermap.SJUser{{ID: "101", Name: "Ann Agent", Email: "ann@example.com"}}))
	svc, err := interactions.New(interactions.Options{Genesys: gc, SJ: ab, Agents: store,
		Pages: interactions.Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"}})
	if err != nil {
		t.Fatal(err)
	}
	v := tokenVerifier{}
	for _, id := range []string{ixAnn, ixCarla} {
		tok := s.g.UserToken(id)
		s.tokens[id] = tok
		v[tok] = &api.Caller{ID: id, OrgID: "org"}
	}
	opts := api.Options{Verifier: v, Methods: api.InteractionMethods(svc)}
	for _, m := range mut {
		m(&opts)
	}
	if s.h, err = api.New(opts); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *ixStack) call(t *testing.T, user, method, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.tokens[user])
	w := httptest.NewRecorder()
	s.h.Handler().ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: body not JSON: %s", method, w.Body.String())
	}
	return w.Code, out
}

func TestScreenPopMethod(t *testing.T) {
	s := newIxStack(t)
	code, out := s.call(t, ixAnn, "ScreenPop", `{"conversationId":"`+ixConv+`"}`)
	if code != 200 {
		t.Fatalf("ScreenPop = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	if d["outcome"] != "one" || !strings.Contains(d["url"].(string), "Party_Id=P-1") {
		t.Fatalf("pop = %v", d)
	}

	checks := []struct {
		name, user, method, body string
		status                   int
		typ, text, msg           string
	}{
		{"not mapped", ixCarla, "ScreenPop", `{"conversationId":"` + ixCarlaConv + `"}`, 403, api.TypeAgentNotMapped, "not linked to a ServiceJourney user", api.MsgAgentNotMapped},
		{"not a participant", ixCarla, "ScreenPop", `{"conversationId":"` + ixConv + `"}`, 403, api.TypeNotParticipant, "not a participant", api.MsgNotParticipant},
		{"gone", ixAnn, "ScreenPop", `{"conversationId":"c0000000-0000-4000-8000-00000000dead"}`, 404, api.TypeConversationGone, "no longer exists", api.MsgConversationGone},
		{"missing id", ixAnn, "ScreenPop", `{}`, 400, "System.ArgumentException", `"conversationId" is required`, api.MsgBadRequest},
		{"bad event", ixAnn, "LogInteraction", `{"conversationId":"` + ixConv + `","event":"hangup"}`, 400, "System.ArgumentException", "connect, disconnect or wrapup", api.MsgBadRequest},
		{"bad number", ixAnn, "ClickToDial", `{"number":"call me"}`, 400, api.TypeInvalidPhoneNumber, "no phone number", api.MsgInvalidPhone},
	}
	for _, c := range checks {
		code, out := s.call(t, c.user, c.method, c.body)
		if code != c.status || out["ExceptionType"] != c.typ || !strings.Contains(out["Message"].(string), c.text) || out["Code"] != c.msg {
			t.Errorf("%s: %d %v; want %d %s %q code %s", c.name, code, out, c.status, c.typ, c.text, c.msg)
		}
	}

	// The page gets a code and the system's name, never the rule or the
	// transport error (those stay in Message, for the administrator).
	s.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	code, out = s.call(t, ixAnn, "ScreenPop", `{"conversationId":"`+ixConv+`"}`)
	params, _ := out["Params"].(map[string]any)
	if code != 503 || out["ExceptionType"] != api.TypeServiceJourneyDown || out["Code"] != api.MsgUpstreamDown || len(params) != 1 || params["system"] != "ServiceJourney" {
		t.Errorf("ServiceJourney down: %d %v", code, out)
	}
	if got := api.MessageText(api.MsgUpstreamDown, map[string]string{"system": "ServiceJourney"}); got != "ServiceJourney is not reachable right now. Try again in a minute." {
		t.Errorf("MessageText = %q", got)
	}
	s.sj.ClearFaults()
	s.sj.Fault("FINDPARTIES", appbasetest.Fault{Latency: 10 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req := httptest.NewRequestWithContext(ctx, "POST", "/dcm-connect-service/DCMServices.asmx/ScreenPop", strings.NewReader(`{"conversationId":"`+ixConv+`"}`))
	req.Header.Set("Authorization", "Bearer "+s.tokens[ixAnn])
	w := httptest.NewRecorder()
	s.h.Handler().ServeHTTP(w, req)
	if w.Code != 504 || !strings.Contains(w.Body.String(), api.TypeServiceJourneyDown) {
		t.Errorf("ServiceJourney too slow: %d %s", w.Code, w.Body.String())
	}
}

func TestLogInteractionAndClickToDialMethods(t *testing.T) {
	s := newIxStack(t)
	code, out := s.call(t, ixAnn, "LogInteraction", `{"conversationId":"`+ixConv+`","event":"connect","partyId":"P-1"}`)
	if code != 200 {
		t.Fatalf("LogInteraction = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	if d["created"] != true || d["agentMapped"] != true || d["wrapupPending"] != true {
		t.Errorf("log result %v", d)
	}
	if rec, ok := s.sj.Interaction(ixConv); !ok || rec.PartyID != "P-1" || rec.AgentUserID != "101" {
		t.Errorf("record %+v", rec)
	}

	code, out = s.call(t, ixAnn, "ClickToDial", `{"number":"+1 415 555 0101"}`)
	if code != 200 {
		t.Fatalf("ClickToDial = %d %v", code, out)
	}
	id := out["d"].(map[string]any)["conversationId"].(string)
	c, ok := s.g.Conversation(id)
	if !ok || c.OriginatingDirection != "outbound" {
		t.Fatalf("no outbound call %s: %+v", id, c)
	}
	placedByAnn := false
	for _, p := range c.Participants {
		placedByAnn = placedByAnn || p.UserID == ixAnn
	}
	if !placedByAnn {
		t.Errorf("the call was not placed as the caller: %+v", c.Participants)
	}
	if b, _ := json.Marshal(out); strings.Contains(string(b), s.tokens[ixAnn]) {
		t.Error("the token leaked into the answer")
	}
}

// BenchmarkScreenPopMethod is the server time of one DCMServices ScreenPop
// (one match) with both fakes at zero latency: request decoding, the
// verified caller, the resolver's two upstream round trips, the ASMX answer.
func BenchmarkScreenPopMethod(b *testing.B) {
	s := newIxStack(b)
	h := s.h.Handler()
	body := `{"conversationId":"` + ixConv + `"}`
	do := func() int {
		req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/ScreenPop", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+s.tokens[ixAnn])
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}
	if code := do(); code != 200 {
		b.Fatalf("ScreenPop = %d", code)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if code := do(); code != 200 {
			b.Fatalf("ScreenPop = %d", code)
		}
	}
}
