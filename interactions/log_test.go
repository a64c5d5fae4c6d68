package interactions

import (
	"context"
	"errors"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

// connect, disconnect and wrap-up build one record; each write completes
// it and none wipes what an earlier one wrote.
func TestLogInteractionLifecycle(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Millisecond)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, t0))
	ctx := context.Background()
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}

	res, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.RecordID == "" || !res.AgentMapped || res.Ended || !res.WrapupPending || res.PartyID != "P-1" {
		t.Fatalf("connect: %+v", res)
	}
	rec, _ := w.sj.Interaction(convOne)
	if rec.Direction != "inbound" || rec.MediaType != "voice" || rec.ANI != aliceNum || rec.DNIS != "+18005550100" ||
		rec.QueueID != supportQ || rec.QueueName != "Support" || rec.AgentUserID != "101" || !rec.Start.Equal(t0) ||
		!rec.End.IsZero() || rec.PartyID != "P-1" || rec.WrapupCode != "" {
		t.Fatalf("after connect: %+v", rec)
	}

	tEnd := t0.Add(5 * time.Minute)
	if err := w.g.UpdateConversation(convOne, func(c *genesystest.Conversation) { end(c, tEnd) }); err != nil {
		t.Fatal(err)
	}
	res, err = w.svc.LogInteraction(ctx, convOne, EventDisconnect, annID, RecordIDs{})
	if err != nil || res.Created || !res.Ended || !res.WrapupPending {
		t.Fatalf("disconnect: %+v, %v", res, err)
	}
	rec, _ = w.sj.Interaction(convOne)
	if !rec.End.Equal(tEnd) || rec.DurationSeconds != 300 || rec.QueueName != "Support" || rec.PartyID != "P-1" {
		t.Fatalf("after disconnect: %+v", rec)
	}

	if err := w.g.UpdateConversation(convOne, func(c *genesystest.Conversation) { wrapUp(c, resolved, "fixed it") }); err != nil {
		t.Fatal(err)
	}
	res, err = w.svc.LogInteraction(ctx, convOne, EventWrapup, annID, RecordIDs{})
	if err != nil || res.WrapupPending || res.WrapupCode != resolved || res.WrapupName != "Resolved" {
		t.Fatalf("wrapup: %+v, %v", res, err)
	}
	all := w.sj.Interactions()
	if len(all) != 1 {
		t.Fatalf("%d records, want 1", len(all))
	}
	rec = all[0]
	if rec.WrapupCode != resolved || rec.WrapupName != "Resolved" || rec.WrapupNotes != "fixed it" || rec.Writes != 3 ||
		rec.AgentUserID != "101" || rec.DurationSeconds != 300 || rec.ANI != aliceNum {
		t.Fatalf("final record: %+v", rec)
	}
}

// The record the agent picked on the page wins over the pop's guess.
func TestLogInteractionRecordsThePickedParty(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(inbound(convMany, annID, brownNum, nil, time.Now()))
	ctx := context.Background()
	if _, err := w.svc.ScreenPop(ctx, convMany, annID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LogInteraction(ctx, convMany, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convMany); rec.PartyID != "" {
		t.Fatalf("three matches must not pick one: %+v", rec)
	}
	if _, err := w.svc.LogInteraction(ctx, convMany, EventConnect, annID, RecordIDs{PartyID: "P-3"}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convMany); rec.PartyID != "P-3" {
		t.Fatalf("picked party not logged: %+v", rec)
	}
}

func TestLogInteractionUnmappedAgentStillLogs(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(inbound(convCarla, carlaID, aliceNum, nil, time.Now()))
	res, err := w.svc.LogInteraction(context.Background(), convCarla, EventConnect, carlaID, RecordIDs{})
	if err != nil || res.AgentMapped {
		t.Fatalf("unmapped: %+v, %v", res, err)
	}
	if rec, ok := w.sj.Interaction(convCarla); !ok || rec.AgentUserID != "" || rec.ANI != aliceNum {
		t.Fatalf("record: %+v %v", rec, ok)
	}
}

func TestLogInteractionErrors(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, time.Now()))
	ctx := context.Background()
	var ie *InputError
	if _, err := w.svc.LogInteraction(ctx, convOne, Event("hangup"), annID, RecordIDs{}); !errors.As(err, &ie) || ie.Field != "event" {
		t.Errorf("bad event: %v", err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, benID, RecordIDs{}); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("not a participant: %v", err)
	}
	if _, err := w.svc.LogInteraction(ctx, "gone", EventConnect, annID, RecordIDs{}); !errors.Is(err, ErrConversationGone) {
		t.Errorf("gone: %v", err)
	}
	w.sj.Fault("UPSERTINTERACTION", appbasetestFault())
	var ue *UpstreamError
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); !errors.As(err, &ue) || ue.System != SystemServiceJourney {
		t.Errorf("ServiceJourney down: %v", err)
	}
	if len(w.sj.Interactions()) != 0 {
		t.Errorf("a failed write left a record")
	}
}

func TestParseEvent(t *testing.T) {
	for in, want := range map[string]Event{"connect": EventConnect, " Disconnect ": EventDisconnect, "wrap-up": EventWrapup, "WRAPUP": EventWrapup} {
		if got, err := ParseEvent(in); err != nil || got != want {
			t.Errorf("ParseEvent(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseEvent("end"); err == nil {
		t.Error("ParseEvent(end) accepted")
	}
}
