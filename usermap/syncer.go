package usermap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/periodic"
)

// SyncOptions configures a Syncer.
type SyncOptions struct {
	Genesys GenesysDirectory // required
	SJ      SJDirectory      // required
	Store   *Store           // required: where a successful sync is published
	// WriteBack stores e-mail matches as explicit PureCloud_UserId (config
	// usermap.writeBack, off by default).
	WriteBack  bool
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
	// FetchTimeout bounds each directory listing (all pages). Default 5 min.
	FetchTimeout time.Duration
	// WriteTimeout bounds each write-back call. Default 30 s.
	WriteTimeout time.Duration
	// After waits between runs in Run; default time.After. Tests inject a
	// channel they control.
	After func(time.Duration) <-chan time.Time
}

// Syncer is the user sync job.
type Syncer struct {
	opts SyncOptions
	m    *syncMetrics
	job  *periodic.Job[Summary]
}

// NewSyncer checks the options and returns the job.
func NewSyncer(o SyncOptions) (*Syncer, error) {
	var missing []error
	if o.Genesys == nil {
		missing = append(missing, errors.New("usermap: SyncOptions.Genesys is nil; pass the Genesys user directory"))
	}
	if o.SJ == nil {
		missing = append(missing, errors.New("usermap: SyncOptions.SJ is nil; pass the ServiceJourney user directory"))
	}
	if o.Store == nil {
		missing = append(missing, errors.New("usermap: SyncOptions.Store is nil; pass the Store that serves lookups (usermap.NewStore)"))
	}
	if o.FetchTimeout < 0 || o.WriteTimeout < 0 {
		missing = append(missing, errors.New("usermap: SyncOptions.FetchTimeout and WriteTimeout must not be negative; use 0 for the defaults"))
	}
	if len(missing) > 0 {
		return nil, errors.Join(missing...)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.FetchTimeout == 0 {
		o.FetchTimeout = 5 * time.Minute
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = defaultWriteTimeout
	}
	if o.After == nil {
		o.After = time.After
	}
	return &Syncer{opts: o, m: newSyncMetrics(o.Registerer), job: periodic.New[Summary](o.Now)}, nil
}

// RunOnce runs one sync: list Genesys users, list ServiceJourney users, Build,
// write back (if on), publish to the Store. If either listing fails the
// previous map stays in service and the error is a *SyncError. A write-back
// failure still publishes the (correct) new map but fails the run. Calls wait
// for a run in progress rather than overlapping it.
func (s *Syncer) RunOnce(ctx context.Context) (Summary, error) {
	started, err := s.job.Begin(ctx)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Started: started, WriteBack: s.opts.WriteBack}
	err = s.run(ctx, &sum)

	sum.Finished = s.opts.Now()
	sum.Duration = sum.Finished.Sub(sum.Started)
	sum.DurationSeconds = sum.Duration.Seconds()
	sum.OK = err == nil
	if err != nil {
		sum.Error = err.Error()
	}
	s.record(sum, err)
	return sum, err
}

func (s *Syncer) run(ctx context.Context, sum *Summary) error {
	gctx, cancel := context.WithTimeout(ctx, s.opts.FetchTimeout)
	genesys, err := s.opts.Genesys.ActiveUsers(gctx)
	cancel()
	s.call("genesys_users", err)
	if err != nil {
		return &SyncError{Stage: "genesys", Err: err}
	}
	sctx, cancel := context.WithTimeout(ctx, s.opts.FetchTimeout)
	sj, err := s.opts.SJ.Users(sctx)
	cancel()
	s.call("servicejourney_users", err)
	if err != nil {
		return &SyncError{Stage: "servicejourney", Err: err}
	}

	r := Build(genesys, sj)
	r.GeneratedAt = sum.Started
	// An empty listing where the map in service has users is a failure seen
	// as success (a permission taken away, a rule changed): publishing it
	// would leave every agent unmapped.
	if prev := s.opts.Store.Report(); prev != nil {
		switch {
		case r.GenesysUsers == 0 && prev.GenesysUsers > 0:
			return &SyncError{Stage: "genesys", Err: fmt.Errorf("%w: Genesys Cloud listed no active users, the map in service has %d; check that the client-credentials OAuth client may still list users (role with directory:user:view)", ErrEmptyListing, prev.GenesysUsers)}
		case r.SJUsers == 0 && prev.SJUsers > 0:
			return &SyncError{Stage: "servicejourney", Err: fmt.Errorf("%w: ServiceJourney's GETUSERS rule returned no users, the map in service has %d; check the rule and that the system user may still see users", ErrEmptyListing, prev.SJUsers)}
		}
	}
	var wbErr error
	if s.opts.WriteBack {
		written, err := writeBack(ctx, s.opts.SJ, r, s.opts.WriteTimeout, func(err error) { s.call("servicejourney_set_mapping", err) })
		sum.Written = len(written)
		s.m.written.Add(float64(len(written)))
		if len(written) > 0 {
			r = withOverrides(r, written) // the written pairs are explicit now
		}
		if err != nil {
			wbErr = &SyncError{Stage: "writeback", Err: err}
		}
	}
	s.opts.Store.Replace(r)
	sum.MapUpdated = true
	sum.GenesysUsers, sum.SJUsers, sum.Ignored = r.GenesysUsers, r.SJUsers, r.Ignored
	sum.Counts, sum.GenesysCounts, sum.SJCounts = r.Counts, r.GenesysCounts, r.SJCounts
	return wbErr
}

func (s *Syncer) call(name string, err error) {
	outcome := "ok"
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		outcome = "timeout"
	case err != nil:
		outcome = "error"
	}
	s.m.calls.WithLabelValues(name, outcome).Inc()
}

func (s *Syncer) record(sum Summary, err error) {
	outcome := "success"
	var se *SyncError
	if errors.Is(err, context.Canceled) {
		outcome = "canceled" // shutdown, not an upstream failure
	} else if errors.As(err, &se) {
		outcome = se.Stage + "_error"
	} else if err != nil {
		outcome = "error"
	}
	s.m.runs.WithLabelValues(outcome).Inc()
	s.m.duration.Set(sum.DurationSeconds)

	s.job.End(sum, sum.Finished, err)

	if err == nil {
		s.m.lastSuccess.Set(float64(sum.Finished.UnixNano()) / 1e9)
		s.opts.Logger.Info("usermap: user sync ok", "summary", sum.String())
		return
	}
	if outcome == "canceled" {
		s.opts.Logger.Info("usermap: user sync canceled", "err", err, "mapUpdated", sum.MapUpdated)
		return
	}
	s.opts.Logger.Error("usermap: user sync failed", "outcome", outcome, "err", err, "mapUpdated", sum.MapUpdated)
}

// LastRun reports the job's state for the supervisor page.
func (s *Syncer) LastRun() RunStatus { return s.job.Status() }

// Run syncs now and then every interval (measured from the end of one run to
// the start of the next, so runs never overlap or pile up) until ctx is done.
// Failures are logged and retried at the next interval.
func (s *Syncer) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("usermap: sync interval %v is not positive; set usermap.syncInterval, e.g. 15m", interval)
	}
	s.job.Every(ctx, s.opts.After, func(ctx context.Context) time.Duration {
		_, _ = s.RunOnce(ctx) // recorded, logged and shown by LastRun
		return interval
	})
	return nil
}
