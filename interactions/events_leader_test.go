package interactions

import (
	"context"
	"testing"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/internal/leader"
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

func startReplica(t *testing.T, w *world, client *fake.Clientset, id string) *replica {
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
	e, err := leader.New(leader.Options{Mode: leader.ModeKubernetes, Client: client, Namespace: "dcm", Identity: id,
		LeaseDuration: leader.ShortLeaseDuration, RenewDeadline: leader.ShortRenewDeadline, RetryPeriod: leader.ShortRetryPeriod, Registerer: w.reg})
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
	// The election only gets, creates and updates a Lease: the simple clientset
	// does that without NewClientset's server-side-apply schema, which takes
	// seconds of CPU to parse under the race detector.
	client := fake.NewSimpleClientset()
	// Lease traffic, to wait on events rather than a time window: once a
	// leads it renews by Update alone, so a Get of the lease is the standby
	// asking for it.
	gets, renewals := make(chan struct{}, 1000), make(chan struct{}, 1000)
	client.PrependReactor("get", "leases", func(k8stesting.Action) (bool, runtime.Object, error) {
		select {
		case gets <- struct{}{}:
		default:
		}
		return false, nil, nil
	})
	client.PrependReactor("update", "leases", func(act k8stesting.Action) (bool, runtime.Object, error) {
		if l, ok := act.(k8stesting.UpdateAction).GetObject().(*coordinationv1.Lease); ok && l.Spec.HolderIdentity != nil && *l.Spec.HolderIdentity == "pod-a" {
			select {
			case renewals <- struct{}{}:
			default:
			}
		}
		return false, nil, nil
	})
	a := startReplica(t, w, client, "pod-a")
	select {
	case <-a.backfills:
	case <-time.After(10 * time.Second):
		t.Fatal("the first replica did not start listening")
	}
	for len(gets) > 0 { // a's own Get before it created the lease
		<-gets
	}
	b := startReplica(t, w, client, "pod-b")
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
	// The standby asks for the lease four times (so three answers have been
	// refused and acted on) and the leader renews it three times meanwhile:
	// the standby still holds no channel.
	deadline := time.After(10 * time.Second)
	for _, ev := range []struct {
		ch   chan struct{}
		n    int
		what string
	}{{gets, 4, "the standby asked for the lease"}, {renewals, 3, "the leader renewed its lease"}} {
		for i := range ev.n {
			select {
			case <-ev.ch:
			case <-b.backfills:
				t.Fatal("the standby started listening while the leader renews its lease")
			case <-deadline:
				t.Fatalf("%s only %d times in 10s; want %d", ev.what, i, ev.n)
			}
		}
	}
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
	stopped := time.Now()
	a.cancel()
	<-a.done
	select {
	case sum := <-b.backfills:
		if d := time.Since(stopped); d > 30*time.Second {
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
