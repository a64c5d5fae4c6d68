// Package deadline hands a call's deadline down as a value, for callees
// that bound each of their waits by a context of their own anyway: such a
// callee makes one context with the earlier of its own deadline and the
// one handed down, instead of the caller making a timer-backed context and
// the callee a second one below it (each costs a timer, a child
// registration and its cancellation, on every call).
//
// A context from Pass is not ended by its deadline. It may only be given to
// code that ends every wait by it: a context of its own made with Of's
// deadline, or Bound.
package deadline

import (
	"context"
	"time"
)

type key struct{}

// Pass returns a child of ctx that carries d for Of and Bound, without a
// timer: nothing ends it at d.
//
// Like any value, d stays with contexts derived from it, detached ones
// (context.WithoutCancel) too: work meant to outlive the caller starts from
// Detach instead.
func Pass(ctx context.Context, d time.Time) context.Context {
	return context.WithValue(ctx, key{}, d)
}

// Detach is context.WithoutCancel(ctx) without a passed deadline: for
// work that outlives the caller (a shared fetch others wait for).
func Detach(ctx context.Context) context.Context {
	d := context.WithoutCancel(ctx)
	if _, ok := Passed(ctx); ok {
		d = context.WithValue(d, key{}, nil)
	}
	return d
}

// Passed is the deadline Pass handed down, if any.
func Passed(ctx context.Context) (time.Time, bool) {
	d, ok := ctx.Value(key{}).(time.Time)
	return d, ok
}

// Of is when the work of ctx must end: the earlier of ctx's own deadline
// and a passed one; ok is false when it has neither.
func Of(ctx context.Context) (d time.Time, ok bool) {
	d, ok = ctx.Deadline()
	if p, passed := Passed(ctx); passed && (!ok || p.Before(d)) {
		return p, true
	}
	return d, ok
}

// Bound returns ctx ended at its passed deadline as well, for a wait that
// no context of the callee's own bounds: a timer is set only when a passed
// deadline comes before ctx's own.
func Bound(ctx context.Context) (context.Context, context.CancelFunc) {
	p, ok := Passed(ctx)
	if !ok {
		return ctx, func() {}
	}
	if own, ok := ctx.Deadline(); ok && !own.After(p) {
		return ctx, func() {}
	}
	return context.WithDeadline(ctx, p)
}
