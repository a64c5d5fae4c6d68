package leader

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"dcmconnect/internal/clock"
	"dcmconnect/internal/leader/leasetest"
)

const ns, leaseName = "dcm", "dcmconnect-events"

var t0 = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

// world is a fake API server and a fake clock shared by the candidates.
type world struct {
	t   *testing.T
	srv *leasetest.Server
	clk *clock.Fake
	// active counts candidates running work, from inside work itself;
	// maxActive is its highest value.
	active, maxActive atomic.Int32
	terms             atomic.Int32 // times work started
	// live is the number of candidates whose loop runs: each waits on one
	// timer when nothing else is under way.
	live atomic.Int32
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, srv: leasetest.NewServerT(t), clk: clock.NewFake(t0)}
	t.Cleanup(func() {
		if m := w.maxActive.Load(); m > 1 {
			t.Errorf("%d candidates ran work at once", m)
		}
	})
	return w
}

type candidate struct {
	id     string
	e      *Elector
	leads  chan time.Time // fake time when work started
	stops  chan string    // the lease's holder on the server when work saw its end
	cut    *atomic.Bool   // the network to the API server is down
	gate   *atomic.Pointer[chan chan struct{}]
	cancel context.CancelFunc
	done   chan struct{}
}

// cutTransport fails every request while cut is set: a replica cut off
// from the API server. While gate is set, an update is held until the
// test closes the channel it hands to gate.
type cutTransport struct {
	rt   http.RoundTripper
	cut  *atomic.Bool
	gate *atomic.Pointer[chan chan struct{}]
}

func (c cutTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.cut.Load() {
		return nil, errors.New("test: network cut")
	}
	if g := c.gate.Load(); g != nil && r.Method == http.MethodPut {
		release := make(chan struct{})
		*g <- release
		<-release
	}
	return c.rt.RoundTrip(r)
}

// start runs a candidate with the default timings on the world's clock.
func (w *world) start(id string) *candidate {
	w.t.Helper()
	cfg := w.srv.Config()
	cut, gate := new(atomic.Bool), new(atomic.Pointer[chan chan struct{}])
	cfg.WrapTransport = func(rt http.RoundTripper) http.RoundTripper { return cutTransport{rt, cut, gate} }
	// A registry each, as each replica has its own /metrics.
	e, err := New(Options{Mode: ModeKubernetes, Kubernetes: cfg, Namespace: ns, Identity: id, Clock: w.clk})
	if err != nil {
		w.t.Fatal(err)
	}
	c := &candidate{id: id, e: e, leads: make(chan time.Time, 100), stops: make(chan string, 100), cut: cut, gate: gate, done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	w.live.Add(1)
	go func() {
		defer close(c.done)
		defer w.live.Add(-1)
		_ = e.Run(ctx, func(lctx context.Context) {
			w.terms.Add(1)
			n := w.active.Add(1)
			defer w.active.Add(-1)
			for m := w.maxActive.Load(); n > m && !w.maxActive.CompareAndSwap(m, n); m = w.maxActive.Load() {
			}
			select { // the contention test leads too often to read them all
			case c.leads <- w.clk.Now():
			default:
			}
			<-lctx.Done()
			l, _ := w.srv.Lease(ns, leaseName)
			holder := ""
			if l != nil && l.Spec.HolderIdentity != nil {
				holder = *l.Spec.HolderIdentity
			}
			select {
			case c.stops <- holder:
			default:
			}
		})
	}()
	w.t.Cleanup(func() { cancel(); <-c.done })
	return c
}

// stop ends c cleanly (it releases the Lease) and waits for it.
func (w *world) stop(c *candidate) {
	c.cancel()
	<-c.done
}

// crash ends c as a killed process does: no release.
func (w *world) crash(c *candidate) {
	c.e.noRelease = true // read by c's loop only after its ctx ends
	w.stop(c)
}

// crashedLeader starts id, lets it lead, then crashes it: the lease still
// names id until it expires.
func (w *world) crashedLeader(id string) {
	w.t.Helper()
	x := w.start(id)
	w.quiet()
	<-x.leads
	w.crash(x)
}

// quiet waits until every candidate is blocked on its timer.
func (w *world) quiet() {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := w.clk.Wait(ctx, int(w.live.Load())); err != nil {
		w.t.Fatalf("the candidates did not settle: %v", err)
	}
}

// step waits until all candidates wait, then moves the clock to the next
// timer; it returns the fake time elapsed since t0.
func (w *world) step() time.Duration {
	w.t.Helper()
	w.quiet()
	w.clk.AdvanceToNext()
	w.quiet()
	return w.clk.Now().Sub(t0)
}

func (w *world) lease() (holder string, transitions, seconds int32, acquired, renewed time.Time) {
	w.t.Helper()
	l, ok := w.srv.Lease(ns, leaseName)
	if !ok {
		w.t.Fatal("no lease on the server")
	}
	s := l.Spec
	if s.HolderIdentity == nil || s.LeaseTransitions == nil || s.LeaseDurationSeconds == nil || s.AcquireTime == nil || s.RenewTime == nil {
		w.t.Fatalf("lease spec has unset fields: %+v", s)
	}
	return *s.HolderIdentity, *s.LeaseTransitions, *s.LeaseDurationSeconds, s.AcquireTime.Time, s.RenewTime.Time
}

// leads reports whether c leads; when it does, it waits for c's work to
// start (the loop marks itself leading before work's goroutine runs).
func leads(c *candidate) bool {
	if !c.e.Leading() {
		return false
	}
	select {
	case <-c.leads:
		return true
	case <-time.After(10 * time.Second):
		panic(c.id + " leads but its work did not start within 10s")
	}
}

func TestOneLeaderAndTakeover(t *testing.T) {
	w := newWorld(t)
	a := w.start("pod-a")
	w.quiet()
	if at := <-a.leads; !at.Equal(t0) || !a.e.Leading() {
		t.Fatalf("the first candidate leads at %v (leading %v); want at once", at, a.e.Leading())
	}
	if h, tr, sec, acq, ren := w.lease(); h != "pod-a" || tr != 0 || sec != 15 || !acq.Equal(t0) || !ren.Equal(t0) {
		t.Fatalf("created lease: holder %q, transitions %d, %d s, acquired %v, renewed %v", h, tr, sec, acq, ren)
	}
	// b starts between a's renewals and stands by while a renews, over
	// three lease durations.
	w.clk.Advance(time.Second)
	b := w.start("pod-b")
	for w.clk.Now().Sub(t0) < 3*DefaultLeaseDuration {
		w.step()
		if leads(b) || b.e.Leading() {
			t.Fatalf("two leaders at %v", w.clk.Now().Sub(t0))
		}
	}
	if !a.e.Leading() || b.e.Leader() != "pod-a" || a.e.Leader() != "pod-a" {
		t.Fatalf("a leading %v, b sees leader %q, a sees %q", a.e.Leading(), b.e.Leader(), a.e.Leader())
	}
	h, tr, _, acq, ren := w.lease()
	if h != "pod-a" || tr != 0 || !acq.Equal(t0) || w.clk.Now().Sub(ren) >= DefaultRetryPeriod {
		t.Fatalf("renewed lease: holder %q, transitions %d, acquired %v, renewed %v at %v", h, tr, acq, ren, w.clk.Now())
	}
	if g := testutil.ToFloat64(a.e.gauge); g != 1 {
		t.Fatalf("dcmconnect_leader = %v on the leader", g)
	}

	// A clean stop: a's work ends while it still holds the lease, then a
	// releases it and b takes over at its next try.
	w.quiet()
	stopped := w.clk.Now()
	w.stop(a)
	if holder := <-a.stops; holder != "pod-a" {
		t.Fatalf("a's work ended after the lease went to %q; want it ended first", holder)
	}
	if h, _, sec, _, _ := w.lease(); h != "" || sec != 1 || a.e.Leading() {
		t.Fatalf("after a clean stop the lease names %q for %d s; want released (no holder, 1 s)", h, sec)
	}
	for !leads(b) {
		if w.step(); w.clk.Now().Sub(stopped) > DefaultRetryPeriod {
			t.Fatalf("the standby did not take over within the retry period of the release (%v)", w.clk.Now().Sub(stopped))
		}
	}
	if !b.e.Leading() || b.e.Leader() != "pod-b" {
		t.Fatal("leadership did not move")
	}
	if h, tr, sec, acq, ren := w.lease(); h != "pod-b" || tr != 1 || sec != 15 || !acq.Equal(w.clk.Now()) || !ren.Equal(acq) {
		t.Fatalf("taken-over lease: holder %q, transitions %d, %d s, acquired %v, renewed %v at %v", h, tr, sec, acq, ren, w.clk.Now())
	}
	if ga, gb := testutil.ToFloat64(a.e.gauge), testutil.ToFloat64(b.e.gauge); ga != 0 || gb != 1 {
		t.Fatalf("dcmconnect_leader = %v on a, %v on b after the takeover; want 0, 1", ga, gb)
	}
}

func TestAStandbyTakesOverACrashedLeaderOnlyAfterTheLeaseDuration(t *testing.T) {
	w := newWorld(t)
	a := w.start("pod-a")
	w.quiet()
	<-a.leads
	w.clk.Advance(time.Second)
	b := w.start("pod-b")
	for range 5 {
		w.step()
	}
	// Crash a right after it renewed.
	for _, _, _, _, ren := w.lease(); !ren.Equal(w.clk.Now()); _, _, _, _, ren = w.lease() {
		w.step()
	}
	last := w.clk.Now()
	w.crash(a)
	if h, _, _, _, _ := w.lease(); h != "pod-a" {
		t.Fatalf("a crashed lease names %q; want still pod-a", h)
	}
	for !leads(b) {
		w.step()
		if w.clk.Now().Sub(last) > DefaultLeaseDuration+2*DefaultRetryPeriod {
			t.Fatalf("no takeover %v after the last renewal", w.clk.Now().Sub(last))
		}
	}
	// The first missed renewal was one retry period after the last one.
	took := w.clk.Now().Sub(last)
	if took < DefaultLeaseDuration || took-DefaultRetryPeriod > DefaultLeaseDuration+DefaultRetryPeriod {
		t.Fatalf("takeover %v after the last renewal; want from the lease duration to it plus two retry periods", took)
	}
	t.Logf("takeover %v (fake) after the crashed leader's last renewal", took)
	if h, tr, _, _, _ := w.lease(); h != "pod-b" || tr != 1 {
		t.Fatalf("lease holder %q, transitions %d", h, tr)
	}
}

func TestALeaderThatCannotRenewStepsDownAtTheRenewDeadline(t *testing.T) {
	w := newWorld(t)
	a := w.start("pod-a")
	w.quiet()
	<-a.leads
	w.step()
	_, _, _, _, renewed := w.lease()
	w.srv.Fail(leasetest.OpUpdate, leasetest.Fault{Status: http.StatusInternalServerError}, 0)
	for w.clk.Now().Sub(renewed) < DefaultRenewDeadline {
		if !a.e.Leading() || testutil.ToFloat64(a.e.gauge) != 1 {
			t.Fatalf("stepped down %v after the last renewal; the deadline is %v", w.clk.Now().Sub(renewed), DefaultRenewDeadline)
		}
		w.step()
	}
	if w.clk.Now().Sub(renewed) != DefaultRenewDeadline {
		t.Fatalf("the leader looked at its deadline only at %v", w.clk.Now().Sub(renewed))
	}
	select {
	case <-a.stops: // work's context ended
	default:
		t.Fatal("work still runs past the renew deadline")
	}
	if a.e.Leading() || testutil.ToFloat64(a.e.gauge) != 0 {
		t.Fatal("still leading past the renew deadline")
	}
	if n := testutil.ToFloat64(a.e.calls.WithLabelValues("update", "error")); n != 5 {
		// Every 2 s of 10, the one due at the deadline not sent, and the
		// try to lead again at once after stepping down.
		t.Fatalf("failed updates counted %v; want 4 renewals and 1 try to lead again", n)
	}
	// The API answers again: nobody else took the lease, a leads again.
	w.srv.ClearFaults()
	w.step()
	if !leads(a) || !a.e.Leading() {
		t.Fatal("a did not lead again once renewals work")
	}
	if h, tr, _, acq, _ := w.lease(); h != "pod-a" || tr != 0 || !acq.Equal(t0) {
		t.Fatalf("lease holder %q, transitions %d, acquired %v; want pod-a's own term going on", h, tr, acq)
	}
}

func TestAConflictOnUpdateIsNoLeadership(t *testing.T) {
	w := newWorld(t)
	w.crashedLeader("pod-x")
	c := w.start("pod-c")
	w.quiet()
	if c.e.Leading() || c.e.Leader() != "pod-x" {
		t.Fatalf("c leading %v, sees %q; want a standby behind pod-x", c.e.Leading(), c.e.Leader())
	}
	// The lease expires on c's clock; another writer wins c's update.
	w.srv.Fail(leasetest.OpUpdate, leasetest.Fault{Status: http.StatusConflict}, 1)
	for w.srv.Requests(leasetest.OpUpdate) < 1 {
		w.step()
	}
	if leads(c) || c.e.Leading() {
		t.Fatal("c leads although its update was refused with a conflict")
	}
	if h, _, _, _, _ := w.lease(); h != "pod-x" {
		t.Fatalf("lease names %q", h)
	}
	if n := testutil.ToFloat64(c.e.calls.WithLabelValues("update", "conflict")); n != 1 {
		t.Fatalf("conflicts counted %v", n)
	}
	w.step()
	if !leads(c) {
		t.Fatal("c did not acquire the expired lease on its next try")
	}
}

func TestOfTwoThatUpdateTheSameVersionOneLeads(t *testing.T) {
	w := newWorld(t)
	w.crashedLeader("pod-x")
	c, d := w.start("pod-c"), w.start("pod-d") // same instant: they try together
	held := make(chan chan struct{}, 2)
	c.gate.Store(&held)
	d.gate.Store(&held)
	w.quiet()
	// Both read the expired version, then both updates wait in the gate:
	// let them go together.
	w.clk.Advance(DefaultLeaseDuration)
	releases := []chan struct{}{<-held, <-held}
	c.gate.Store(nil)
	d.gate.Store(nil)
	for _, r := range releases {
		close(r)
	}
	w.quiet()
	if c.e.Leading() == d.e.Leading() || w.srv.Conflicts() != 1 {
		t.Fatalf("c leads %v, d leads %v, %d conflicts; want one leader and one conflict", c.e.Leading(), d.e.Leading(), w.srv.Conflicts())
	}
	winner, loser := c, d
	if d.e.Leading() {
		winner, loser = d, c
	}
	w.step() // the loser reads the lease again at its next try
	if h, tr, _, _, _ := w.lease(); h != winner.id || tr != 1 || loser.e.Leader() != winner.id || loser.e.Leading() {
		t.Fatalf("lease holder %q, transitions %d, the loser sees %q; want %s", h, tr, loser.e.Leader(), winner.id)
	}
}

// TestOneLeaderAtATimeUnderContention runs four candidates through crashes,
// clean stops, restarts and cut networks at random on one fake clock: at
// no moment do two run work, a leader is the one the lease names, and
// with the network whole someone leads within a lease window.
func TestOneLeaderAtATimeUnderContention(t *testing.T) {
	w := newWorld(t)
	// Four slots: a crashed or stopped candidate is replaced by a new pod
	// (a new name), as a Deployment does.
	ids := []string{"pod-a", "pod-b", "pod-c", "pod-d"}
	cands, pods := map[string]*candidate{}, 0
	startOne := func(slot string) {
		pods++
		cands[slot] = w.start(fmt.Sprintf("%s-%d", slot, pods))
	}
	for i, id := range ids {
		if i == 2 { // two pairs half a retry period apart: some try together
			w.clk.Advance(DefaultRetryPeriod / 2)
		}
		startOne(id)
	}
	rnd := uint64(19)
	next := func(n int) int { // xorshift: the same schedule on every run
		rnd ^= rnd << 13
		rnd ^= rnd >> 7
		rnd ^= rnd << 17
		return int(rnd % uint64(n))
	}
	const rounds, whole = 300, 250 // from round whole on, nothing fails
	leaderships, lastLeader := 0, ""
	for round := range rounds {
		w.step()
		leader, leaderSlot := "", ""
		for slot, c := range cands {
			if c.e.Leading() {
				if leader != "" {
					t.Fatalf("round %d at %v: %s and %s lead", round, w.clk.Now().Sub(t0), leader, c.id)
				}
				leader, leaderSlot = c.id, slot
				if h, _, _, _, _ := w.lease(); h != c.id {
					t.Fatalf("round %d: %s leads but the lease names %q", round, c.id, h)
				}
			}
		}
		if w.maxActive.Load() > 1 {
			t.Fatalf("round %d at %v: %d candidates ran work at once", round, w.clk.Now().Sub(t0), w.maxActive.Load())
		}
		if leader != "" && leader != lastLeader {
			leaderships, lastLeader = leaderships+1, leader
		}
		if round == whole-1 {
			for _, c := range cands {
				c.cut.Store(false)
			}
		}
		if round >= whole-1 {
			continue
		}
		// Now and then the leader (else anyone) crashes, stops, restarts or
		// loses the network.
		id := ids[next(len(ids))]
		if leader != "" && next(2) == 0 {
			id = leaderSlot
		}
		switch next(8) {
		case 0:
			w.crash(cands[id])
			startOne(id)
		case 1:
			w.stop(cands[id])
			startOne(id)
		case 2:
			cands[id].cut.Store(!cands[id].cut.Load())
		}
	}
	leaders := 0
	for _, c := range cands {
		if c.e.Leading() {
			leaders++
		}
	}
	if leaders != 1 {
		t.Fatalf("%d leaders after %d rounds with the network whole; want 1", leaders, rounds-whole)
	}
	// Conflicts here depend on how the tries of one instant interleave in
	// real time; TestOfTwoThatUpdateTheSameVersionOneLeads makes one.
	if leaderships < 10 || w.terms.Load() < 15 {
		t.Fatalf("leadership moved %d times in %d terms: the schedule did not contend", leaderships, w.terms.Load())
	}
	t.Logf("%v of fake time, %d pods, leadership moved %d times in %d terms, %d conflicts", w.clk.Now().Sub(t0), pods, leaderships, w.terms.Load(), w.srv.Conflicts())
}

func TestInProcessRunsAtOnce(t *testing.T) {
	e, err := New(Options{Mode: "InProcess", Identity: "here"})
	if err != nil {
		t.Fatal(err)
	}
	ran := false
	if err := e.Run(context.Background(), func(context.Context) { ran = e.Leading() && e.Leader() == "here" }); err != nil || !ran {
		t.Fatalf("in-process work ran %v, leading then; err %v", ran, err)
	}
	if e.Leading() {
		t.Fatal("still leading after work returned")
	}
}

func TestBadOptionsNameTheFix(t *testing.T) {
	for _, c := range []struct {
		o    Options
		want string
	}{
		{Options{Mode: "zookeeper", Identity: "x"}, "events.leader.mode"},
		{Options{Identity: "x", LeaseDuration: 10 * time.Second}, "renew deadline 10s must be shorter than the lease duration"},
		{Options{Identity: "x", LeaseDuration: 10900 * time.Millisecond}, "(whole seconds)"},
		{Options{Identity: "x", RetryPeriod: 10 * time.Second}, "retry period 10s must be shorter than the renew deadline"},
	} {
		if _, err := New(c.o); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v; want an error with %q", c.o, err, c.want)
		}
	}
}
