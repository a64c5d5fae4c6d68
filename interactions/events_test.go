package interactions

import (
	"context"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// eventsRig runs an EventConsumer against the world's fakes and reports
// each write and backfill on channels.
type eventsRig struct {
	w         *world
	c         *EventConsumer
	writes    chan written
	backfills chan SyncSummary
	done      chan error
}

type written struct {
	in       appbase.Interaction
	received time.Time
	at       time.Time
}

func startEvents(t *testing.T, w *world, edit func(*EventOptions)) *eventsRig {
	t.Helper()
	s, err := NewSyncer(SyncOptions{Service: w.svc, Registerer: w.reg})
	if err != nil {
		t.Fatal(err)
	}
	o := EventOptions{Syncer: s, Topics: TopicsQueues, Registerer: w.reg,
		QueueIDs: func(context.Context) ([]string, error) { return []string{supportQ}, nil },
		Listener: genesys.ListenerOptions{ReconnectMin: 10 * time.Millisecond, ReconnectMax: 100 * time.Millisecond}}
	if edit != nil {
		edit(&o)
	}
	c, err := NewEventConsumer(o)
	if err != nil {
		t.Fatal(err)
	}
	r := &eventsRig{w: w, c: c, writes: make(chan written, 1000), backfills: make(chan SyncSummary, 100), done: make(chan error, 1)}
	c.onWrite = func(in appbase.Interaction, received time.Time) { r.writes <- written{in, received, time.Now()} }
	c.onBackfill = func(sum SyncSummary, err error) {
		if err != nil {
			t.Errorf("backfill: %v", err)
		}
		r.backfills <- sum
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { r.done <- c.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-r.done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	r.backfill(t) // the one every start does
	return r
}

func (r *eventsRig) backfill(t *testing.T) SyncSummary {
	t.Helper()
	select {
	case sum := <-r.backfills:
		return sum
	case <-time.After(10 * time.Second):
		t.Fatal("no backfill within 10s")
	}
	return SyncSummary{}
}

// until waits for a write of conversation id that satisfies ok.
func (r *eventsRig) until(t *testing.T, id string, ok func(appbase.Interaction) bool) written {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case wr := <-r.writes:
			if wr.in.ConversationID == id && ok(wr.in) {
				return wr
			}
		case <-deadline:
			t.Fatalf("no matching write for conversation %s within 5s", id)
		}
	}
}

func TestEventsLogACallWithNoPageOpen(t *testing.T) {
	w := newWorld(t)
	r := startEvents(t, w, nil)
	conv := w.g.ConnectCall(genesystest.InboundCall{From: aliceNum, To: "+18005550100", QueueID: supportQ, AgentID: annID})
	wr := r.until(t, conv.ID, func(in appbase.Interaction) bool { return in.AgentUserID == "101" })
	if wr.in.PartyID != "P-1" || wr.in.QueueName != "Support" || wr.in.Direction != "inbound" || wr.in.Start.IsZero() {
		t.Fatalf("connect record = %+v; want Alice's party, the queue name, inbound, a start", wr.in)
	}
	if err := w.g.TransferCall(conv.ID, benID); err != nil {
		t.Fatal(err)
	}
	r.until(t, conv.ID, func(in appbase.Interaction) bool { return in.AgentUserID == "102" })
	if err := w.g.WrapUpCall(conv.ID, annID, callback, "handed to Ben"); err != nil { // Ann's after-call work
		t.Fatal(err)
	}
	if err := w.g.DisconnectCall(conv.ID); err != nil {
		t.Fatal(err)
	}
	r.until(t, conv.ID, func(in appbase.Interaction) bool { return !in.End.IsZero() })
	sent := time.Now()
	if err := w.g.WrapUpCall(conv.ID, benID, resolved, "fixed"); err != nil {
		t.Fatal(err)
	}
	wr = r.until(t, conv.ID, func(in appbase.Interaction) bool { return in.WrapupCode == resolved })
	if d := wr.at.Sub(sent); d > 2*time.Second {
		t.Fatalf("final record %v after the wrap-up; want within 2s", d)
	}
	recs := records(t, w.sj)
	got := recs[conv.ID]
	if len(recs) != 1 || got.WrapupCode != resolved || got.WrapupName != "Resolved" || got.WrapupNotes != "fixed" ||
		got.AgentUserID != "102" || got.PartyID != "P-1" || got.End.IsZero() {
		t.Fatalf("ServiceJourney holds %d records; %+v", len(recs), got)
	}
}

func TestEventsBackfillAfterADroppedSocket(t *testing.T) {
	w := newWorld(t)
	r := startEvents(t, w, func(o *EventOptions) { o.Topics = TopicsUsers })
	call := func(agent string) string {
		return w.g.ConnectCall(genesystest.InboundCall{From: nobody, To: "+18005550100", QueueID: supportQ, AgentID: agent}).ID
	}
	finish := func(id, agent string) {
		t.Helper()
		if err := w.g.DisconnectCall(id); err != nil {
			t.Fatal(err)
		}
		if err := w.g.WrapUpCall(id, agent, resolved, "n "+id); err != nil {
			t.Fatal(err)
		}
	}
	final := func(in appbase.Interaction) bool { return in.WrapupCode == resolved }
	var ids []string
	for range 2 { // before the gap, by events
		id := call(annID)
		finish(id, annID)
		r.until(t, id, final)
		ids = append(ids, id)
	}
	during := call(benID) // connected by events, finished in the gap
	r.until(t, during, func(appbase.Interaction) bool { return true })
	ids = append(ids, during)

	w.g.SetNotificationFaults(genesystest.NotificationFaults{DropEvents: true})
	finish(during, benID)
	inGap := call(annID) // whole life in the gap
	finish(inGap, annID)
	ids = append(ids, inGap)
	w.g.DropSockets()
	w.g.SetNotificationFaults(genesystest.NotificationFaults{})

	sum := r.backfill(t)
	if sum.Final < 2 {
		t.Fatalf("backfill wrote %d final records; want the two finished in the gap (%+v)", sum.Final, sum)
	}
	after := call(benID)
	finish(after, benID)
	r.until(t, after, final)
	ids = append(ids, after)

	recs := records(t, w.sj) // fails on a doubled record
	if len(recs) != len(ids) {
		t.Fatalf("ServiceJourney holds %d records; want %d", len(recs), len(ids))
	}
	for _, id := range ids {
		if recs[id].WrapupCode != resolved || recs[id].End.IsZero() {
			t.Fatalf("record %s = %+v; want final with its wrap-up", id, recs[id])
		}
	}
	if st := r.c.Status(); !st.Running || st.Topics != 2 || st.Backfilled < 2 || st.Listener.Reconnects != 1 {
		t.Fatalf("status = %+v", st)
	}
}

func TestEventsFollowTheUserMap(t *testing.T) {
	w := newWorld(t)
	r := startEvents(t, w, func(o *EventOptions) { o.Topics = TopicsBoth; o.TopicRefresh = 20 * time.Millisecond })
	topics, err := r.c.Topics(context.Background())
	if err != nil || len(topics) != 3 {
		t.Fatalf("Topics = %v, %v; want the queue, Ann and Ben", topics, err)
	}
	// Carla gets mapped: her topic is subscribed without a restart.
	w.agents.Replace(usermapWithCarla())
	waitUntil(t, func() bool {
		for _, ch := range w.g.NotificationChannels() {
			for _, tp := range ch.Topics {
				if tp == genesys.UserConversationsTopic(carlaID) {
					return true
				}
			}
		}
		return false
	})
	if n := w.g.ChannelsCreated(); n != 1 {
		t.Fatalf("channels created = %d; want the topic added to the one channel", n)
	}
}

func TestEventOptionsNameTheFix(t *testing.T) {
	w := newWorld(t)
	s, _ := NewSyncer(SyncOptions{Service: w.svc, Registerer: w.reg})
	if _, err := NewEventConsumer(EventOptions{Syncer: s}); err == nil || !contains(err.Error(), "events.queueIds") {
		t.Fatalf("no queues: err = %v", err)
	}
	if _, err := ParseTopicMode("agents"); err == nil || !contains(err.Error(), "events.topics") {
		t.Fatalf("bad mode: err = %v", err)
	}
}

// waitUntil polls state in a fake (not an event order) up to a deadline.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// usermapWithCarla is the world's map with Carla mapped by e-mail too.
func usermapWithCarla() *usermap.Report {
	return usermap.Build(
		[]usermap.GenesysUser{{ID: annID, Name: "Ann Agent", Email: "ann@example.com"}, {ID: benID, Name: "Ben Agent", Email: "ben@example.com"},
			{ID: carlaID, Name: "Carla Newhire", Email: "carla@example.com"}},
		[]usermap.SJUser{{ID: "101", Login: "ann", Name: "Ann Agent", Email: "ann.sj@example.com", PureCloudUserID: annID},
			{ID: "102", Login: "ben", Name: "Ben Agent", Email: "ben@example.com"},
			{ID: "103", Login: "carla", Name: "Carla Newhire", Email: "carla@example.com"}})
}
