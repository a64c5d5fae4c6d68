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

const (
	jobsRoute    = "POST /api/v2/analytics/conversations/details/jobs"
	jobStatus    = "GET /api/v2/analytics/conversations/details/jobs/{jobId}"
	jobResults   = "GET /api/v2/analytics/conversations/details/jobs/{jobId}/results"
	detailsQuery = "POST /api/v2/analytics/conversations/details/query"
)

// jobBacklog stores a watermark 3 days back and adds perDay finished
// conversations an hour apart in each day; it returns the watermark and the
// ids in start order.
func jobBacklog(w *world, T time.Time, perDay int) (time.Time, []string) {
	mark := backlog(w, T, 3)
	var ids []string
	for d := range 3 {
		for i := range perDay {
			id := fmt.Sprintf("d%di%d", d, i)
			w.g.AddConversation(finished(id, annID, aliceNum, mark.Add(time.Duration(d)*24*time.Hour+time.Duration(i+1)*time.Hour), time.Minute, resolved))
			ids = append(ids, id)
		}
	}
	return mark, ids
}

// A 3-day backlog goes through analytics jobs for the windows whose data the
// jobs hold (here the first two; the availability date is 20 h back) and the
// synchronous query for the last. Each job is polled through QUEUED and
// PENDING, read 2 a page (4 conversations: 2 pages), and deleted; the
// stored pending conversation is fetched by id. Every conversation is
// written once and the watermark reaches now-Lag.
func TestSyncBackfillThroughJobs(t *testing.T) {
	w := newWorld(t, genesystest.WithJobPendingPolls(2))
	T := time.Now().UTC().Truncate(time.Second)
	mark, ids := jobBacklog(w, T, 4)
	// One conversation left pending by an earlier run, from before the watermark.
	w.g.AddConversation(finished("old", annID, aliceNum, mark.Add(-2*time.Hour), time.Minute, resolved))
	w.sj.SetSyncState("interactions", syncState{Watermark: mark, Pending: map[string]time.Time{"old": mark.Add(-2 * time.Hour)}}.encode())
	w.g.SetJobsAvailability(T.Add(-20 * time.Hour))
	s := w.syncer(t, w.svc, &clock{t: T}, nil)
	s.jobPage = 2
	var windows []window
	s.onWindow = func(lo, hi time.Time, held int) { windows = append(windows, window{lo, hi, held}) }

	sum := mustRun(t, s, 0)
	if sum.Windows != 3 || sum.Final != 13 || sum.Conversations != 13 || sum.Pending != 0 || !sum.Watermark.Equal(T.Add(-2*time.Minute)) {
		t.Fatalf("run: %s", sum)
	}
	if len(windows) != 3 || windows[0].held != 5 || windows[1].held != 4 || windows[2].held != 4 {
		t.Fatalf("windows %+v, want 5 (4 + the pending one), 4, 4", windows)
	}
	if n := w.g.Requests(jobsRoute); n != 2 {
		t.Errorf("%d jobs submitted, want 2 (days 1 and 2)", n)
	}
	if n := w.g.Requests(jobStatus); n != 6 {
		t.Errorf("%d status polls, want 6 (QUEUED, PENDING, FULFILLED per job)", n)
	}
	if n := w.g.Requests(jobResults); n != 4 {
		t.Errorf("%d result pages, want 4 (2 per job)", n)
	}
	if n := w.g.Jobs(); n != 0 {
		t.Errorf("%d jobs left on the server, want 0 (each is deleted)", n)
	}
	// The pending one by id (1 query), day 3 by time (1 query).
	if n := w.g.Requests(detailsQuery); n != 2 {
		t.Errorf("%d synchronous queries, want 2", n)
	}
	recs := records(t, w.sj)
	for _, id := range append(ids, "old") {
		if r, ok := recs[id]; !ok || r.Writes != 1 {
			t.Errorf("%s: record %+v, want one write", id, r)
		}
	}
	// Stored after each page but a window's last, and after each window.
	if n := w.sj.Requests("SETSYNCSTATE"); n != 5 {
		t.Errorf("%d SETSYNCSTATE, want 5 (one page each in 2 job windows + 3 windows)", n)
	}
}

// A job that ends FAILED (or CANCELLED) fails the run at the genesys stage,
// naming the state and Genesys's message; the watermark stays and the next
// run submits it again.
func TestSyncJobFailureFailsTheRun(t *testing.T) {
	for _, state := range []string{"FAILED", "CANCELLED"} {
		t.Run(state, func(t *testing.T) {
			w := newWorld(t)
			T := time.Now().UTC().Truncate(time.Second)
			mark, ids := jobBacklog(w, T, 2)
			w.g.FailJobs(state, "query too broad")
			clk := &clock{t: T}
			s := w.syncer(t, w.svc, clk, nil)
			sum, err := s.RunOnce(context.Background())
			var se *SyncError
			if err == nil || !asSyncError(err, &se) || se.Stage != "genesys" || !strings.Contains(err.Error(), state) || !strings.Contains(err.Error(), "query too broad") {
				t.Fatalf("err = %v, want a genesys-stage error naming %s and the message", err, state)
			}
			if sum.Windows != 0 || !storedState(t, w.sj).Watermark.Equal(mark) || len(records(t, w.sj)) != 0 {
				t.Fatalf("failed run moved on: %s", sum)
			}
			w.g.FailJobs("", "")
			clk.Set(T.Add(time.Minute))
			if sum := mustRun(t, s, 0); sum.Final != len(ids) {
				t.Fatalf("next run: %s", sum)
			}
		})
	}
}

// A job still QUEUED or PENDING after JobTimeout fails the run with a
// genesys error naming the state and the option; nothing is stored.
func TestSyncJobTimeout(t *testing.T) {
	w := newWorld(t, genesystest.WithJobPendingPolls(1_000_000))
	T := time.Now().UTC().Truncate(time.Second)
	mark, _ := jobBacklog(w, T, 1)
	s := w.syncer(t, w.svc, &clock{t: T}, func(o *SyncOptions) { o.JobTimeout = 50 * time.Millisecond })
	s.pollAfter = func(time.Duration) <-chan time.Time { return nil } // only the deadline ends the wait
	_, err := s.RunOnce(context.Background())
	var se *SyncError
	if err == nil || !asSyncError(err, &se) || se.Stage != "genesys" || !strings.Contains(err.Error(), "QUEUED") || !strings.Contains(err.Error(), "JobTimeout") {
		t.Fatalf("err = %v, want a genesys-stage timeout naming QUEUED and JobTimeout", err)
	}
	if !storedState(t, w.sj).Watermark.Equal(mark) {
		t.Fatal("the watermark moved")
	}
	if w.g.Jobs() != 0 {
		t.Error("the timed-out job was not deleted")
	}
}

// A job that expires while its pages are read is submitted again for what
// is left, from the last page logged: the 4 conversations of day 1 are all
// written, those of the first page once. Expiring again fails the run.
func TestSyncJobExpiresWhileRead(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	_, ids := jobBacklog(w, T, 4)
	w.g.SetJobsAvailability(T.Add(-48*time.Hour + time.Minute)) // only day 1 through a job
	w.g.ExpireJobsAfter(1)                                      // each job serves one page
	s := w.syncer(t, w.svc, &clock{t: T}, nil)
	s.jobPage = 2
	// Pages: d0i0 d0i1 | expired -> a new job from d0i1: d0i1 d0i2 | expired again.
	_, err := s.RunOnce(context.Background())
	var se *SyncError
	if err == nil || !asSyncError(err, &se) || se.Stage != "genesys" || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("err = %v, want a genesys-stage error saying the job expired", err)
	}
	if n := w.g.Requests(jobsRoute); n != 2 {
		t.Fatalf("%d jobs, want 2 (one resubmission); err %v", n, err)
	}
	if got := storedState(t, w.sj).Watermark; !got.Equal(startOf(t, w, "d0i2")) {
		t.Fatalf("watermark %v, want the last page's last start (d0i2)", got)
	}

	s2 := w.syncer(t, w.svc, &clock{t: T.Add(time.Minute)}, nil)
	s2.jobPage = 2
	if sum := mustRun(t, s2, 0); sum.Windows != 3 {
		t.Fatalf("next run: %s", sum)
	}
	recs := records(t, w.sj)
	for _, id := range ids {
		if _, ok := recs[id]; !ok {
			t.Errorf("%s not written", id)
		}
	}
	if recs["d0i0"].Writes != 1 {
		t.Errorf("d0i0 written %d times, want once (before the first expiry)", recs["d0i0"].Writes)
	}
}

// ServiceJourney failing inside a job window stops the run after the page
// it failed in; the state stored there (the failed one pending) lets the
// next run go on from that page: no conversation is written twice.
func TestSyncJobBackfillResumesFromTheLastPage(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	_, ids := jobBacklog(w, T, 6)
	var upserts atomic.Int32
	down := atomic.Bool{}
	url := failingProxy(t, w.sj, func(r *http.Request) bool {
		if strings.Contains(r.URL.Path, "UPSERTINTERACTION") && upserts.Add(1) > 3 {
			return down.Load()
		}
		return false
	})
	down.Store(true)
	s := w.syncer(t, w.service(t, newAppBaseClient(t, w.sj.ClientOptions(), url)), &clock{t: T}, func(o *SyncOptions) {
		o.Writers, o.MaxWriteFailures = 1, 1
	})
	s.jobPage = 2
	sum, err := s.RunOnce(context.Background())
	if err == nil || sum.Final != 3 || sum.Failed != 1 {
		t.Fatalf("run 1: %v\n%s", err, sum)
	}
	st := storedState(t, w.sj)
	if !st.Watermark.Equal(startOf(t, w, "d0i3")) || st.Pending["d0i3"].IsZero() {
		t.Fatalf("stored %+v, want the watermark at the second page's last start (d0i3) and d0i3 pending", st)
	}

	down.Store(false)
	s = w.syncer(t, w.service(t, newAppBaseClient(t, w.sj.ClientOptions(), url)), &clock{t: T.Add(time.Minute)}, func(o *SyncOptions) { o.Writers = 1 })
	s.jobPage = 2
	if sum := mustRun(t, s, 0); sum.Pending != 0 {
		t.Fatalf("run 2: %s", sum)
	}
	// Run 2 starts at d0i3 (less the 10m overlap, which holds no other):
	// the pending d0i3 is read once, through the job, not by id as well.
	recs := records(t, w.sj)
	for _, id := range ids {
		if r, ok := recs[id]; !ok || r.Writes != 1 {
			t.Errorf("%s: %+v, want one write", id, r)
		}
	}
}

func startOf(t *testing.T, w *world, id string) time.Time {
	t.Helper()
	c, ok := w.g.Conversation(id)
	if !ok {
		t.Fatalf("no conversation %s", id)
	}
	return c.StartTime
}

func asSyncError(err error, se **SyncError) bool { return errors.As(err, se) }
