package interactions

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/genesys/genesystest"
)

// window is one QueryWindow chunk a run reported through onWindow.
type window struct {
	lo, hi time.Time
	held   int
}

// backlog stores a watermark days×24h behind now-Lag (the default 2m), so a
// run works through exactly that many 24h windows; it returns the watermark.
func backlog(w *world, T time.Time, days int) time.Time {
	mark := T.Add(-2*time.Minute - time.Duration(days)*24*time.Hour)
	w.sj.SetSyncState("interactions", mark.Format(time.RFC3339))
	return mark
}

// A 3-day backlog is logged in three 24h windows, the state stored after
// each; ServiceJourney failing after the second store costs only the third
// window, which the next run logs. Every conversation is written once.
func TestSyncCatchUpStoresStateAfterEachWindow(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	mark := backlog(w, T, 3)
	day := 24 * time.Hour
	var ids []string
	for d := range 3 {
		for _, h := range []time.Duration{time.Hour, 13 * time.Hour} {
			id := fmt.Sprintf("w%d-%d", d+1, h/time.Hour)
			ids = append(ids, id)
			w.g.AddConversation(finished(id, annID, aliceNum, mark.Add(time.Duration(d)*day+h), 5*time.Minute, resolved))
		}
	}
	// Longer than the whole run: pending by id from window 1 on.
	w.g.AddConversation(inbound("open1", annID, aliceNum, nil, mark.Add(2*time.Hour)))

	var sets atomic.Int32
	var down atomic.Bool
	url := failingProxy(t, w.sj, func(r *http.Request) bool {
		if !strings.Contains(r.URL.Path, "SETSYNCSTATE") {
			return down.Load()
		}
		if down.Load() {
			sets.Add(1)
			return true
		}
		if sets.Add(1) == 2 {
			down.Store(true) // this store goes through; ServiceJourney dies after it
		}
		return false
	})
	clk := &clock{t: T}
	s := w.syncer(t, w.service(t, newAppBaseClient(t, w.sj.ClientOptions(), url)), clk, func(o *SyncOptions) {
		o.MaxOpenAge = 7 * day
		o.Overlap = -1 // windows exactly at the stored watermarks (the overlap has its own test)
	})
	var got []window
	s.onWindow = func(lo, hi time.Time, held int) {
		// Each window starts where the state stored after the one before ends.
		if st := storedState(t, w.sj); !st.Watermark.Equal(lo) {
			t.Errorf("window %d from %v: stored watermark %v", len(got)+1, lo, st.Watermark)
		}
		got = append(got, window{lo, hi, held})
	}

	sum, err := s.RunOnce(context.Background())
	var se *SyncError
	if !errors.As(err, &se) || se.Stage != "state" || sum.OK || sum.StateSaved {
		t.Fatalf("run 1 should stop when the state cannot be stored: %v\n%s", err, sum)
	}
	want := []window{{mark, mark.Add(day), 3}, {mark.Add(day), mark.Add(2 * day), 2}, {mark.Add(2 * day), T.Add(-2 * time.Minute), 2}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("windows %v, want %v", got, want)
	}
	if sets.Load() != 3 { // two stored, the third refused
		t.Errorf("%d SETSYNCSTATE calls, want 3", sets.Load())
	}
	st := storedState(t, w.sj)
	if !st.Watermark.Equal(mark.Add(2*day)) || len(st.Pending) != 1 || st.Pending["open1"].IsZero() {
		t.Fatalf("stored state after run 1: %+v", st)
	}
	if !sum.Watermark.Equal(st.Watermark) || !sum.From.Equal(mark) || !sum.To.Equal(T.Add(-2*time.Minute)) || sum.Windows != 3 || sum.Failed != 2 {
		t.Errorf("run 1 summary: %s", sum)
	}
	if !strings.Contains(sum.String(), "not stored") {
		t.Errorf("summary text: %s", sum)
	}
	recs := records(t, w.sj)
	if len(recs) != 4 {
		t.Fatalf("run 1 logged %d, want the 4 of windows 1 and 2", len(recs))
	}

	down.Store(false)
	sets.Store(-1000) // back for good
	w.update(t, "open1", func(c *genesystest.Conversation) { end(c, T.Add(-time.Hour)); wrapUp(c, resolved, "") })
	clk.Set(T.Add(5 * time.Minute))
	got = nil
	sum = mustRun(t, s, 0)
	if len(got) != 2 || got[0].held != 3 || got[1].held != 0 || !sum.From.Equal(mark.Add(2*day)) || sum.Final != 3 || sum.Pending != 0 {
		t.Fatalf("run 2: windows %v\n%s", got, sum)
	}
	recs = records(t, w.sj)
	for _, id := range append(ids, "open1") {
		if r, ok := recs[id]; !ok || r.Writes != 1 || r.WrapupName != "Resolved" {
			t.Errorf("%s: %+v (found %v), want written once, final", id, r, ok)
		}
	}
	if st := storedState(t, w.sj); !st.Watermark.Equal(T.Add(3*time.Minute)) || len(st.Pending) != 0 {
		t.Errorf("final state: %+v", st)
	}
}

// A run holds one window's conversations at a time, and MaxWindowsPerRun
// ends a long catch-up early; the next run goes on from the stored state.
func TestSyncHoldsOneWindowAndCapsWindowsPerRun(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	mark := backlog(w, T, 5)
	const perDay = 4
	for d := range 5 {
		for i := range perDay {
			start := mark.Add(time.Duration(d)*24*time.Hour + time.Duration(1+5*i)*time.Hour)
			w.g.AddConversation(finished(fmt.Sprintf("b%d-%d", d, i), benID, nobody, start, time.Minute, resolved))
		}
	}
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.MaxWindowsPerRun = 3 })
	held, most := 0, 0
	s.onWindow = func(_, _ time.Time, n int) { held += n; most = max(most, n) }

	sum := mustRun(t, s, 0)
	if most != perDay || held != 3*perDay || sum.Windows != 3 || !sum.More || sum.Conversations != 3*perDay {
		t.Fatalf("run 1: at most %d held, %d in all\n%s", most, held, sum)
	}
	if end := mark.Add(72 * time.Hour); !sum.To.Equal(end) || !storedState(t, w.sj).Watermark.Equal(end) || !strings.Contains(sum.String(), "more to catch up") {
		t.Fatalf("run 1 should end and store the state at the end of window 3: %s", sum)
	}
	clk.Set(T.Add(time.Minute))
	sum = mustRun(t, s, 0)
	if most != perDay || held != 5*perDay || sum.Windows != 3 || sum.More || sum.Final != 2*perDay {
		t.Fatalf("run 2: at most %d held, %d in all\n%s", most, held, sum)
	}
	recs := records(t, w.sj)
	if len(recs) != 5*perDay {
		t.Fatalf("%d records, want %d", len(recs), 5*perDay)
	}
	for id, r := range recs {
		if r.Writes != 1 {
			t.Errorf("%s written %d times", id, r.Writes)
		}
	}
	if _, err := NewSyncer(SyncOptions{Service: w.svc, MaxWindowsPerRun: -1}); err != nil {
		t.Errorf("no limit (-1) refused: %v", err)
	}
}

// MaxPending holding the watermark back in an early window: later windows
// are still logged but may not move it past the first conversation left out.
func TestSyncPendingCapHoldsTheWatermarkAcrossWindows(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	mark := backlog(w, T, 2)
	w.g.AddConversation(inbound("a1", annID, aliceNum, nil, mark.Add(time.Hour)))
	w.g.AddConversation(inbound("a2", annID, aliceNum, nil, mark.Add(2*time.Hour)))
	w.g.AddConversation(finished("f1", annID, aliceNum, mark.Add(3*time.Hour), time.Minute, resolved))
	w.g.AddConversation(finished("f2", annID, aliceNum, mark.Add(30*time.Hour), time.Minute, resolved))
	clk := &clock{t: T}
	// The synchronous query's windows (JobsAfter -1); a backfill through
	// jobs would not remember f1 and f2 and write them again in run 2.
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.MaxPending, o.MaxOpenAge, o.JobsAfter = 1, 7*24*time.Hour, -1 })
	sum := mustRun(t, s, 0)
	st := storedState(t, w.sj)
	if sum.Windows != 2 || sum.Final != 2 || len(st.Pending) != 1 || st.Pending["a1"].IsZero() || !st.Watermark.Equal(mark.Add(2*time.Hour)) {
		t.Fatalf("run 1: %+v\n%s", st, sum)
	}
	for _, id := range []string{"a1", "a2"} {
		w.update(t, id, func(c *genesystest.Conversation) { end(c, T.Add(-time.Hour)); wrapUp(c, resolved, "") })
	}
	clk.Set(T.Add(5 * time.Minute))
	if sum := mustRun(t, s, 0); sum.Final != 2 || sum.Unchanged != 2 || sum.Pending != 0 {
		t.Fatalf("run 2: %s", sum)
	}
	if recs := records(t, w.sj); len(recs) != 4 || recs["a2"].Writes != 1 || recs["f2"].Writes != 1 {
		t.Fatalf("records: %+v", recs)
	}
	if st := storedState(t, w.sj); !st.Watermark.Equal(T.Add(3*time.Minute)) || len(st.Pending) != 0 {
		t.Fatalf("final state: %+v", st)
	}
}

// Cancelling during a window ends the run; the windows before it stay stored.
func TestSyncCanceledMidRunKeepsTheWindowsStored(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	mark := backlog(w, T, 3)
	for d := range 3 {
		w.g.AddConversation(finished(fmt.Sprint("c", d), annID, aliceNum, mark.Add(time.Duration(d)*24*time.Hour+time.Hour), time.Minute, resolved))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.JobsAfter = -1 }) // the synchronous query's windows
	windows := 0
	s.onWindow = func(_, _ time.Time, _ int) {
		if windows++; windows == 2 {
			cancel() // shutting down during window 2
		}
	}
	sum, err := s.RunOnce(ctx)
	if !errors.Is(err, context.Canceled) || sum.Windows != 2 || sum.StateSaved {
		t.Fatalf("canceled run: %v\n%s", err, sum)
	}
	// Window 2's state could not be stored (the store needs the context):
	// the next run starts at the end of window 1 and redoes window 2.
	if got := storedState(t, w.sj).Watermark; !got.Equal(mark.Add(24 * time.Hour)) {
		t.Fatalf("stored watermark %v, want the end of window 1", got)
	}
	s.onWindow = nil
	clk.Set(T.Add(time.Minute))
	sum = mustRun(t, s, 0)
	if sum.Final != 1 || sum.Unchanged != 1 || len(records(t, w.sj)) != 3 {
		t.Fatalf("next run: %s", sum)
	}
}

// Run goes on with a catch-up after RetryInterval, not the full interval.
func TestSyncRunLoopContinuesACatchUpSoon(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	backlog(w, T, 2)
	waits := make(chan time.Duration, 4)
	tick := make(chan time.Time)
	s := w.syncer(t, w.svc, &clock{t: T}, func(o *SyncOptions) {
		o.MaxWindowsPerRun, o.RetryInterval = 1, 30*time.Second
		o.After = func(d time.Duration) <-chan time.Time { waits <- d; return tick }
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, 5*time.Minute) }()
	if d := <-waits; d != 30*time.Second || !s.LastRun().Last.More {
		t.Errorf("after a run that left a backlog waited %v, want 30s", d)
	}
	tick <- T
	if d := <-waits; d != 5*time.Minute || s.LastRun().Last.More {
		t.Errorf("after the catch-up waited %v, want the interval", d)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
