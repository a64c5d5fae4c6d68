// Package periodic is what the background jobs (the user sync, the
// interaction sync) share about their runs: one run at a time, the status the
// supervisor page shows, and a loop that starts the next run a wait after the
// end of the last, so runs never overlap or pile up.
package periodic

import (
	"context"
	"sync"
	"time"
)

// Status is what the supervisor page shows about a job whose runs are
// summed up as an S.
type Status[S any] struct {
	Running     bool      `json:"running"`
	LastStart   time.Time `json:"lastStart,omitzero"`
	LastEnd     time.Time `json:"lastEnd,omitzero"`
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
	LastError   string    `json:"lastError,omitempty"` // of the last run; empty when it succeeded
	NextRun     time.Time `json:"nextRun,omitzero"`    // zero when not scheduled (no Every loop)
	Last        *S        `json:"last,omitempty"`
}

// Job records the runs of one job. Begin and End bracket a run; Status is
// safe to call at any time.
type Job[S any] struct {
	now func() time.Time
	sem chan struct{} // one run at a time

	mu     sync.Mutex
	status Status[S]
}

// New is a Job whose runs start and end by now (time.Now when nil).
func New[S any](now func() time.Time) *Job[S] {
	if now == nil {
		now = time.Now
	}
	return &Job[S]{now: now, sem: make(chan struct{}, 1)}
}

// Begin waits for the run in progress to end (or for ctx) and starts one: it
// is shown as running from the time it returns. A nil error must be followed
// by End.
func (j *Job[S]) Begin(ctx context.Context) (started time.Time, err error) {
	select {
	case j.sem <- struct{}{}:
	case <-ctx.Done():
		return time.Time{}, ctx.Err()
	}
	started = j.now()
	j.mu.Lock()
	j.status.Running, j.status.LastStart = true, started
	j.mu.Unlock()
	return started, nil
}

// Hold waits like Begin for work that must not overlap a run but is not one
// of the job's runs (not shown in its status); release lets the next begin.
func (j *Job[S]) Hold(ctx context.Context) (release func(), err error) {
	select {
	case j.sem <- struct{}{}:
		return func() { <-j.sem }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// End records the run begun last: its summary, when it finished and how it
// failed (nil: it succeeded), and lets the next run begin.
func (j *Job[S]) End(sum S, finished time.Time, err error) {
	j.mu.Lock()
	j.status.Running = false
	j.status.LastEnd = finished
	j.status.LastError = ""
	if err != nil {
		j.status.LastError = err.Error()
	} else {
		j.status.LastSuccess = finished
	}
	j.status.Last = &sum
	j.mu.Unlock()
	<-j.sem
}

// Status is a copy of the job's status (the last summary copied too).
func (j *Job[S]) Status() Status[S] {
	j.mu.Lock()
	defer j.mu.Unlock()
	st := j.status
	if st.Last != nil {
		c := *st.Last
		st.Last = &c
	}
	return st
}

// Every calls run now and then again, each time after the wait that run
// returned (measured from its end), until ctx is done; the status shows the
// next run's time meanwhile. after waits (time.After; tests give their own).
func (j *Job[S]) Every(ctx context.Context, after func(time.Duration) <-chan time.Time, run func(context.Context) (wait time.Duration)) {
	defer func() {
		j.mu.Lock()
		j.status.NextRun = time.Time{}
		j.mu.Unlock()
	}()
	for {
		wait := run(ctx)
		if ctx.Err() != nil {
			return
		}
		j.mu.Lock()
		j.status.NextRun = j.now().Add(wait)
		j.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-after(wait):
		}
	}
}
