package interactions

import (
	"context"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

const patchAttrsRoute = "PATCH /api/v2/conversations/{conversationId}/participants/{participantId}/attributes"

// transferTo ends agent from's leg and connects agent to.
func transferTo(t *testing.T, w *world, id, from, to string, at time.Time) {
	t.Helper()
	w.update(t, id, func(c *genesystest.Conversation) {
		for i := range c.Participants {
			p := &c.Participants[i]
			if p.UserID == from {
				p.EndTime = &at
				for j := range p.Calls {
					p.Calls[j].State, p.Calls[j].DisconnectedTime = "disconnected", &at
				}
			}
		}
		c.Participants = append(c.Participants, genesystest.Participant{Purpose: "agent", UserID: to, QueueID: supportQ, StartTime: at, ConnectedTime: &at,
			WrapupRequired: true, Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &at}}})
	})
}

// The first agent picks one of three parties; after a transfer the second
// agent's pop opens that party at once, and the record names both agents.
func TestTransferKeepsThePickedRecord(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-10 * time.Minute)
	w.g.AddConversation(inbound(convOne, annID, brownNum, nil, t0))
	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil || pop.Outcome != OutcomeMany {
		t.Fatalf("first pop: %+v, %v", pop, err)
	}
	res, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{PartyID: "P-3"})
	if err != nil || !res.ContextWritten {
		t.Fatalf("pick: %+v, %v", res, err)
	}
	// Logging the same pick again writes nothing more to Genesys.
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{PartyID: "P-3"}); err != nil {
		t.Fatal(err)
	}
	if n := w.g.Requests(patchAttrsRoute); n != 1 {
		t.Errorf("%d attribute writes; want 1", n)
	}

	transferTo(t, w, convOne, annID, benID, t0.Add(2*time.Minute))
	pop, err = w.svc.ScreenPop(ctx, convOne, benID)
	if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyPartyID || pop.Matches[0].ID != "P-3" {
		t.Fatalf("second agent's pop: %+v, %v", pop, err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, benID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	rec, _ := w.sj.Interaction(convOne)
	if rec.PartyID != "P-3" || rec.AgentUserID != "102" || rec.Fields["AGENTUSERIDS"] != "101,102" {
		t.Errorf("record after the transfer: party %q agent %q agents %q", rec.PartyID, rec.AgentUserID, rec.Fields["AGENTUSERIDS"])
	}
}

// A case picked from a pop goes back by its case number, which is what
// the stock case search finds.
func TestTransferKeepsThePickedCaseByNumber(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	t0 := time.Now().UTC().Add(-10 * time.Minute)
	w.g.AddConversation(inbound(convOne, annID, nobody, map[string]string{"CaseId": "case-0001"}, t0))
	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].Kind != "case" {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
	// The page sends the record id; the conversation gets the number.
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{CaseID: "1", PartyID: "P-5"}); err != nil {
		t.Fatal(err)
	}
	conv, _ := w.gc.Conversations.Get(ctx, convOne)
	cust := CustomerParticipant(conv)
	if cust.Attributes["CaseId"] != "CASE-0001" || cust.Attributes["PartyId"] != "P-5" {
		t.Errorf("customer attributes %v; want CaseId CASE-0001, PartyId P-5", cust.Attributes)
	}
	transferTo(t, w, convOne, annID, benID, t0.Add(time.Minute))
	pop, err = w.svc.ScreenPop(ctx, convOne, benID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "1" {
		t.Fatalf("second pop: %+v, %v", pop, err)
	}
}
