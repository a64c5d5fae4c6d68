package interactions

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// jobPageSize is the most results one page of a details job returns (the
// synchronous query returns 100 a page).
const jobPageSize = 1000

// jobsAvailable is the date up to which analytics jobs hold data (zero when
// it cannot be read: the run then uses the synchronous query throughout).
// Model: platformclientv2.Dataavailabilityresponse.
func (s *Syncer) jobsAvailable(ctx context.Context) time.Time {
	qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
	defer cancel()
	t, err := s.svc.opts.Genesys.Analytics.DetailsJobsAvailability(qctx)
	s.svc.count(SystemGenesys, "analytics_details_jobs_availability", err)
	if err != nil {
		s.o.Logger.Warn("interactions: cannot read how far analytics jobs hold data; the backfill uses the synchronous query", "err", err)
		return time.Time{}
	}
	return t
}

// errJobStopped: writing stopped inside a job window (ServiceJourney is
// down, or we are shutting down). What was logged is stored page by page;
// the next run goes on from there.
var errJobStopped = errors.New("interactions: writing stopped inside a job window")

// errJobGone: the job expired (or was deleted) before all its pages were
// read; a new job for what is left can read them.
var errJobGone = errors.New("interactions: the analytics job expired before its results were read")

// jobWindow logs the conversations that started in [lo, hi) through an
// asynchronous details job (plus byID, the stored pending ones that started
// before lo, through the synchronous query by id). Pages are logged one at
// a time, so a backfill holds 1,000 conversations, and the state is stored
// after each page: a run that stops (or a job that expires) resumes from the
// last page logged, not from the start of the window. A job that expires
// while it is read is submitted again once for what is left.
func (s *Syncer) jobWindow(ctx context.Context, c *catchUp, lo, hi time.Time, byID map[string]time.Time, save bool, sum *SyncSummary) error {
	held := 0
	if len(byID) > 0 {
		convs, err := s.query(ctx, lo, lo, byID) // from == to: by id only
		if err != nil {
			return &SyncError{Stage: "genesys", Err: err}
		}
		sum.Conversations += len(convs)
		held += len(convs)
		s.process(ctx, convs, c, sum)
	}
	from := lo
	for retried := false; ; retried = true {
		n, done, err := s.readJob(ctx, c, lo, from, hi, save, sum)
		held += n
		if errors.Is(err, errJobGone) && !retried && ctx.Err() == nil {
			s.o.Logger.Warn("interactions: analytics job expired while its results were read; submitting a new one for the rest of the window",
				"from", done, "to", hi)
			from = done
			continue
		}
		if errors.Is(err, errJobStopped) {
			return nil // the run ends (c.stopped); the pages logged are stored
		}
		if err != nil {
			var se *SyncError
			if errors.As(err, &se) {
				return err
			}
			return &SyncError{Stage: "genesys", Err: err}
		}
		break
	}
	if s.onWindow != nil {
		s.onWindow(lo, hi, held)
	}
	sum.Windows++
	return s.checkpoint(ctx, c, lo, hi, save, sum)
}

// readJob submits a job for the conversations with activity in [from, hi),
// waits for it and logs those that started there, page by page, storing the
// state (from lo, the window's start) after each page but the last. It
// returns how many it logged and up to where the window is done (from, or
// the start of the last conversation of the last page logged).
func (s *Syncer) readJob(ctx context.Context, c *catchUp, lo, from, hi time.Time, save bool, sum *SyncSummary) (int, time.Time, error) {
	api := s.svc.opts.Genesys.Analytics
	done := from
	call := func(op string, fn func(context.Context) error) error {
		qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
		defer cancel()
		err := fn(qctx)
		s.svc.count(SystemGenesys, op, err)
		if op != "analytics_details_job_create" && errors.Is(err, genesys.ErrNotFound) {
			return fmt.Errorf("%w (%v)", errJobGone, err)
		}
		if err != nil {
			return &UpstreamError{System: SystemGenesys, Op: "analytics conversation details job", Err: err}
		}
		return nil
	}
	// Model: platformclientv2.Asyncconversationquery. The interval selects
	// conversations with activity in it, so those that started before it
	// are dropped below; ordered by start, so each page's last start is a
	// point up to which the window is done.
	q := &genesys.AsyncConversationQuery{
		Interval: from.UTC().Format(appbase.TimeLayout) + "/" + hi.UTC().Format(appbase.TimeLayout),
		Order:    "asc", OrderBy: "conversationStart",
	}
	var id string
	if err := call("analytics_details_job_create", func(ctx context.Context) (err error) { id, err = api.CreateDetailsJob(ctx, q); return }); err != nil {
		return 0, done, err
	}
	defer func() {
		// Frees one of the organisation's job slots; best effort.
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.o.WriteTimeout)
		err := api.DeleteDetailsJob(dctx, id)
		cancel()
		s.svc.count(SystemGenesys, "analytics_details_job_delete", err)
	}()
	if err := s.awaitJob(ctx, id, call); err != nil {
		return 0, done, err
	}

	n := 0
	ordered := true
	for cursor := ""; ; {
		var page *genesys.DetailsJobResults
		if err := call("analytics_details_job_results", func(ctx context.Context) (err error) {
			page, err = api.GetDetailsJobResults(ctx, id, cursor, s.jobPage)
			return
		}); err != nil {
			return n, done, err
		}
		convs := page.Conversations[:0]
		for _, cv := range page.Conversations {
			if cv.ConversationStart.Before(from) || !cv.ConversationStart.Before(hi) {
				continue
			}
			if cv.ConversationStart.Before(done) && ordered {
				// Not in start order after all: a page's last start no
				// longer says the window is done up to there.
				ordered = false
				s.o.Logger.Warn("interactions: analytics job results are not ordered by start; this window's state is stored only at its end", "job", id)
			}
			convs = append(convs, cv)
		}
		n += len(convs)
		sum.Conversations += len(convs)
		s.process(ctx, convs, c, sum)
		if page.Cursor == "" {
			return n, done, nil
		}
		if ordered && len(convs) > 0 {
			done = convs[len(convs)-1].ConversationStart
			// Stored up to the page's last start: the next run (or job)
			// reads that instant again, and no conversation after it is
			// skipped. Only in a run that may move the watermark.
			if err := s.checkpoint(ctx, c, lo, done, save, sum); err != nil {
				return n, done, err
			}
		}
		if c.stopped(ctx, s.o.MaxWriteFailures) {
			return n, done, errJobStopped
		}
		cursor = page.Cursor
	}
}

// awaitJob polls the job until it is FULFILLED, for at most JobTimeout.
// Model: platformclientv2.Asyncquerystatus (QUEUED, PENDING, FAILED,
// CANCELLED, FULFILLED, EXPIRED).
func (s *Syncer) awaitJob(ctx context.Context, id string, call func(string, func(context.Context) error) error) error {
	deadline := time.NewTimer(s.o.JobTimeout)
	defer deadline.Stop()
	for {
		var st *genesys.DetailsJobStatus
		if err := call("analytics_details_job_status", func(ctx context.Context) (err error) {
			st, err = s.svc.opts.Genesys.Analytics.GetDetailsJob(ctx, id)
			return
		}); err != nil {
			return err
		}
		switch st.State {
		case "FULFILLED":
			return nil
		case "QUEUED", "PENDING":
		case "EXPIRED":
			return fmt.Errorf("%w (job %s)", errJobGone, id)
		default: // FAILED, CANCELLED, or a state this version does not know
			msg := st.ErrorMessage
			if msg == "" {
				msg = "no error message"
			}
			return &UpstreamError{System: SystemGenesys, Op: "analytics conversation details job",
				Err: fmt.Errorf("job %s ended %s: %s; the next run submits it again", id, st.State, msg)}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline.C:
			return &UpstreamError{System: SystemGenesys, Op: "analytics conversation details job",
				Err: fmt.Errorf("job %s still %s after %v (interactions SyncOptions.JobTimeout); the next run submits it again", id, st.State, s.o.JobTimeout)}
		case <-s.pollAfter(s.o.JobPoll):
		}
	}
}
