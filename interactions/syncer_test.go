package interactions

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// clock is a settable time source for the job.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func (w *world) syncer(t testing.TB, svc *Service, clk *clock, edit func(*SyncOptions)) *Syncer {
	t.Helper()
	o := SyncOptions{Service: svc, Now: clk.Now, Registerer: w.reg}
	if edit != nil {
		edit(&o)
	}
	s, err := NewSyncer(o)
	if err != nil {
		t.Fatal(err)
	}
	s.pollAfter = pollNow // a job's next status poll at once: nothing sleeps
	return s
}

// pollNow answers at once, in place of time.After between job status polls.
func pollNow(time.Duration) <-chan time.Time {
	c := make(chan time.Time, 1)
	c <- time.Time{}
	return c
}

// finished is an inbound call that ended after d, with an optional wrap-up.
func finished(id, agentID, number string, start time.Time, d time.Duration, code string) genesystest.Conversation {
	c := inbound(id, agentID, number, nil, start)
	end(&c, start.Add(d))
	if code != "" {
		wrapUp(&c, code, "note "+id)
	}
	return c
}

func (w *world) update(t testing.TB, id string, fn func(*genesystest.Conversation)) {
	t.Helper()
	if err := w.g.UpdateConversation(id, fn); err != nil {
		t.Fatal(err)
	}
}

// records indexes the fake's interaction log and fails on a duplicate.
func records(t testing.TB, sj *appbasetest.Server) map[string]appbasetest.Interaction {
	t.Helper()
	out := map[string]appbasetest.Interaction{}
	for _, in := range sj.Interactions() {
		if _, dup := out[in.ConversationID]; dup {
			t.Fatalf("two records for conversation %s", in.ConversationID)
		}
		out[in.ConversationID] = in
	}
	return out
}

func storedState(t testing.TB, sj *appbasetest.Server) syncState {
	t.Helper()
	st, err := decodeState("interactions", sj.SyncState("interactions"))
	if err != nil {
		t.Fatalf("stored state: %v", err)
	}
	return st
}

func mustRun(t testing.TB, s *Syncer, since time.Duration) SyncSummary {
	t.Helper()
	sum, err := s.RunSince(context.Background(), since)
	if err != nil {
		t.Fatalf("sync: %v\n%s", err, sum)
	}
	return sum
}

// Done-when: the sync runs twice over the same window with wrap-ups
// arriving in between; ServiceJourney ends with exactly one record per
// conversation, each with its final wrap-up.
func TestSyncTwiceWithWrapupsArrivingInBetween(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	clk := &clock{t: T}
	w.g.AddConversation(finished("s1", annID, aliceNum, T.Add(-50*time.Minute), 5*time.Minute, resolved)) // done and wrapped up
	w.g.AddConversation(finished("s2", annID, brownNum, T.Add(-40*time.Minute), 5*time.Minute, ""))       // ended, in after-call work
	w.g.AddConversation(finished("s3", benID, nobody, T.Add(-30*time.Minute), 2*time.Minute, ""))         // ended, in after-call work
	w.g.AddConversation(inbound("s4", carlaID, aliceNum, nil, T.Add(-20*time.Minute)))                    // still talking
	// A direct (non-ACD) call owes no wrap-up.
	direct := finished("s5", benID, "+14155550123", T.Add(-15*time.Minute), time.Minute, "")
	direct.Participants[2].Purpose, direct.Participants[2].WrapupRequired = "user", false
	w.g.AddConversation(direct)
	// Started after now-Lag: left for the next run.
	w.g.AddConversation(inbound("s6", annID, aliceNum, nil, T.Add(-time.Minute)))

	s := w.syncer(t, w.svc, clk, nil)
	sum := mustRun(t, s, 0)
	if sum.Final != 2 || sum.AwaitingWrapup != 2 || sum.Open != 1 || sum.Pending != 3 || sum.Conversations != 5 {
		t.Fatalf("run 1: %s", sum)
	}
	recs := records(t, w.sj)
	if len(recs) != 4 {
		t.Fatalf("run 1 wrote %d records, want 4 (the open call is not logged)", len(recs))
	}
	if _, ok := recs["s4"]; ok {
		t.Fatal("an open conversation was logged")
	}
	if r := recs["s2"]; r.End.IsZero() || r.WrapupCode != "" {
		t.Fatalf("s2 awaiting wrap-up: %+v", r)
	}
	st := storedState(t, w.sj)
	if !st.Watermark.Equal(T.Add(-2*time.Minute)) || len(st.Pending) != 3 {
		t.Fatalf("state after run 1: %+v", st)
	}

	// After-call work ends; the open call ends and is wrapped up.
	w.update(t, "s2", func(c *genesystest.Conversation) { wrapUp(c, callback, "call back friday") })
	w.update(t, "s3", func(c *genesystest.Conversation) { wrapUp(c, resolved, "") })
	w.update(t, "s4", func(c *genesystest.Conversation) { end(c, T.Add(2*time.Minute)); wrapUp(c, resolved, "late") })
	clk.Set(T.Add(5 * time.Minute))
	sum = mustRun(t, s, 0)
	// s4's agent (Carla) has no ServiceJourney user: written, but looked at
	// again until the grace has passed, in case a user sync maps her.
	if sum.Final != 2 || sum.UnmappedAgents != 1 || sum.Pending != 2 { // s4, and s6 open now
		t.Fatalf("run 2: %s", sum)
	}
	if st := storedState(t, w.sj); st.Pending["s4"].IsZero() {
		t.Fatalf("s4 should stay pending while its agent is unmapped: %+v", st)
	}
	// The same window once more, by a fresh process (no memory of what it wrote).
	clk.Set(T.Add(6 * time.Minute))
	mustRun(t, w.syncer(t, w.service(t, w.ab), clk, nil), 2*time.Hour)

	recs = records(t, w.sj)
	if len(recs) != 5 {
		t.Fatalf("%d records, want 5: %v", len(recs), recs)
	}
	want := map[string]struct{ code, name, agent string }{
		"s1": {resolved, "Resolved", "101"}, "s2": {callback, "Callback needed", "101"}, "s3": {resolved, "Resolved", "102"},
		"s4": {resolved, "Resolved", ""}, "s5": {"", "", "102"},
	}
	for id, wnt := range want {
		r := recs[id]
		if r.WrapupCode != wnt.code || r.WrapupName != wnt.name || r.AgentUserID != wnt.agent || r.End.IsZero() || r.DurationSeconds == 0 {
			t.Errorf("%s: %+v, want wrap-up %s/%s agent %q", id, r, wnt.code, wnt.name, wnt.agent)
		}
	}
	if r := recs["s2"]; r.WrapupNotes != "call back friday" || r.QueueName != "Support" || r.ANI != brownNum || r.Direction != "inbound" {
		t.Errorf("s2 fields: %+v", r)
	}
	if r := recs["s1"]; r.PartyID != "P-1" || r.DurationSeconds != 300 {
		t.Errorf("s1: party resolved by the number, duration: %+v", r)
	}
	if r := recs["s2"]; r.PartyID != "" {
		t.Errorf("s2 matches three parties; none may be guessed: %+v", r)
	}
	// The first process did not rewrite s1 in run 2 (it was final before).
	if recs["s1"].Writes != 2 { // run 1, and the fresh --since run
		t.Errorf("s1 written %d times, want 2", recs["s1"].Writes)
	}
}

// Done-when: ServiceJourney failing during a run; the next run logs everything.
func TestSyncServiceJourneyDownMidRunLosesNothing(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	for i, id := range []string{"d1", "d2", "d3", "d4", "d5", "d6"} {
		w.g.AddConversation(finished(id, annID, aliceNum, T.Add(-time.Duration(60-5*i)*time.Minute), 3*time.Minute, resolved))
	}
	var upserts atomic.Int32
	var down atomic.Bool
	url := failingProxy(t, w.sj, func(r *http.Request) bool {
		if strings.Contains(r.URL.Path, "UPSERTINTERACTION") && upserts.Add(1) > 3 {
			down.Store(true) // ServiceJourney dies after three writes
		}
		return down.Load()
	})
	svc := w.service(t, newAppBaseClient(t, w.sj.ClientOptions(), url))
	clk := &clock{t: T}
	s := w.syncer(t, svc, clk, nil)

	sum, err := s.RunOnce(context.Background())
	var se *SyncError
	if err == nil || !errors.As(err, &se) || sum.OK || sum.StateSaved {
		t.Fatalf("run 1 should fail without saving state: %v\n%s", err, sum)
	}
	if n := len(w.sj.Interactions()); n != 3 {
		t.Fatalf("run 1 wrote %d, want 3", n)
	}
	if w.sj.SyncState("interactions") != "" {
		t.Fatal("the watermark moved past unlogged conversations")
	}
	if sum.Failed != 3 || s.LastRun().LastError == "" {
		t.Errorf("run 1 summary: %s", sum)
	}

	down.Store(false)
	upserts.Store(-1000) // back for good
	clk.Set(T.Add(5 * time.Minute))
	sum = mustRun(t, s, 0)
	recs := records(t, w.sj)
	if len(recs) != 6 {
		t.Fatalf("after recovery %d records, want 6\n%s", len(recs), sum)
	}
	for id, r := range recs {
		if r.WrapupName != "Resolved" || r.End.IsZero() {
			t.Errorf("%s incomplete: %+v", id, r)
		}
	}
	if st := storedState(t, w.sj); len(st.Pending) != 0 || !st.Watermark.Equal(T.Add(3*time.Minute)) {
		t.Errorf("state: %+v", st)
	}
	if !s.LastRun().LastSuccess.Equal(clk.Now()) || s.LastRun().LastError != "" {
		t.Errorf("status: %+v", s.LastRun())
	}
}

// Some writes fail but the state can be saved: the failed conversations
// are kept pending by id, behind the watermark, and logged next time.
func TestSyncFailedWritesStayPending(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	for i, id := range []string{"f1", "f2", "f3", "f4"} {
		w.g.AddConversation(finished(id, annID, aliceNum, T.Add(-time.Duration(40-5*i)*time.Minute), time.Minute, resolved))
	}
	// Two conversations fail: each write is repeated once after a fresh
	// login (a top-level 500 may be an expired token), so 2 x 2 faults.
	w.sj.Fault("UPSERTINTERACTION", appbasetest.Fault{TopLevelError500: true, Times: 4})
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.Writers = 1 }) // the faults hit the first two, in order
	sum, err := s.RunOnce(context.Background())
	if err == nil || !sum.StateSaved || sum.Failed != 2 || sum.Final != 2 {
		t.Fatalf("run 1: %v\n%s", err, sum)
	}
	st := storedState(t, w.sj)
	if len(st.Pending) != 2 || st.Pending["f1"].IsZero() || st.Pending["f2"].IsZero() {
		t.Fatalf("pending after run 1: %+v", st.Pending)
	}
	clk.Set(T.Add(10 * time.Minute))
	sum = mustRun(t, s, 0)
	if sum.Final != 2 || sum.Pending != 0 {
		t.Fatalf("run 2: %s", sum)
	}
	if n := len(records(t, w.sj)); n != 4 {
		t.Fatalf("%d records, want 4", n)
	}
}

// A conversation longer than the sync interval is logged once it ends,
// although the watermark passed its start long before.
func TestSyncLongConversationAcrossRuns(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(inbound("long", annID, aliceNum, nil, T.Add(-30*time.Minute)))
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, nil)
	for i := range 3 {
		clk.Set(T.Add(time.Duration(i) * 5 * time.Minute))
		if sum := mustRun(t, s, 0); sum.Open != 1 || sum.Pending != 1 {
			t.Fatalf("run %d: %s", i, sum)
		}
	}
	if st := storedState(t, w.sj); !st.Watermark.After(T.Add(-30*time.Minute)) || len(st.Pending) != 1 {
		t.Fatalf("the watermark should pass the start while the call is pending by id: %+v", st)
	}
	if len(w.sj.Interactions()) != 0 {
		t.Fatal("an open conversation was logged")
	}
	w.update(t, "long", func(c *genesystest.Conversation) { end(c, T.Add(14*time.Minute)); wrapUp(c, resolved, "") })
	clk.Set(T.Add(20 * time.Minute))
	if sum := mustRun(t, s, 0); sum.Final != 1 || sum.Pending != 0 {
		t.Fatalf("final run: %s", sum)
	}
	if r := records(t, w.sj)["long"]; r.DurationSeconds != 44*60 || r.WrapupName != "Resolved" {
		t.Fatalf("record: %+v", r)
	}
}

// Beyond MaxPending the oldest are kept by id and the watermark stays at
// the first one left out, so nothing is lost and the state stays small.
func TestSyncPendingCapHoldsTheWatermark(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	ids := []string{"o1", "o2", "o3", "o4"}
	for i, id := range ids {
		w.g.AddConversation(inbound(id, annID, aliceNum, nil, T.Add(-time.Duration(50-10*i)*time.Minute)))
	}
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.MaxPending = 2 })
	mustRun(t, s, 0)
	st := storedState(t, w.sj)
	if len(st.Pending) != 2 || st.Pending["o1"].IsZero() || st.Pending["o2"].IsZero() || !st.Watermark.Equal(T.Add(-30*time.Minute)) {
		t.Fatalf("capped state: %+v", st)
	}
	for _, id := range ids {
		w.update(t, id, func(c *genesystest.Conversation) { end(c, T.Add(time.Minute)); wrapUp(c, resolved, "") })
	}
	clk.Set(T.Add(5 * time.Minute))
	if sum := mustRun(t, s, 0); sum.Final != 4 || sum.Pending != 0 {
		t.Fatalf("run 2: %s", sum)
	}
	if n := len(records(t, w.sj)); n != 4 {
		t.Fatalf("%d records", n)
	}
}

func TestSyncWrapupGraceEndsTheWait(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(finished("g1", annID, aliceNum, T.Add(-3*time.Hour), time.Minute, ""))
	clk := &clock{t: T}
	sum := mustRun(t, w.syncer(t, w.svc, clk, nil), 0)
	if sum.Final != 1 || sum.Pending != 0 {
		t.Fatalf("an agent who never wraps up must not hold the record forever: %s", sum)
	}
}

// With day matching the API returns whole days; the job still logs each
// conversation once and nothing from before the watermark.
func TestSyncWithAnalyticsDayMatching(t *testing.T) {
	w := newWorld(t, genesystest.WithAnalyticsDayMatching())
	T := time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC)
	w.g.AddConversation(finished("early", annID, aliceNum, T.Add(-3*time.Hour), time.Minute, resolved))
	w.g.AddConversation(finished("late", annID, aliceNum, T.Add(-30*time.Minute), time.Minute, resolved))
	w.sj.SetSyncState("interactions", T.Add(-time.Hour).Format(time.RFC3339)) // an admin's restart point
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, nil)
	sum := mustRun(t, s, 0)
	if sum.Final != 1 {
		t.Fatalf("run: %s", sum)
	}
	recs := records(t, w.sj)
	if _, ok := recs["early"]; ok || len(recs) != 1 {
		t.Fatalf("records %v: only what started after the watermark", recs)
	}
}

func TestSyncStopsOnBadStateAndMissingUserMap(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC()
	w.g.AddConversation(finished("x1", annID, aliceNum, T.Add(-time.Hour), time.Minute, resolved))
	clk := &clock{t: T}

	w.sj.SetSyncState("interactions", "yesterday-ish")
	_, err := w.syncer(t, w.svc, clk, nil).RunOnce(context.Background())
	var se *SyncError
	if !errors.As(err, &se) || se.Stage != "state" || !strings.Contains(err.Error(), "ISO-8601") {
		t.Errorf("bad state: %v", err)
	}
	if w.sj.SyncState("interactions") != "yesterday-ish" || len(w.sj.Interactions()) != 0 {
		t.Error("a bad state must stop the run untouched")
	}

	w.sj.SetSyncState("interactions", "")
	noMap, err := New(Options{Genesys: w.gc, SJ: w.ab, Agents: usermap.NewStore(usermap.StoreOptions{}), Pages: Pages{Party: "p", Case: "c", NewCase: "n", AppID: "a"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = w.syncer(t, noMap, clk, nil).RunOnce(context.Background())
	if !errors.As(err, &se) || se.Stage != "usermap" || !errors.Is(err, ErrNoUserMap) {
		t.Errorf("no user map: %v", err)
	}

	w.g.Fault("POST /api/v2/analytics/conversations/details/query", genesystest.Fault{Status: 500})
	sum, err := w.syncer(t, w.svc, clk, nil).RunOnce(context.Background())
	if !errors.As(err, &se) || se.Stage != "genesys" || sum.StateSaved {
		t.Errorf("analytics failing: %v %s", err, sum)
	}
	if len(w.sj.Interactions()) != 0 || w.sj.SyncState("interactions") != "" {
		t.Error("nothing may be written or stored when the query fails")
	}
}

// --since that starts after the watermark adds records but leaves the
// watermark alone (what lies before the window was not looked at).
func TestSyncSinceInsideTheWatermark(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(finished("old", annID, aliceNum, T.Add(-5*time.Hour), time.Minute, resolved))
	w.g.AddConversation(finished("new", annID, aliceNum, T.Add(-30*time.Minute), time.Minute, resolved))
	mark := T.Add(-6 * time.Hour).Format(time.RFC3339)
	w.sj.SetSyncState("interactions", mark)
	sum := mustRun(t, w.syncer(t, w.svc, &clock{t: T}, nil), time.Hour)
	if sum.Final != 1 || sum.StateSaved || w.sj.SyncState("interactions") != mark {
		t.Fatalf("since run: %s; state %q", sum, w.sj.SyncState("interactions"))
	}
	if _, ok := records(t, w.sj)["new"]; !ok {
		t.Fatal("the window's conversation was not logged")
	}
	if _, err := w.syncer(t, w.svc, &clock{t: T}, nil).RunSince(context.Background(), -time.Hour); err == nil {
		t.Error("a negative --since was accepted")
	}
}

func TestSyncRunLoopWaitsAndRetries(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC()
	clk := &clock{t: T}
	waits := make(chan time.Duration, 4)
	tick := make(chan time.Time)
	w.sj.Fault("GETSYNCSTATE", appbasetest.Fault{HTTP500: true, Times: 1})
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) {
		o.RetryInterval = 30 * time.Second
		o.After = func(d time.Duration) <-chan time.Time { waits <- d; return tick }
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, 5*time.Minute) }()
	if d := <-waits; d != 30*time.Second {
		t.Errorf("after a failed run waited %v, want the retry interval 30s", d)
	}
	if next := s.LastRun().NextRun; !next.Equal(T.Add(30 * time.Second)) {
		t.Errorf("NextRun = %v", next)
	}
	tick <- T
	if d := <-waits; d != 5*time.Minute {
		t.Errorf("after a good run waited %v, want the interval", d)
	}
	if st := s.LastRun(); st.LastSuccess.IsZero() || st.Last == nil || !st.Last.OK {
		t.Errorf("status after the second run: %+v", st)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if _, err := s.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Run(context.Background(), 0); err == nil || !strings.Contains(err.Error(), "interactions.syncInterval") {
		t.Errorf("zero interval: %v", err)
	}
}

func TestSyncStateEncoding(t *testing.T) {
	st := syncState{Watermark: time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC),
		Pending: map[string]time.Time{"b": time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC), "a": time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)}}
	enc := st.encode()
	if enc != `{"v":1,"watermark":"2025-05-01T10:00:00.000Z","pending":{"a":"2025-05-01T08:00:00.000Z","b":"2025-05-01T09:00:00.000Z"}}` {
		t.Fatalf("encode = %s", enc)
	}
	back, err := decodeState("interactions", enc)
	if err != nil || !back.Watermark.Equal(st.Watermark) || len(back.Pending) != 2 || !back.Pending["a"].Equal(st.Pending["a"]) {
		t.Fatalf("round trip: %+v %v", back, err)
	}
	var w wireState
	if json.Unmarshal([]byte(enc), &w) != nil || w.V != 1 {
		t.Fatal("not JSON")
	}
	// 50 pending conversations fit comfortably in a 4,000-character column.
	big := syncState{Watermark: st.Watermark, Pending: map[string]time.Time{}}
	for i := range 50 {
		big.Pending["c0000000-0000-4000-8000-0000000000"+string(rune('a'+i/26))+string(rune('a'+i%26))] = st.Watermark
	}
	if n := len(big.encode()); n > 4000 {
		t.Errorf("50 pending encode to %d characters", n)
	}
}

// A conversation Genesys never closes must not hold the sync back for ever:
// past MaxOpenAge it is logged as it stands (no end) and leaves the pending list.
func TestSyncStuckOpenConversationStopsBeingPending(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(inbound("stuck", annID, aliceNum, nil, T.Add(-10*time.Minute)))
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, func(o *SyncOptions) { o.MaxOpenAge = 6 * time.Hour })
	if sum := mustRun(t, s, 0); sum.Open != 1 || sum.Pending != 1 || len(w.sj.Interactions()) != 0 {
		t.Fatalf("first run: %s", sum)
	}
	clk.Set(T.Add(7 * time.Hour))
	sum := mustRun(t, s, 0)
	if sum.StuckOpen != 1 || sum.Pending != 0 || sum.Open != 0 {
		t.Fatalf("after maxOpenAge: %s", sum)
	}
	r, ok := records(t, w.sj)["stuck"]
	if !ok || !r.End.IsZero() || r.Start.IsZero() {
		t.Fatalf("stuck conversation record: %+v (found %v)", r, ok)
	}
	if st := storedState(t, w.sj); len(st.Pending) != 0 || !st.Watermark.After(T) {
		t.Fatalf("state still waits for the stuck conversation: %+v", st)
	}
	// If it does end later and analytics still returns it (e.g. --since), the
	// same record is completed, not doubled.
	w.update(t, "stuck", func(c *genesystest.Conversation) { end(c, T.Add(7*time.Hour+time.Minute)); wrapUp(c, resolved, "") })
	clk.Set(T.Add(7*time.Hour + 10*time.Minute))
	mustRun(t, s, 8*time.Hour)
	recs := records(t, w.sj)
	if len(recs) != 1 || recs["stuck"].End.IsZero() || recs["stuck"].WrapupName != "Resolved" {
		t.Fatalf("records after the late end: %+v", recs)
	}
}

// An agent mapped by a later user sync is filled into a record the sync job
// wrote without one, as long as the wrap-up grace has not passed.
func TestSyncFillsInAnAgentMappedLater(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	w.g.AddConversation(finished("c1", carlaID, aliceNum, T.Add(-20*time.Minute), 5*time.Minute, resolved))
	clk := &clock{t: T}
	s := w.syncer(t, w.svc, clk, nil)
	if sum := mustRun(t, s, 0); sum.UnmappedAgents != 1 || sum.Pending != 1 {
		t.Fatalf("run 1: %s", sum)
	}
	if r := records(t, w.sj)["c1"]; r.AgentUserID != "" || r.WrapupName != "Resolved" {
		t.Fatalf("run 1 record: %+v", r)
	}
	// A supervisor maps Carla (user sync / fix action).
	w.agents.Replace(usermap.Build(
		[]usermap.GenesysUser{{ID: carlaID, Name: "Carla Newhire", Email: "carla@example.com"}},
		[]usermap.SJUser{{ID: "103", Login: "carla", Name: "Carla Newhire", Email: "carla@example.com"}}))
	clk.Set(T.Add(5 * time.Minute))
	if sum := mustRun(t, s, 0); sum.Final != 1 || sum.Pending != 0 {
		t.Fatalf("run 2: %s", sum)
	}
	if r := records(t, w.sj)["c1"]; r.AgentUserID != "103" || r.Writes != 2 {
		t.Fatalf("run 2 record: %+v", r)
	}
	// An agent who stays unmapped is final once the grace has passed.
	w.g.AddConversation(finished("c2", benID, aliceNum, T.Add(3*time.Minute), time.Minute, resolved))
	w.agents.Replace(usermap.Build(nil, nil))
	clk.Set(T.Add(10 * time.Minute))
	mustRun(t, s, 0)
	clk.Set(T.Add(10*time.Minute + time.Hour))
	if sum := mustRun(t, s, 0); sum.Pending != 0 {
		t.Fatalf("after the grace: %s", sum)
	}
}
