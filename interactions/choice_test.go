package interactions

import (
	"context"
	"errors"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// customerAttrs is the customer participant's data as Genesys holds it now.
func customerAttrs(t *testing.T, w *world, id string) map[string]string {
	t.Helper()
	conv, err := w.gc.Conversations.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return CustomerParticipant(conv).Attributes
}

func record(t *testing.T, w *world, id string) appbasetest.Interaction {
	t.Helper()
	rec, ok := w.sj.Interaction(id)
	if !ok {
		t.Fatalf("no interaction record for %s", id)
	}
	return rec
}

// "Not this customer" after the pop's party was logged and written to the
// conversation: the participant data loses the party at once, the next log
// (naming the case the agent chose instead) empties PARTYID with the clear
// marker, sent once; the agent after a transfer pops the case. Both
// profiles run the same contract.
func TestNotThisCustomerClearsWhatItRejected(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for profile, svc := range searchServices(t, w) {
		t.Run(profile, func(t *testing.T) {
			id := "c-forget-" + profile
			w.g.AddConversation(inbound(id, annID, aliceNum, nil, time.Now().UTC().Add(-time.Minute)))
			pop, err := svc.ScreenPop(ctx, id, annID)
			if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-1" {
				t.Fatalf("pop: %+v, %v", pop, err)
			}
			// The page logs the pop's party at connect, as it does for one match.
			if res, err := svc.LogInteraction(ctx, id, EventConnect, annID, RecordIDs{PartyID: "P-1"}); err != nil || !res.ContextWritten {
				t.Fatalf("connect: %+v, %v", res, err)
			}
			if rec := record(t, w, id); rec.PartyID != "P-1" {
				t.Fatalf("record party %q after connect; want P-1", rec.PartyID)
			}
			patches := w.g.Requests(patchAttrsRoute)

			if err := svc.ForgetRecord(ctx, id, annID); err != nil {
				t.Fatal(err)
			}
			if got, ok := customerAttrs(t, w, id)["PartyId"]; !ok || got != "" {
				t.Errorf("participant PartyId = %q (present %v) after not this customer; want emptied", got, ok)
			}
			if n := w.g.Requests(patchAttrsRoute) - patches; n != 1 {
				t.Errorf("%d attribute writes for not this customer; want 1", n)
			}
			// Said twice: nothing more to empty, nothing written.
			if err := svc.ForgetRecord(ctx, id, annID); err != nil {
				t.Fatal(err)
			}
			if n := w.g.Requests(patchAttrsRoute) - patches; n != 1 {
				t.Errorf("%d attribute writes after saying it twice; want still 1", n)
			}

			res, err := svc.Search(ctx, annID, SearchQuery{ConversationID: id, Kind: SearchCase, Text: "CASE-0001"})
			if err != nil || len(res.Matches) != 1 {
				t.Fatalf("search: %+v, %v", res, err)
			}
			if _, err := svc.LogInteraction(ctx, id, EventConnect, annID, RecordIDs{CaseID: res.Matches[0].ID}); err != nil {
				t.Fatal(err)
			}
			rec := record(t, w, id)
			if rec.PartyID != "" || rec.CaseID != "1" || rec.Clears != 1 {
				t.Errorf("record party %q case %q, %d clearing writes; want no party, case 1, 1", rec.PartyID, rec.CaseID, rec.Clears)
			}
			if a := customerAttrs(t, w, id); a["PartyId"] != "" || a["CaseId"] != "CASE-0001" {
				t.Errorf("participant data %v; want PartyId empty and CaseId CASE-0001", a)
			}
			// Later writes keep the case and send no marker again.
			if _, err := svc.LogInteraction(ctx, id, EventDisconnect, annID, RecordIDs{}); err != nil {
				t.Fatal(err)
			}
			if rec := record(t, w, id); rec.Clears != 1 || rec.CaseID != "1" || rec.PartyID != "" {
				t.Errorf("after disconnect: party %q case %q, %d clearing writes; want no party, case 1, still 1", rec.PartyID, rec.CaseID, rec.Clears)
			}

			// The next agent after a transfer gets the case, not the rejected party.
			transferTo(t, w, id, annID, benID, time.Now().UTC())
			pop, err = svc.ScreenPop(ctx, id, benID)
			if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].Kind != "case" || pop.Matches[0].ID != "1" {
				t.Fatalf("second agent's pop: %+v, %v", pop, err)
			}
		})
	}
}

// Nothing chosen after "not this customer": no lookup by the caller's
// number links the rejected party again (the sync job finds the same
// single party by the number), nor does the page's next log.
func TestNotThisCustomerIsNotUndoneByTheSync(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, T.Add(-10*time.Minute)))
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ForgetRecord(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	w.update(t, convOne, func(c *genesystest.Conversation) { end(c, T.Add(-5*time.Minute)); wrapUp(c, resolved, "") })
	sum := mustRun(t, w.syncer(t, w.svc, &clock{t: T}, nil), time.Hour)
	if rec := record(t, w, convOne); rec.PartyID != "" || rec.WrapupCode != resolved {
		t.Fatalf("the sync wrote party %q, wrap-up %q; want no party (rejected) and the wrap-up (%s)", rec.PartyID, rec.WrapupCode, sum)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventWrapup, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec := record(t, w, convOne); rec.PartyID != "" {
		t.Errorf("after the wrap-up log: party %q; want none", rec.PartyID)
	}
}

// Failures lose nothing: a log that fails after "not this customer" leaves
// the marker for the next one; a participant-data write that fails is an
// error the page shows, and saying it again empties the data.
func TestNotThisCustomerFailuresAreRetried(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, time.Now().UTC().Add(-time.Minute)))
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{PartyID: "P-1"}); err != nil {
		t.Fatal(err)
	}

	w.g.Fault(patchAttrsRoute, genesystest.Fault{Status: 503, Times: 1})
	var ue *UpstreamError
	if err := w.svc.ForgetRecord(ctx, convOne, annID); !errors.As(err, &ue) || ue.System != SystemGenesys {
		t.Fatalf("participant data write failed: %v; want an UpstreamError naming Genesys", err)
	}
	if got := customerAttrs(t, w, convOne)["PartyId"]; got != "P-1" {
		t.Fatalf("PartyId %q after the failed write; the fake should still hold P-1", got)
	}
	if err := w.svc.ForgetRecord(ctx, convOne, annID); err != nil {
		t.Fatalf("saying it again: %v", err)
	}
	if got := customerAttrs(t, w, convOne)["PartyId"]; got != "" {
		t.Errorf("PartyId %q after saying it again; want emptied", got)
	}

	w.sj.Fault(appbase.OpUpsertInteraction, appbasetest.Fault{Drop: true, Times: 1})
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err == nil {
		t.Fatal("a dropped upsert did not fail the log")
	}
	if rec := record(t, w, convOne); rec.PartyID != "P-1" {
		t.Fatalf("record party %q after the failed write; want still P-1", rec.PartyID)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec := record(t, w, convOne); rec.PartyID != "" || rec.Clears != 1 {
		t.Errorf("after the retried log: party %q, %d clearing writes; want none and 1", rec.PartyID, rec.Clears)
	}

	// Choosing the rejected party again is written again, to both systems.
	if res, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{PartyID: "P-1"}); err != nil || !res.ContextWritten {
		t.Fatalf("choosing P-1 again: %+v, %v", res, err)
	}
	if rec := record(t, w, convOne); rec.PartyID != "P-1" {
		t.Errorf("record party %q; want P-1 chosen again", rec.PartyID)
	}
	if got := customerAttrs(t, w, convOne)["PartyId"]; got != "P-1" {
		t.Errorf("PartyId %q; want P-1 chosen again", got)
	}
}

// The marker travels only when the same write has no new value for it.
func TestClearMarkersOnTheWire(t *testing.T) {
	p := appbase.Interaction{ConversationID: "c", PartyID: "P-2", ClearPartyID: true, ClearCaseID: true}.Params()
	if _, ok := p["CLEARPARTYID"]; ok || p["PARTYID"] != "P-2" || p["CLEARCASEID"] != "1" {
		t.Errorf("params %v; want PARTYID P-2 without CLEARPARTYID, and CLEARCASEID=1", p)
	}
}

// The event listener follows the agent: after "not this customer" its next
// write names no party (it had linked the caller's number to P-1) and
// carries the clear marker the page's log would have; the write after
// that carries none.
func TestEventsFollowNotThisCustomer(t *testing.T) {
	w := newWorld(t)
	r := startEvents(t, w, nil)
	ctx := context.Background()
	conv := w.g.ConnectCall(genesystest.InboundCall{From: aliceNum, To: "+18005550100", QueueID: supportQ, AgentID: annID})
	r.until(t, conv.ID, func(in appbase.Interaction) bool { return in.PartyID == "P-1" })
	if _, err := w.svc.ScreenPop(ctx, conv.ID, annID); err != nil {
		t.Fatal(err)
	}
	if err := w.svc.ForgetRecord(ctx, conv.ID, annID); err != nil {
		t.Fatal(err)
	}
	if err := w.g.DisconnectCall(conv.ID); err != nil {
		t.Fatal(err)
	}
	wr := r.until(t, conv.ID, func(in appbase.Interaction) bool { return !in.End.IsZero() })
	if wr.in.PartyID != "" || !wr.in.ClearPartyID {
		t.Fatalf("write after not this customer: party %q, clear marker %v; want no party and the marker", wr.in.PartyID, wr.in.ClearPartyID)
	}
	if err := w.g.WrapUpCall(conv.ID, annID, resolved, ""); err != nil {
		t.Fatal(err)
	}
	wr = r.until(t, conv.ID, func(in appbase.Interaction) bool { return in.WrapupCode == resolved })
	if wr.in.PartyID != "" || wr.in.ClearPartyID {
		t.Errorf("the write after: party %q, clear marker %v; want neither", wr.in.PartyID, wr.in.ClearPartyID)
	}
	if rec := record(t, w, conv.ID); rec.PartyID != "" || rec.Clears != 1 {
		t.Errorf("record party %q, %d clearing writes; want none and 1", rec.PartyID, rec.Clears)
	}
}
