package periodic

import (
	"context"
	"errors"
	"testing"
	"time"
)

type summary struct{ N int }

func TestBeginWaitsForTheRunInProgress(t *testing.T) {
	j := New[summary](nil)
	if _, err := j.Begin(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := j.Begin(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Begin during a run with a canceled context = %v, want context.Canceled", err)
	}
	if _, err := j.Hold(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Hold during a run with a canceled context = %v, want context.Canceled", err)
	}
	short, stop := context.WithTimeout(context.Background(), time.Millisecond)
	defer stop()
	if _, err := j.Begin(short); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a second Begin during a run = %v, want it to wait until its deadline", err)
	}
	second := make(chan error, 1)
	go func() { _, err := j.Begin(context.Background()); second <- err }()
	j.End(summary{1}, time.Now(), nil)
	if err := <-second; err != nil {
		t.Fatalf("the second Begin after End = %v", err)
	}
	j.End(summary{2}, time.Now(), nil)

	release, err := j.Hold(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if j.Status().Running {
		t.Error("Hold shows the job as running; it is not one of its runs")
	}
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	if _, err := j.Begin(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Begin while held = %v, want it to wait until its deadline", err)
	}
	release()
	if _, err := j.Begin(context.Background()); err != nil {
		t.Fatalf("Begin after release = %v", err)
	}
}

func TestStatusRecordsEachRun(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	j := New[summary](func() time.Time { return now })
	if st := j.Status(); st.Running || st.Last != nil || !st.LastStart.IsZero() {
		t.Fatalf("a new job's status = %+v, want empty", st)
	}
	started, _ := j.Begin(context.Background())
	if !started.Equal(now) {
		t.Errorf("started = %v, want the clock's %v", started, now)
	}
	if st := j.Status(); !st.Running || !st.LastStart.Equal(now) {
		t.Fatalf("during a run status = %+v, want running since %v", st, now)
	}
	ok := now.Add(time.Minute)
	j.End(summary{1}, ok, nil)
	st := j.Status()
	if st.Running || !st.LastEnd.Equal(ok) || !st.LastSuccess.Equal(ok) || st.LastError != "" || st.Last == nil || st.Last.N != 1 {
		t.Fatalf("after a success status = %+v", st)
	}
	st.Last.N = 99 // a copy: the caller cannot change the job's record
	if j.Status().Last.N != 1 {
		t.Fatal("Status handed out the job's own summary, not a copy")
	}

	_, _ = j.Begin(context.Background())
	failed := ok.Add(time.Minute)
	j.End(summary{2}, failed, errors.New("genesys: 503"))
	st = j.Status()
	if st.LastError != "genesys: 503" || !st.LastEnd.Equal(failed) || !st.LastSuccess.Equal(ok) || st.Last.N != 2 {
		t.Fatalf("after a failure status = %+v, want the error, the failed run and the earlier success", st)
	}
	_, _ = j.Begin(context.Background())
	j.End(summary{3}, failed.Add(time.Minute), nil)
	if st := j.Status(); st.LastError != "" {
		t.Fatalf("a success after a failure keeps LastError %q", st.LastError)
	}
}

func TestEveryWaitsWhatEachRunSaysAndShowsTheNextRun(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	j := New[summary](func() time.Time { return now })
	ctx, cancel := context.WithCancel(context.Background())
	waits := make(chan time.Duration)
	tick := make(chan time.Time)
	after := func(d time.Duration) <-chan time.Time { waits <- d; return tick }
	runs := 0
	done := make(chan struct{})
	go func() {
		defer close(done)
		j.Every(ctx, after, func(context.Context) time.Duration {
			runs++
			return time.Duration(runs) * time.Minute
		})
	}()
	for want := 1; want <= 3; want++ {
		if d := <-waits; d != time.Duration(want)*time.Minute {
			t.Fatalf("wait after run %d = %v, want the %v it returned", want, d, time.Duration(want)*time.Minute)
		}
		if next := j.Status().NextRun; !next.Equal(now.Add(time.Duration(want) * time.Minute)) {
			t.Fatalf("NextRun after run %d = %v", want, next)
		}
		if want < 3 {
			tick <- now
		}
	}
	cancel()
	<-done
	if runs != 3 {
		t.Errorf("runs = %d, want 3 (none after the context ended)", runs)
	}
	if next := j.Status().NextRun; !next.IsZero() {
		t.Errorf("NextRun after Every returned = %v, want zero (not scheduled)", next)
	}
}

func TestEveryDoesNotScheduleAfterARunEndedByItsContext(t *testing.T) {
	j := New[summary](nil)
	ctx, cancel := context.WithCancel(context.Background())
	j.Every(ctx, func(time.Duration) <-chan time.Time {
		t.Fatal("Every waited after the context ended")
		return nil
	}, func(context.Context) time.Duration { cancel(); return time.Minute })
	if next := j.Status().NextRun; !next.IsZero() {
		t.Errorf("NextRun = %v, want zero", next)
	}
}
