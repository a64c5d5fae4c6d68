package interactions

import (
	"context"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

// videoCall is a video interaction (no call leg) with Ann: the customer
// shares a screen too.
func videoCall(id string, start time.Time, agentLeg genesystest.Media, agent func(*genesystest.Participant)) genesystest.Conversation {
	a := genesystest.Participant{Purpose: "agent", UserID: annID, QueueID: supportQ, StartTime: start,
		Videos: []genesystest.Media{agentLeg}}
	if agent != nil {
		agent(&a)
	}
	return genesystest.Conversation{ID: id, StartTime: start, Participants: []genesystest.Participant{
		{Purpose: "customer", Name: "Alice", Address: "alice@customer.example", StartTime: start,
			Videos: []genesystest.Media{{State: "connected"}}, Screenshares: []genesystest.Media{{State: "connected"}}},
		a,
	}}
}

// Legs of other media than calls and chats count: a video interaction is
// "video", ends when its video leg does, and its after-call work decides
// whether a wrap-up is still to come.
func TestLogUsesEveryMediaAndAfterCallWork(t *testing.T) {
	t0 := time.Now().UTC().Add(-10 * time.Minute).Truncate(time.Second)
	acwStart := t0.Add(4 * time.Minute)
	acwEnd := acwStart.Add(time.Minute)
	gone := t0.Add(4 * time.Minute)
	cases := []struct {
		name                string
		leg                 genesystest.Media
		agent               func(*genesystest.Participant)
		wantEnded, wantPend bool
	}{
		{name: "live video", leg: genesystest.Media{State: "connected"}, agent: func(p *genesystest.Participant) { p.WrapupRequired = true },
			wantEnded: false, wantPend: true},
		{name: "video over, after-call work pending", leg: genesystest.Media{State: "disconnected", DisconnectedTime: &gone,
			AfterCallWorkRequired: true, AfterCallWork: &genesystest.AfterCallWork{State: "pending", StartTime: &acwStart}},
			wantEnded: true, wantPend: true},
		{name: "after-call work complete without a code", leg: genesystest.Media{State: "disconnected", DisconnectedTime: &gone,
			AfterCallWorkRequired: true, AfterCallWork: &genesystest.AfterCallWork{State: "complete", StartTime: &acwStart, EndTime: &acwEnd}},
			agent: func(p *genesystest.Participant) { p.WrapupRequired = true }, wantEnded: true, wantPend: false},
		{name: "endAcwTime set on the participant", leg: genesystest.Media{State: "terminated", DisconnectedTime: &gone},
			agent: func(p *genesystest.Participant) {
				p.WrapupRequired, p.StartAcwTime, p.EndAcwTime = true, &acwStart, &acwEnd
			}, wantEnded: true, wantPend: false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			id := "c0000000-0000-4000-8000-00000000010" + string(rune('0'+i))
			w.g.AddConversation(videoCall(id, t0, tc.leg, tc.agent))
			res, err := w.svc.LogInteraction(context.Background(), id, EventDisconnect, annID, RecordIDs{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Ended != tc.wantEnded || res.WrapupPending != tc.wantPend {
				t.Fatalf("ended %v, wrapupPending %v; want %v, %v", res.Ended, res.WrapupPending, tc.wantEnded, tc.wantPend)
			}
			rec, _ := w.sj.Interaction(id)
			if rec.MediaType != "video" {
				t.Fatalf("media type %q, want video", rec.MediaType)
			}
		})
	}
}

// A cobrowse interaction is one: its media type, its end and its wrap-up.
func TestWrapupFromACobrowseLeg(t *testing.T) {
	w := newWorld(t)
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	id := "c0000000-0000-4000-8000-000000000201"
	w.g.AddConversation(genesystest.Conversation{ID: id, StartTime: t0, Participants: []genesystest.Participant{
		{Purpose: "customer", Name: "Alice", StartTime: t0, Cobrowsesessions: []genesystest.Media{{State: "disconnected"}}},
		{Purpose: "agent", UserID: annID, StartTime: t0, WrapupRequired: true,
			Cobrowsesessions: []genesystest.Media{{State: "disconnected"}}},
	}})
	if err := w.g.UpdateConversation(id, func(c *genesystest.Conversation) { wrapUp(c, resolved, "") }); err != nil {
		t.Fatal(err)
	}
	res, err := w.svc.LogInteraction(context.Background(), id, EventWrapup, annID, RecordIDs{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Ended || res.WrapupPending || res.WrapupCode != resolved {
		t.Fatalf("%+v", res)
	}
	if rec, _ := w.sj.Interaction(id); rec.MediaType != "cobrowse" {
		t.Fatalf("media type %q, want cobrowse", rec.MediaType)
	}
}
