package interactions

import (
	"context"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	fakeclock "dcmconnect/internal/clock"
	"dcmconnect/internal/leader"
	"dcmconnect/internal/leader/leasetest"
)

// replica is one server process: an event consumer run under the election.
type replica struct {
	c         *EventConsumer
	e         *leader.Elector
	writes    chan string
	backfills chan SyncSummary
	cancel    context.CancelFunc
	done      chan struct{}
}

// election is the Kubernetes API (a fake) and the clock the replicas'
// elections share: the lease windows pass on the fake clock, moved by the
// test once both elections wait on it.
type election struct {
	api *leasetest.Server
	clk *fakeclock.Fake
}

func startReplica(t *testing.T, w *world, el election, id string) *replica {
	t.Helper()
	s, err := NewSyncer(SyncOptions{Service: w.svc, Registerer: w.reg})
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewEventConsumer(EventOptions{Syncer: s, Topics: TopicsUsers, Registerer: w.reg,
		Listener: genesys.ListenerOptions{ReconnectMin: 10 * time.Millisecond, ReconnectMax: 100 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	e, err := leader.New(leader.Options{Mode: leader.ModeKubernetes, Kubernetes: el.api.Config(), Namespace: "dcm", Identity: id,
		Clock: el.clk, Registerer: w.reg})
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{c: c, e: e, writes: make(chan string, 100), backfills: make(chan SyncSummary, 10), done: make(chan struct{})}
	c.onWrite = func(in appbase.Interaction, _ time.Time) {
		if in.WrapupCode != "" {
			r.writes <- in.ConversationID
		}
	}
	c.onBackfill = func(sum SyncSummary, _ error) { r.backfills <- sum }
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() {
		defer close(r.done)
		_ = e.Run(ctx, func(lctx context.Context) {
			if err := c.Run(lctx); err != nil {
				t.Errorf("replica %s: %v", id, err)
			}
		})
	}()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

func connectedChannels(g *genesystest.Server) int {
	n := 0
	for _, ch := range g.NotificationChannels() {
		if ch.Connected {
			n++
		}
	}
	return n
}

func TestOneReplicaListensAndAStandbyTakesOver(t *testing.T) {
	w := newWorld(t)
	el := election{api: leasetest.NewServerT(t), clk: fakeclock.NewFake(time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC))}
	// step waits until the elections wait on their timers, moves the clock
	// to the next one, and waits until they wait again.
	step := func(elections int) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for i := range 2 {
			if err := el.clk.Wait(ctx, elections); err != nil {
				t.Fatalf("the elections did not settle: %v", err)
			}
			if i == 0 {
				el.clk.AdvanceToNext()
			}
		}
	}
	a := startReplica(t, w, el, "pod-a")
	select {
	case <-a.backfills:
	case <-time.After(10 * time.Second):
		t.Fatal("the first replica did not start listening")
	}
	// b asks between a's renewals. Once a leads it renews by update alone,
	// so a get of the lease is the standby asking for it.
	el.clk.Advance(time.Second)
	gets0 := el.api.Requests(leasetest.OpGet)
	b := startReplica(t, w, el, "pod-b")
	finished := func(agent string) string {
		id := w.g.ConnectCall(genesystest.InboundCall{From: nobody, To: "+18005550100", QueueID: supportQ, AgentID: agent}).ID
		if err := w.g.DisconnectCall(id); err != nil {
			t.Fatal(err)
		}
		if err := w.g.WrapUpCall(id, agent, resolved, ""); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := finished(annID)
	select {
	case id := <-a.writes:
		if id != first {
			t.Fatalf("leader wrote %s; want %s", id, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the leader did not log the call")
	}
	// The standby asks for the lease (so its answers have been refused and
	// acted on) and the leader renews it, over twice the lease duration of
	// the election's clock: the standby still holds no channel.
	renewals0 := el.api.Requests(leasetest.OpUpdate)
	for start := el.clk.Now(); el.clk.Now().Sub(start) < 2*leader.DefaultLeaseDuration; {
		step(2)
		select {
		case <-b.backfills:
			t.Fatal("the standby started listening while the leader renews its lease")
		default:
		}
	}
	if gets, renewals := el.api.Requests(leasetest.OpGet)-gets0, el.api.Requests(leasetest.OpUpdate)-renewals0; gets < 15 || renewals < 15 {
		t.Fatalf("over 30 s the standby asked for the lease %d times and the leader renewed it %d times; want at least 15 each", gets, renewals)
	}
	step(2)
	select {
	case <-b.backfills:
		t.Fatal("the standby started listening while the leader renews its lease")
	default:
	}
	if n := connectedChannels(w.g); n != 1 || w.g.ChannelsCreated() != 1 || !a.e.Leading() || b.e.Leading() {
		t.Fatalf("connected channels %d, created %d, a leads %v, b leads %v; want one listener", n, w.g.ChannelsCreated(), a.e.Leading(), b.e.Leading())
	}

	// A call ends while the leader's events are lost, then the leader stops.
	w.g.SetNotificationFaults(genesystest.NotificationFaults{DropEvents: true})
	missed := finished(benID)
	w.g.SetNotificationFaults(genesystest.NotificationFaults{})
	stopped := el.clk.Now()
	a.cancel()
	<-a.done
	step(1) // b's next try finds the lease released
	if !b.e.Leading() {
		t.Fatalf("the standby did not take over at its next try after the release (%v)", el.clk.Now().Sub(stopped))
	}
	select {
	case sum := <-b.backfills:
		if d := el.clk.Now().Sub(stopped); d > 30*time.Second {
			t.Fatalf("takeover took %v", d)
		}
		if sum.Final < 1 {
			t.Fatalf("the standby's backfill wrote %d final records; want the missed call", sum.Final)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the standby did not take over within 30s")
	}
	if n := connectedChannels(w.g); n != 1 {
		t.Fatalf("connected channels after takeover = %d; want 1", n)
	}
	recs := records(t, w.sj)
	if len(recs) != 2 || recs[missed].WrapupCode != resolved || recs[first].WrapupCode != resolved {
		t.Fatalf("records = %+v; want both calls final, once each", recs)
	}
}
