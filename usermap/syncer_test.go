package usermap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

type syncFixture struct {
	g   *fakeGenesys
	sj  *fakeSJ
	st  *Store
	s   *Syncer
	reg *prometheus.Registry
	clk *clock
	log *bytes.Buffer
}

func newSyncFixture(t *testing.T, writeBack bool) *syncFixture {
	t.Helper()
	f := &syncFixture{
		g: &fakeGenesys{users: []GenesysUser{gu("g1", "a@x.com"), gu("g2", "b@x.com"), gu("g3", "c@x.com")}},
		sj: &fakeSJ{users: []SJUser{
			su("11", "a@x.com", ""),       // e-mail
			su("12", "other@x.com", "g2"), // explicit
			su("13", "B@x.com ", ""),      // e-mail of g2, already linked: unmatched
			su("14", "c@x.com", ""),       // e-mail
		}},
		reg: prometheus.NewRegistry(),
		clk: newClock(),
		log: &bytes.Buffer{},
	}
	f.st = NewStore(StoreOptions{Registerer: f.reg})
	var err error
	f.s, err = NewSyncer(SyncOptions{Genesys: f.g, SJ: f.sj, Store: f.st, WriteBack: writeBack, Registerer: f.reg,
		Now: f.clk.Now, Logger: slog.New(slog.NewTextHandler(f.log, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestRunOncePublishesAndSummarises(t *testing.T) {
	f := newSyncFixture(t, false)
	sum, err := f.s.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if !sum.OK || !sum.MapUpdated || sum.GenesysUsers != 3 || sum.SJUsers != 4 || sum.Written != 0 {
		t.Fatalf("summary %+v", sum)
	}
	if sum.GenesysCounts[StatusEmail] != 2 || sum.GenesysCounts[StatusExplicit] != 1 || sum.SJCounts[StatusUnmatched] != 1 {
		t.Fatalf("counts %v / %v", sum.GenesysCounts, sum.SJCounts)
	}
	if e, ok := f.st.Lookup(t.Context(), "g1"); !ok || e.SJUser.ID != "11" {
		t.Fatalf("lookup after sync: %+v", e)
	}
	if !f.st.Report().GeneratedAt.Equal(sum.Started) {
		t.Fatal("GeneratedAt must be the time reading began")
	}
	js, _ := json.Marshal(sum)
	for _, want := range []string{`"ok":true`, `"counts":{`, `"serviceJourneyCounts":{`, `"durationSeconds":`, `"written":0`} {
		if !strings.Contains(string(js), want) {
			t.Errorf("JSON %s lacks %s", js, want)
		}
	}
	if s := sum.String(); !strings.Contains(s, "user sync ok") || !strings.Contains(s, "3 Genesys users (1 explicit, 2 email, 0 unmatched, 0 conflict)") {
		t.Errorf("String() = %q", s)
	}
	lr := f.s.LastRun()
	if lr.Running || lr.LastError != "" || !lr.LastSuccess.Equal(sum.Finished) || lr.Last == nil || lr.Last.GenesysUsers != 3 {
		t.Fatalf("LastRun %+v", lr)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_sync_last_success_timestamp_seconds", nil); got != float64(sum.Finished.Unix()) {
		t.Fatalf("last success metric %v, want %v", got, sum.Finished.Unix())
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_users", map[string]string{"system": "servicejourney", "status": "unmatched"}); got != 1 {
		t.Fatalf("users gauge %v", got)
	}
}

// Done when: a sync that fails half way keeps the previous map in service and
// reports failure.
func TestFailedSyncKeepsPreviousMap(t *testing.T) {
	for _, stage := range []string{"genesys", "servicejourney"} {
		t.Run(stage, func(t *testing.T) {
			f := newSyncFixture(t, false)
			first, err := f.s.RunOnce(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			good := f.st.Report()

			// Genesys now answers with different users (read OK in the
			// servicejourney case, before the SJ read fails).
			f.g.set(gu("g9", "z@x.com"))
			boom := errors.New("upstream 503")
			if stage == "genesys" {
				f.g.listErr = boom
			} else {
				f.sj.listErr = boom
			}
			f.clk.Add(time.Minute)
			sum, err := f.s.RunOnce(t.Context())

			var se *SyncError
			if !errors.As(err, &se) || se.Stage != stage || !errors.Is(err, boom) {
				t.Fatalf("error %v, want *SyncError stage %s wrapping the cause", err, stage)
			}
			if sum.OK || sum.MapUpdated || !strings.Contains(sum.String(), "FAILED") || !strings.Contains(sum.String(), "previous map stays in service") {
				t.Fatalf("summary %+v / %s", sum, sum)
			}
			if f.st.Report() != good {
				t.Fatal("the previous map must stay in service")
			}
			if e, ok := f.st.Lookup(t.Context(), "g1"); !ok || e.SJUser.ID != "11" {
				t.Fatalf("lookups still served from the previous map: %v %+v", ok, e)
			}
			if _, ok := f.st.Lookup(t.Context(), "g9"); ok {
				t.Fatal("half-read data leaked into the map")
			}
			lr := f.s.LastRun()
			if lr.LastError == "" || !lr.LastSuccess.Equal(first.Finished) || !lr.LastEnd.Equal(sum.Finished) {
				t.Fatalf("LastRun %+v", lr)
			}
			if got := metric(t, f.reg, "dcmconnect_usermap_sync_runs_total", map[string]string{"outcome": stage + "_error"}); got != 1 {
				t.Fatalf("runs{%s_error} = %v", stage, got)
			}
			if got := metric(t, f.reg, "dcmconnect_usermap_sync_last_success_timestamp_seconds", nil); got != float64(first.Finished.Unix()) {
				t.Fatal("last success time must not move on failure")
			}
			if !strings.Contains(f.log.String(), "user sync failed") {
				t.Fatalf("failure not logged: %s", f.log)
			}
		})
	}
}

// Done when: write-back run twice writes nothing the second time.
func TestWriteBackTwiceWritesNothingSecondTime(t *testing.T) {
	f := newSyncFixture(t, true)
	sum, err := f.s.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 2 {
		t.Fatalf("first run wrote %d, want 2 (the two e-mail matches)", sum.Written)
	}
	if w := f.sj.writeLog(); len(w) != 2 || w[0] != "11=g1" || w[1] != "14=g3" {
		t.Fatalf("writes %v", w)
	}
	if e, _ := f.st.Lookup(t.Context(), "g1"); e.Status != StatusExplicit {
		t.Fatalf("written pair should be served as explicit at once: %+v", e)
	}
	sum2, err := f.s.RunOnce(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if sum2.Written != 0 || len(f.sj.writeLog()) != 2 {
		t.Fatalf("second run wrote %d (log %v), want 0", sum2.Written, f.sj.writeLog())
	}
	if sum2.GenesysCounts[StatusExplicit] != 3 || sum2.GenesysCounts[StatusEmail] != 0 {
		t.Fatalf("second run counts %v", sum2.GenesysCounts)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_writeback_writes_total", nil); got != 2 {
		t.Fatalf("writes metric %v", got)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_directory_calls_total", map[string]string{"call": "servicejourney_set_mapping", "outcome": "ok"}); got != 2 {
		t.Fatalf("set_mapping calls metric %v", got)
	}
}

func TestWriteBackFailurePublishesMapButFailsRun(t *testing.T) {
	f := newSyncFixture(t, true)
	f.sj.setErr = map[string]error{"11": errors.New("ERRORCODE 121")}
	sum, err := f.s.RunOnce(t.Context())
	var se *SyncError
	if !errors.As(err, &se) || se.Stage != "writeback" || !strings.Contains(err.Error(), "ServiceJourney user 11") {
		t.Fatalf("error %v", err)
	}
	if !sum.MapUpdated || sum.OK || sum.Written != 1 {
		t.Fatalf("summary %+v", sum)
	}
	if txt := sum.String(); !strings.Contains(txt, "FAILED") || !strings.Contains(txt, "(the new map is in service)") || !strings.Contains(txt, "ERRORCODE 121; 3 Genesys users") || !strings.Contains(txt, "write-back: 1 written") {
		t.Fatalf("String() = %q", txt)
	}
	if e, _ := f.st.Lookup(t.Context(), "g1"); e.Status != StatusEmail {
		t.Fatalf("failed write leaves the pair an e-mail match: %+v", e)
	}
	if e, _ := f.st.Lookup(t.Context(), "g3"); e.Status != StatusExplicit {
		t.Fatalf("successful write is explicit: %+v", e)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_sync_runs_total", map[string]string{"outcome": "writeback_error"}); got != 1 {
		t.Fatalf("runs{writeback_error} = %v", got)
	}
}

func TestWriteBackStopsWhenServiceJourneyIsDown(t *testing.T) {
	var sjUsers []SJUser
	var gUsers []GenesysUser
	for i := range 20 {
		id := string(rune('a'+i)) + "@x.com"
		gUsers = append(gUsers, gu("g"+id, id))
		sjUsers = append(sjUsers, su(string(rune('A'+i)), id, ""))
	}
	down := errors.New("connection refused")
	sj := &fakeSJ{users: sjUsers, setErr: map[string]error{}}
	for _, u := range sjUsers {
		sj.setErr[u.ID] = down
	}
	calls := 0
	_, err := writeBack(t.Context(), sj, Build(gUsers, sjUsers), time.Second, func(error) { calls++ })
	if calls != maxConsecutiveWriteFailures || !errors.Is(err, down) || !strings.Contains(err.Error(), "failures in a row") {
		t.Fatalf("calls %d, err %v", calls, err)
	}
}

func TestWriteBackFunctionIsIdempotent(t *testing.T) {
	sj := &fakeSJ{users: []SJUser{su("11", "a@x.com", ""), su("12", "b@x.com", "")}}
	g := []GenesysUser{gu("g1", "a@x.com"), gu("g2", "b@x.com")}
	n, err := WriteBack(t.Context(), sj, Build(g, sj.users))
	if err != nil || n != 2 {
		t.Fatalf("first: %d %v", n, err)
	}
	n, err = WriteBack(t.Context(), sj, Build(g, sj.users))
	if err != nil || n != 0 {
		t.Fatalf("second: %d %v", n, err)
	}
}

func TestRunOnceNeverOverlaps(t *testing.T) {
	f := newSyncFixture(t, false)
	f.sj.listGate = make(chan struct{})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			if _, err := f.s.RunOnce(context.Background()); err != nil {
				t.Error(err)
			}
		})
	}
	for range 3 { // release the runs one at a time
		f.sj.listGate <- struct{}{}
	}
	wg.Wait()
	if f.sj.maxInList != 1 || f.sj.listCalls != 3 {
		t.Fatalf("max concurrent runs %d, runs %d", f.sj.maxInList, f.sj.listCalls)
	}
}

func TestRunOnceWaitingRespectsContext(t *testing.T) {
	f := newSyncFixture(t, false)
	f.sj.listGate = make(chan struct{})
	go f.s.RunOnce(context.Background())
	waitFor(t, func() bool { return f.s.LastRun().Running })
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, err := f.s.RunOnce(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("waiting for a running sync must give up with the context: %v", err)
	}
	f.sj.listGate <- struct{}{}
}

func TestRunSchedules(t *testing.T) {
	f := newSyncFixture(t, false)
	tick := make(chan time.Time)
	var asked []time.Duration
	var mu sync.Mutex
	f.s.opts.After = func(d time.Duration) <-chan time.Time {
		mu.Lock()
		asked = append(asked, d)
		mu.Unlock()
		return tick
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- f.s.Run(ctx, 15*time.Minute) }()

	waitFor(t, func() bool { return f.g.listCallsNow() == 1 && !f.s.LastRun().NextRun.IsZero() }) // first run at once
	if lr := f.s.LastRun(); !lr.NextRun.Equal(f.clk.Now().Add(15 * time.Minute)) {
		t.Fatalf("NextRun %v", lr.NextRun)
	}
	f.g.listErr = errors.New("down") // a failing run does not stop the loop
	tick <- time.Time{}
	waitFor(t, func() bool { return f.s.LastRun().LastError != "" })
	f.g.listErr = nil
	tick <- time.Time{}
	waitFor(t, func() bool { return f.g.listCallsNow() == 3 && f.s.LastRun().LastError == "" })
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(asked) < 2 || asked[0] != 15*time.Minute {
		t.Fatalf("waits asked %v", asked)
	}
	if !f.s.LastRun().NextRun.IsZero() {
		t.Fatal("NextRun must clear when the loop stops")
	}
}

func TestRunRejectsBadInterval(t *testing.T) {
	f := newSyncFixture(t, false)
	if err := f.s.Run(t.Context(), 0); err == nil || !strings.Contains(err.Error(), "usermap.syncInterval") {
		t.Fatalf("err %v", err)
	}
}

func TestNewSyncerNamesMissingOptions(t *testing.T) {
	_, err := NewSyncer(SyncOptions{})
	for _, want := range []string{"SyncOptions.Genesys", "SyncOptions.SJ", "SyncOptions.Store"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not name %s", err, want)
		}
	}
}

func TestListTimeoutIsEnforced(t *testing.T) {
	f := newSyncFixture(t, false)
	f.s.opts.FetchTimeout = 20 * time.Millisecond
	f.sj.listGate = make(chan struct{}) // never released
	_, err := f.s.RunOnce(t.Context())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_directory_calls_total", map[string]string{"call": "servicejourney_users", "outcome": "timeout"}); got != 1 {
		t.Fatalf("timeout metric %v", got)
	}
}

func (f *fakeGenesys) listCallsNow() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.listCalls
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached")
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCanceledSyncIsNotAnUpstreamFailure(t *testing.T) {
	f := newSyncFixture(t, false)
	f.sj.listGate = make(chan struct{})
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		waitFor(t, func() bool { return f.s.LastRun().Running })
		cancel()
	}()
	_, err := f.s.RunOnce(ctx)
	if !errors.Is(err, context.Canceled) || f.st.Report() != nil {
		t.Fatalf("err %v", err)
	}
	if got := metric(t, f.reg, "dcmconnect_usermap_sync_runs_total", map[string]string{"outcome": "canceled"}); got != 1 {
		t.Fatalf("runs{canceled} = %v", got)
	}
	if strings.Contains(f.log.String(), "level=ERROR") {
		t.Fatalf("shutdown logged as an error: %s", f.log)
	}
}

func TestEntriesWith(t *testing.T) {
	r := Build([]GenesysUser{gu("g1", "a@x.com"), gu("g2", "b@x.com")}, []SJUser{su("12", "a@x.com", ""), su("13", "", "")})
	got := r.EntriesWith(StatusUnmatched, StatusConflict)
	if len(got) != 2 || got[0].Status != StatusUnmatched || got[1].Status != StatusUnmatched {
		t.Fatalf("%+v", got)
	}
	if n := len(r.EntriesWith(StatusEmail)); n != 1 {
		t.Fatalf("email entries %d", n)
	}
}

// A listing that succeeds but is empty, while the map in service has users
// (a permission or rule changed), must not replace the map with one where
// every agent is unmapped.
func TestEmptyListingKeepsPreviousMap(t *testing.T) {
	for _, stage := range []string{"genesys", "servicejourney"} {
		t.Run(stage, func(t *testing.T) {
			f := newSyncFixture(t, false)
			if _, err := f.s.RunOnce(t.Context()); err != nil {
				t.Fatal(err)
			}
			good := f.st.Report()
			if stage == "genesys" {
				f.g.set()
			} else {
				f.sj.users = nil
			}
			sum, err := f.s.RunOnce(t.Context())
			var se *SyncError
			if !errors.As(err, &se) || se.Stage != stage || !errors.Is(err, ErrEmptyListing) || sum.MapUpdated {
				t.Fatalf("err %v, summary %+v; want a %s failure and no map update", err, sum, stage)
			}
			if f.st.Report() != good {
				t.Fatal("the previous map must stay in service")
			}
			if e, ok := f.st.Lookup(t.Context(), "g1"); !ok || e.SJUser == nil || e.SJUser.ID != "11" {
				t.Fatalf("g1 no longer mapped: %v %+v", ok, e)
			}
		})
	}
	// With no map in service yet, an empty side is published: there is
	// nothing better to serve, and the report says why users are unmatched.
	f := newSyncFixture(t, false)
	f.sj.users = nil
	if _, err := f.s.RunOnce(t.Context()); err != nil {
		t.Fatalf("first sync with no ServiceJourney users: %v", err)
	}
}
