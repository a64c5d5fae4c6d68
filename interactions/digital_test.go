package interactions

import (
	"context"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

// A web-messaging "Guest" has no number or address to match: the pop goes
// by the participant data an authenticated flow set, and the log records
// the messaging interaction.
func TestWebMessagingGuestPopsByAttribute(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	c := messaging(convOne, annID, map[string]string{"PartyId": "P-1"}, time.Now().Add(-10*time.Minute))
	w.g.AddConversation(c)
	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyPartyID || pop.Matches[0].ID != "P-1" || pop.MediaType != "message" || pop.Customer.Name != "Guest" {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convOne); rec.MediaType != "message" || rec.PartyID != "P-1" || rec.AgentUserID != "101" {
		t.Errorf("record: %+v", rec)
	}

	// Without the attribute the guest offers no key: create new, after no search at all.
	w.g.AddConversation(messaging(convNone, annID, nil, time.Now().Add(-time.Minute)))
	before := w.sj.Requests("FINDPARTIES")
	pop, err = w.svc.ScreenPop(ctx, convNone, annID)
	if err != nil || pop.Outcome != OutcomeNone || pop.KeyKind != "" || pop.CreateURL == "" || w.sj.Requests("FINDPARTIES") != before {
		t.Fatalf("guest without data: %+v, %v", pop, err)
	}
}

// A social messaging channel whose address is a number (WhatsApp, SMS)
// pops by that number.
func TestMessagingFromANumberPopsByPhone(t *testing.T) {
	w := newWorld(t)
	c := messaging(convOne, annID, nil, time.Now().Add(-time.Minute))
	c.Participants[0].Name, c.Participants[0].Address = "Alice", aliceNum
	w.g.AddConversation(c)
	pop, err := w.svc.ScreenPop(context.Background(), convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyPhone || pop.Matches[0].ID != "P-1" {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
}

// An e-mail pops by the sender's address.
func TestEmailPopsByAddress(t *testing.T) {
	w := newWorld(t)
	c := messaging(convOne, annID, nil, time.Now().Add(-time.Minute))
	for i := range c.Participants {
		c.Participants[i].Emails, c.Participants[i].Messages = c.Participants[i].Messages, nil
	}
	c.Participants[0].Address = "erin@example.org"
	w.g.AddConversation(c)
	pop, err := w.svc.ScreenPop(context.Background(), convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyEmail || pop.Matches[0].ID != "P-5" || pop.MediaType != "email" {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
}

// callbackConv is a callback (or, with voicemail, an ACD voicemail) to
// number, offered to agentID; the number is only in callbackNumbers.
func callbackConv(id, agentID, number string, voicemail bool) genesystest.Conversation {
	start := time.Now().Add(-5 * time.Minute)
	connected := start.Add(time.Minute)
	leg := genesystest.Media{State: "connected", Direction: "outbound", ConnectedTime: &connected, CallbackNumbers: []string{number}, Voicemail: voicemail}
	return genesystest.Conversation{ID: id, StartTime: start, Participants: []genesystest.Participant{
		{Purpose: "customer", Name: "Callback", StartTime: start, Callbacks: []genesystest.Media{leg}},
		{Purpose: "agent", UserID: agentID, QueueID: supportQ, StartTime: connected, ConnectedTime: &connected, Callbacks: []genesystest.Media{leg}},
	}}
}

func TestCallbackAndVoicemailPopByTheCallbackNumber(t *testing.T) {
	for _, tc := range []struct {
		voicemail bool
		media     string
	}{{false, "callback"}, {true, "voicemail"}} {
		w := newWorld(t)
		ctx := context.Background()
		w.g.AddConversation(callbackConv(convOne, annID, aliceNum, tc.voicemail))
		pop, err := w.svc.ScreenPop(ctx, convOne, annID)
		if err != nil || pop.Outcome != OutcomeOne || pop.KeyKind != KeyPhone || pop.Matches[0].ID != "P-1" || pop.MediaType != tc.media {
			t.Fatalf("%s pop: %+v, %v", tc.media, pop, err)
		}
		if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
			t.Fatal(err)
		}
		if rec, _ := w.sj.Interaction(convOne); rec.MediaType != tc.media || rec.ANI != aliceNum || rec.PartyID != "P-1" {
			t.Errorf("%s record: %+v", tc.media, rec)
		}
	}
}

// A call between two users has no customer: no search, no create offer.
func TestInternalCallDoesNotPop(t *testing.T) {
	w := newWorld(t)
	start := time.Now().Add(-time.Minute)
	w.g.AddConversation(genesystest.Conversation{ID: convOne, StartTime: start, Participants: []genesystest.Participant{
		{Purpose: "user", UserID: benID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "outbound", ConnectedTime: &start}}},
		{Purpose: "user", UserID: annID, StartTime: start, ConnectedTime: &start, Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &start}}},
	}})
	pop, err := w.svc.ScreenPop(context.Background(), convOne, annID)
	if err != nil || pop.Outcome != OutcomeInternal || pop.CreateURL != "" || len(pop.Matches) != 0 {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
	if n := w.sj.Requests("FINDPARTIES") + w.sj.Requests("FINDCASES"); n != 0 {
		t.Errorf("%d ServiceJourney searches for an internal call", n)
	}
}
