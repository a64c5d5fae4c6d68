package api

import (
	"context"
	"fmt"
	"net/http"
	"runtime/debug"
	"time"
)

// DefaultWriteTimeout is the server's write timeout when Options.WriteTimeout
// is not set; it matches config's default for server.writeTimeout.
const DefaultWriteTimeout = 30 * time.Second

// maxVerifyBudget bounds token verification: it is one users/me lookup, and
// the method behind it needs the rest of the budget.
const maxVerifyBudget = 5 * time.Second

// budget is how long method m may take in all, verification included. It is
// always below the server's write timeout: past the write timeout the
// connection closes with nothing, so the page would wait and the browser
// re-send the request.
func (s *Server) budget(m Method) time.Duration {
	b := s.opts.WriteTimeout - s.margin()
	if m.Budget > 0 && m.Budget < b {
		b = m.Budget
	}
	return b
}

// margin is the time kept between a method's budget and the write timeout:
// half of it lets a method that honours its ctx report which upstream was
// slow, the rest is for writing the answer.
func (s *Server) margin() time.Duration {
	return min(max(s.opts.WriteTimeout/10, 100*time.Millisecond), 3*time.Second)
}

// verifyBudget is token verification's own share of a method's budget.
func verifyBudget(total time.Duration) time.Duration {
	return min(total/3, maxVerifyBudget)
}

// within runs f, but returns when ctx ends even if f does not, so the page
// always gets its answer in time: f gets grace to return its own (more
// precise) error, then within returns ctx's error and abandoned = true.
// f must not touch the gin context.
func within[T any](ctx context.Context, grace time.Duration, f func(context.Context) (T, error)) (v T, err error, abandoned bool) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var r result
		// A panic here would escape gin's recovery: it becomes an error.
		defer func() {
			if v := recover(); v != nil {
				r.err = &panicError{value: v, stack: debug.Stack()}
			}
			ch <- r
		}()
		r.v, r.err = f(ctx)
	}()
	select {
	case r := <-ch:
		return r.v, r.err, false
	case <-ctx.Done():
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case r := <-ch:
		return r.v, r.err, false
	case <-t.C:
		var zero T
		return zero, ctx.Err(), true
	}
}

// handleBounded calls a Bounded method's Handle on the caller's goroutine: it
// returns with ctx, so neither a goroutine nor its growing stack is needed.
// A panic becomes the same error within makes of it.
func handleBounded(ctx context.Context, m Method, call *Call) (v any, err error) {
	defer func() {
		if p := recover(); p != nil {
			v, err = nil, &panicError{value: p, stack: debug.Stack()}
		}
	}()
	return m.Handle(ctx, call)
}

// overBudget is the 504 a page gets when a method ran out of its budget; the
// pages offer to try again on any 5xx.
func overBudget(what string, budget time.Duration, cause error) *Error {
	return &Error{Status: http.StatusGatewayTimeout,
		Message: fmt.Sprintf("%s did not finish within %s; try again", what, budget.Round(time.Millisecond)), Err: cause}
}

// panicError is a method that panicked; the server logs it with its stack
// and answers 500.
type panicError struct {
	value any
	stack []byte
}

func (p *panicError) Error() string { return fmt.Sprintf("panic: %v", p.value) }
