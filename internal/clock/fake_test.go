package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func TestFakeTimersFireWhenTimePassesTheirDeadline(t *testing.T) {
	f := NewFake(t0)
	late, early := f.NewTimer(3*time.Second), f.NewTimer(time.Second)
	f.Advance(999 * time.Millisecond)
	select {
	case <-early.C():
		t.Fatal("a 1s timer fired after 999ms")
	default:
	}
	if f.AdvanceToNext() != time.Millisecond {
		t.Fatalf("now %v; the next deadline is 1ms on", f.Now())
	}
	if at := <-early.C(); !at.Equal(t0.Add(time.Second)) {
		t.Fatalf("fired at %v", at)
	}
	if f.Pending() != 1 || !late.Stop() || late.Stop() || f.Pending() != 0 {
		t.Fatal("Stop: the first stops a pending timer, the second reports it stopped")
	}
	f.Advance(time.Hour)
	select {
	case <-late.C():
		t.Fatal("a stopped timer fired")
	default:
	}
	if now := <-f.NewTimer(0).C(); !now.Equal(t0.Add(time.Hour + time.Second)) {
		t.Fatalf("a zero timer fired at %v", now)
	}
	if f.AdvanceToNext() != 0 || !f.Now().Equal(t0.Add(time.Hour+time.Second)) {
		t.Fatal("AdvanceToNext without timers moved time")
	}
}

func TestFakeWaitReturnsOnceTheCodeIsBlockedOnItsTimers(t *testing.T) {
	f := NewFake(t0)
	woke := make(chan time.Time)
	for range 2 {
		go func() { woke <- <-f.NewTimer(time.Minute).C() }()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := f.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
	f.Advance(time.Minute)
	for range 2 {
		if at := <-woke; !at.Equal(t0.Add(time.Minute)) {
			t.Fatalf("woke at %v", at)
		}
	}
	short, cancel2 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel2()
	if err := f.Wait(short, 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait with nothing pending = %v; want the deadline", err)
	}
}
