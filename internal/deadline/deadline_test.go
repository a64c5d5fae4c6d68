package deadline

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestPassSetsNoTimer(t *testing.T) {
	ctx := Pass(context.Background(), time.Now().Add(-time.Second)) // long past
	if _, ok := ctx.Deadline(); ok {
		t.Error("a passed deadline shows as the context's own")
	}
	if ctx.Err() != nil || ctx.Done() != nil {
		t.Errorf("a passed deadline ended the context: %v", ctx.Err())
	}
}

func TestOfIsTheEarlier(t *testing.T) {
	now := time.Now()
	early, late := now.Add(time.Minute), now.Add(time.Hour)
	if _, ok := Of(context.Background()); ok {
		t.Error("a deadline for a context without any")
	}
	own, cancel := context.WithDeadline(context.Background(), early)
	defer cancel()
	for _, c := range []struct {
		name string
		ctx  context.Context
		want time.Time
	}{
		{"passed only", Pass(context.Background(), late), late},
		{"own earlier", Pass(own, late), early},
		{"passed earlier", func() context.Context {
			o, cancel := context.WithDeadline(context.Background(), late)
			t.Cleanup(cancel)
			return Pass(o, early)
		}(), early},
		{"own only", own, early},
	} {
		if d, ok := Of(c.ctx); !ok || !d.Equal(c.want) {
			t.Errorf("%s: Of = %v %v, want %v", c.name, d, ok, c.want)
		}
	}
}

func TestBoundEndsAtThePassedDeadline(t *testing.T) {
	ctx, cancel := Bound(Pass(context.Background(), time.Now().Add(20*time.Millisecond)))
	defer cancel()
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the bound context did not end at the passed deadline")
	}
	if !errors.Is(ctx.Err(), context.DeadlineExceeded) {
		t.Errorf("err = %v, want the deadline", ctx.Err())
	}
	// Bounding again adds nothing: its own deadline is the passed one.
	again, cancel2 := Bound(ctx)
	defer cancel2()
	if again != ctx {
		t.Error("a second Bound made a second context")
	}
}

func TestBoundKeepsAnEarlierOwnDeadline(t *testing.T) {
	own, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ctx := Pass(own, time.Now().Add(time.Hour))
	if b, _ := Bound(ctx); b != ctx {
		t.Error("Bound made a context though its own deadline comes first")
	}
	plain := context.Background()
	if b, _ := Bound(plain); b != plain {
		t.Error("Bound made a context without a passed deadline")
	}
}

func TestDetachDropsThePassedDeadline(t *testing.T) {
	type k struct{}
	parent, cancel := context.WithCancel(context.WithValue(context.Background(), k{}, "v"))
	d := Detach(Pass(parent, time.Now().Add(time.Minute)))
	cancel()
	if _, ok := Passed(d); ok {
		t.Error("detached work kept the caller's passed deadline")
	}
	if d.Err() != nil || d.Value(k{}) != "v" {
		t.Errorf("not detached as WithoutCancel: err %v, value %v", d.Err(), d.Value(k{}))
	}
}
