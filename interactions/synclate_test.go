package interactions

import (
	"strings"
	"testing"
	"time"
)

// A conversation analytics shows only after the watermark passed its start
// is logged by the next run's overlap and counted as late; one already
// written is not written again, and a restarted process re-logs its overlap
// without calling anything late.
func TestSyncLogsAConversationAnalyticsShowedLate(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	clk := &clock{t: T}
	w.g.AddConversation(finished("early", annID, aliceNum, T.Add(-30*time.Minute), 5*time.Minute, resolved))
	s := w.syncer(t, w.svc, clk, nil)
	if sum := mustRun(t, s, 0); sum.Final != 1 || sum.Late != 0 || !storedState(t, w.sj).Watermark.Equal(T.Add(-2*time.Minute)) {
		t.Fatalf("run 1: %s", sum)
	}

	// Started before the watermark run 1 stored, visible only now.
	w.g.AddConversation(finished("late", benID, brownNum, T.Add(-8*time.Minute), 3*time.Minute, resolved))
	w.g.AddConversation(finished("next", annID, aliceNum, T, time.Minute, resolved))
	clk.Set(T.Add(5 * time.Minute))
	sum := mustRun(t, s, 0)
	if sum.Late != 1 || sum.Final != 2 || !sum.From.Equal(T.Add(-12*time.Minute)) || !strings.Contains(sum.String(), "1 late in analytics") {
		t.Fatalf("run 2 should log the late conversation and count it: %s", sum)
	}
	recs := records(t, w.sj)
	if r, ok := recs["late"]; !ok || r.Writes != 1 || r.WrapupName != "Resolved" {
		t.Fatalf("late conversation: %+v (found %v), want logged once, final", r, ok)
	}
	if r := recs["early"]; r.Writes != 1 {
		t.Errorf("early conversation written %d times; the overlap must not rewrite what this process wrote", r.Writes)
	}

	// A restarted process knows nothing it wrote: the overlap is written
	// again (upserts), but nothing in it is late.
	clk.Set(T.Add(10 * time.Minute))
	s2 := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.Registerer = nil })
	sum = mustRun(t, s2, 0)
	if sum.Late != 0 || sum.Final != 1 {
		t.Fatalf("run 3 in a new process: %s", sum)
	}
	if r := records(t, w.sj)["next"]; r.Writes != 2 {
		t.Errorf("next written %d times, want 2 (once per process)", r.Writes)
	}
}

// Overlap is configurable: a longer one reaches a conversation shown an hour
// late; a negative one turns it off.
func TestSyncOverlapIsConfigurable(t *testing.T) {
	for _, tc := range []struct {
		overlap time.Duration
		late    int
	}{{2 * time.Hour, 1}, {-1, 0}} {
		w := newWorld(t)
		T := time.Now().UTC().Truncate(time.Second)
		clk := &clock{t: T}
		s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.Overlap = tc.overlap })
		mustRun(t, s, 0)
		w.g.AddConversation(finished("hour-late", benID, brownNum, T.Add(-time.Hour), 3*time.Minute, resolved))
		clk.Set(T.Add(5 * time.Minute))
		sum := mustRun(t, s, 0)
		if _, logged := records(t, w.sj)["hour-late"]; sum.Late != tc.late || logged != (tc.late == 1) {
			t.Errorf("overlap %v: %s (logged %v)", tc.overlap, sum, logged)
		}
	}
}
