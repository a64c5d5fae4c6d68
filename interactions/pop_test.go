package interactions

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

const (
	convOne   = "c0000000-0000-4000-8000-000000000001"
	convMany  = "c0000000-0000-4000-8000-000000000002"
	convNone  = "c0000000-0000-4000-8000-000000000003"
	convCase  = "c0000000-0000-4000-8000-000000000004"
	convCarla = "c0000000-0000-4000-8000-000000000005"
)

func seedCalls(w *world) {
	now := time.Now().UTC()
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, now.Add(-2*time.Minute)))
	w.g.AddConversation(inbound(convMany, annID, brownNum, nil, now.Add(-3*time.Minute)))
	w.g.AddConversation(inbound(convNone, annID, nobody, nil, now.Add(-4*time.Minute)))
	w.g.AddConversation(inbound(convCase, annID, "+14155550123", map[string]string{"CaseId": "CASE-0001"}, now.Add(-5*time.Minute)))
	w.g.AddConversation(inbound(convCarla, carlaID, aliceNum, nil, now.Add(-6*time.Minute)))
}

func TestScreenPopOutcomes(t *testing.T) {
	w := newWorld(t)
	seedCalls(w)
	ctx := context.Background()
	base := w.sj.URL() + "/Ecx.Web/do/"
	dom := url.QueryEscape(w.sj.Domain())

	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil {
		t.Fatal(err)
	}
	wantURL := base + "root_PartyDetail?d=" + dom + "&appid=root_CaseManagement&Party_Id=P-1"
	if pop.Outcome != OutcomeOne || pop.URL != wantURL || len(pop.Matches) != 1 || pop.Matches[0].Name != "Alice Customer" {
		t.Fatalf("one match: %+v\nwant URL %s", pop, wantURL)
	}
	if pop.KeyKind != KeyPhone || pop.Key != aliceNum || pop.Customer.Phone != aliceNum || pop.Direction != "inbound" || pop.MediaType != "voice" {
		t.Errorf("pop key/customer: %+v", pop)
	}
	if pop.Agent.SJUserID != "101" {
		t.Errorf("agent = %+v, want SJ user 101", pop.Agent)
	}

	pop, err = w.svc.ScreenPop(ctx, convMany, annID)
	if err != nil {
		t.Fatal(err)
	}
	if pop.Outcome != OutcomeMany || len(pop.Matches) != 3 || pop.URL != "" {
		t.Fatalf("many: %+v", pop)
	}
	ids := map[string]bool{}
	for _, m := range pop.Matches {
		ids[m.ID] = true
		if m.Kind != "party" || m.URL != base+"root_PartyDetail?d="+dom+"&appid=root_CaseManagement&Party_Id="+m.ID {
			t.Errorf("picker entry %+v", m)
		}
	}
	if !ids["P-2"] || !ids["P-3"] || !ids["P-4"] {
		t.Errorf("picker ids = %v", ids)
	}

	pop, err = w.svc.ScreenPop(ctx, convNone, annID)
	if err != nil {
		t.Fatal(err)
	}
	wantCreate := base + "root_NewCase?d=" + dom + "&appid=root_CaseManagement&Phone=%2B14155550000&ConversationId=" + convNone
	if pop.Outcome != OutcomeNone || len(pop.Matches) != 0 || pop.CreateURL != wantCreate {
		t.Fatalf("none: %+v\nwant create URL %s", pop, wantCreate)
	}

	// Participant data wins over the number: the case opens, not Erin's party.
	pop, err = w.svc.ScreenPop(ctx, convCase, annID)
	if err != nil {
		t.Fatal(err)
	}
	if pop.Outcome != OutcomeOne || pop.KeyKind != KeyCaseID || pop.Key != "CASE-0001" ||
		pop.URL != base+"root_CaseDetail?d="+dom+"&appid=root_CaseManagement&Case_Id=1" {
		t.Fatalf("case attribute: %+v", pop)
	}
	if pop.Matches[0].CaseID != "CASE-0001" || pop.Matches[0].Summary == "" {
		t.Errorf("case match %+v", pop.Matches[0])
	}
}

func TestScreenPopPartyAttributeAndFallThrough(t *testing.T) {
	w := newWorld(t)
	now := time.Now()
	// A PartyId naming a party wins over a number matching three.
	w.g.AddConversation(inbound("conv-party", annID, brownNum, map[string]string{"PartyId": "P-5"}, now))
	// A CaseId naming no case falls through to the number.
	w.g.AddConversation(inbound("conv-stale", annID, aliceNum, map[string]string{"CaseId": "CASE-9999"}, now))
	pop, err := w.svc.ScreenPop(context.Background(), "conv-party", annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-5" || pop.KeyKind != KeyPartyID {
		t.Fatalf("PartyId attribute: %+v, %v", pop, err)
	}
	pop, err = w.svc.ScreenPop(context.Background(), "conv-stale", annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-1" || pop.KeyKind != KeyPhone {
		t.Fatalf("stale CaseId: %+v, %v", pop, err)
	}
}

func TestScreenPopConfiguredAttributeNames(t *testing.T) {
	w := newWorld(t)
	svc, err := New(Options{Genesys: w.gc, SJ: w.ab, Agents: w.agents, CaseIDAttribute: "SJ_Case",
		Pages: Pages{Party: "p", Case: "c", NewCase: "n", AppID: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	w.g.AddConversation(inbound("conv-attr", annID, nobody, map[string]string{"SJ_Case": "CASE-0001", "CaseId": "CASE-0002"}, time.Now()))
	pop, err := svc.ScreenPop(context.Background(), "conv-attr", annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Key != "CASE-0001" {
		t.Fatalf("configured attribute: %+v, %v", pop, err)
	}
	if !strings.HasPrefix(pop.URL, w.sj.URL()+"/Ecx.Web/do/c?d=") {
		t.Errorf("URL %s does not use the configured page code", pop.URL)
	}
}

func TestScreenPopEmailConversation(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(genesystest.Conversation{ID: "conv-mail", OriginatingDirection: "inbound", StartTime: time.Now(),
		Participants: []genesystest.Participant{
			{Purpose: "customer", Address: "erin@example.org", Emails: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
			{Purpose: "agent", UserID: annID, QueueID: supportQ, Emails: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
		}})
	pop, err := w.svc.ScreenPop(context.Background(), "conv-mail", annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyEmail || pop.Matches[0].ID != "P-5" || pop.MediaType != "email" {
		t.Fatalf("email pop: %+v, %v", pop, err)
	}
}

// A transferred call and a conference pop the same record for every agent.
func TestScreenPopTransferAndConferenceResolveTheSameRecord(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().Add(-10 * time.Minute)
	c := inbound("conv-xfer", annID, aliceNum, nil, t0)
	t1, t2 := t0.Add(3*time.Minute), t0.Add(4*time.Minute)
	c.Participants[2].EndTime = &t1
	c.Participants[2].Calls[0].State = "disconnected"
	c.Participants = append(c.Participants,
		genesystest.Participant{Purpose: "agent", UserID: benID, QueueID: supportQ, StartTime: t1, ConnectedTime: &t1,
			Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &t1}}},
		// Ben conferences in a third party (an external number matching three parties).
		genesystest.Participant{Purpose: "external", Address: "tel:" + brownNum, StartTime: t2,
			Calls: []genesystest.Media{{State: "connected", Direction: "outbound", ConnectedTime: &t2}}})
	w.g.AddConversation(c)
	for _, agent := range []string{annID, benID} {
		pop, err := w.svc.ScreenPop(context.Background(), "conv-xfer", agent)
		if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-1" {
			t.Fatalf("agent %s: %+v, %v", agent, pop, err)
		}
	}
}

func TestScreenPopErrors(t *testing.T) {
	w := newWorld(t)
	seedCalls(w)
	ctx := context.Background()

	_, err := w.svc.ScreenPop(ctx, convCarla, carlaID)
	var nm *AgentNotMappedError
	if !errors.As(err, &nm) || nm.Status != usermap.StatusUnmatched || !strings.Contains(err.Error(), "supervisor") {
		t.Errorf("unmapped agent: %v", err)
	}
	if _, err := w.svc.ScreenPop(ctx, convOne, carlaID); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("not a participant: %v", err)
	}
	if _, err := w.svc.ScreenPop(ctx, "c0000000-0000-4000-8000-00000000dead", annID); !errors.Is(err, ErrConversationGone) {
		t.Errorf("unknown conversation: %v", err)
	}
	var ie *InputError
	if _, err := w.svc.ScreenPop(ctx, "", annID); !errors.As(err, &ie) {
		t.Errorf("empty id: %v", err)
	}

	w.sj.Fault("FINDPARTIES", appbasetest.Fault{HTTP500: true})
	_, err = w.svc.ScreenPop(ctx, convOne, annID)
	var ue *UpstreamError
	if !errors.As(err, &ue) || ue.System != SystemServiceJourney {
		t.Errorf("ServiceJourney failing: %v", err)
	}
	w.sj.ClearFaults()

	w.g.Fault("GET /api/v2/conversations/{conversationId}", genesystest.Fault{Status: 503})
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); !errors.As(err, &ue) || ue.System != SystemGenesys {
		t.Errorf("Genesys failing: %v", err)
	}
	w.g.ClearFaults()

	empty := usermap.NewStore(usermap.StoreOptions{})
	svc, err := New(Options{Genesys: w.gc, SJ: w.ab, Agents: empty, Pages: Pages{Party: "p", Case: "c", NewCase: "n", AppID: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.ScreenPop(ctx, convOne, annID); !errors.Is(err, ErrNoUserMap) {
		t.Errorf("no user map yet: %v", err)
	}
}

func TestNewReportsMissingOptions(t *testing.T) {
	_, err := New(Options{Pages: Pages{Party: "p"}})
	for _, want := range []string{"Options.Genesys", "Options.SJ", "Options.Agents", "servicejourney.pages.case", "servicejourney.pages.appId"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New error %v does not name %s", err, want)
		}
	}
}
