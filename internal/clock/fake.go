package clock

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// Fake is a clock that moves only when told. Its timers fire when Advance
// or AdvanceToNext passes their deadline; Wait tells a test when the code
// under test is blocked on its timers, so the test can move time knowing
// nothing else is under way. Its Now also serves as the now func of the
// fakes' WithClock options.
type Fake struct {
	mu      sync.Mutex
	now     time.Time
	pending []*fakeTimer
	// changed is closed (and replaced) whenever a timer is added, so Wait
	// can block without polling.
	changed chan struct{}
}

type fakeTimer struct {
	f    *Fake
	at   time.Time
	c    chan time.Time
	done bool // fired or stopped
}

// NewFake returns a fake clock reading t0.
func NewFake(t0 time.Time) *Fake { return &Fake{now: t0, changed: make(chan struct{})} }

// Now is the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// NewTimer returns a timer that fires when the fake time reaches Now()+d
// (at once when d <= 0).
func (f *Fake) NewTimer(d time.Duration) Timer {
	f.mu.Lock()
	defer f.mu.Unlock()
	t := &fakeTimer{f: f, at: f.now.Add(d), c: make(chan time.Time, 1)}
	if d <= 0 {
		t.done = true
		t.c <- f.now
		return t
	}
	f.pending = append(f.pending, t)
	close(f.changed)
	f.changed = make(chan struct{})
	return t
}

func (t *fakeTimer) C() <-chan time.Time { return t.c }

func (t *fakeTimer) Stop() bool {
	t.f.mu.Lock()
	defer t.f.mu.Unlock()
	if t.done {
		return false
	}
	t.done = true
	t.f.remove(t)
	return true
}

func (f *Fake) remove(t *fakeTimer) {
	for i, p := range f.pending {
		if p == t {
			f.pending = append(f.pending[:i], f.pending[i+1:]...)
			return
		}
	}
}

// Pending is the number of timers that have neither fired nor been stopped.
func (f *Fake) Pending() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pending)
}

// Wait blocks until at least n timers are pending (the code under test is
// waiting on them), or ctx ends; the error then says how many were.
func (f *Fake) Wait(ctx context.Context, n int) error {
	for {
		f.mu.Lock()
		have, changed := len(f.pending), f.changed
		f.mu.Unlock()
		if have >= n {
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return fmt.Errorf("clock: %d timers pending, want %d: %w", f.Pending(), n, ctx.Err())
		}
	}
}

// Advance moves the time forward by d and fires, in deadline order, the
// timers due by then.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fireUntil(f.now.Add(d))
}

// AdvanceToNext moves the time to the earliest pending deadline and fires
// every timer due then; it returns how far time moved (0 with no timer).
func (f *Fake) AdvanceToNext() time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.pending) == 0 {
		return 0
	}
	next := f.pending[0].at
	for _, t := range f.pending[1:] {
		if t.at.Before(next) {
			next = t.at
		}
	}
	d := max(next.Sub(f.now), 0)
	f.fireUntil(next)
	return d
}

func (f *Fake) fireUntil(end time.Time) {
	sort.SliceStable(f.pending, func(i, j int) bool { return f.pending[i].at.Before(f.pending[j].at) })
	for len(f.pending) > 0 && !f.pending[0].at.After(end) {
		t := f.pending[0]
		f.pending = f.pending[1:]
		if t.at.After(f.now) {
			f.now = t.at
		}
		t.done = true
		t.c <- f.now // buffered 1, and sent once
	}
	if end.After(f.now) {
		f.now = end
	}
}
