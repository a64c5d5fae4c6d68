package fakehttp

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// AnyTarget as a fault target hits every request whose own target has no
// fault queued.
const AnyTarget = "*"

// Faults is the one fault model of the fakes: faults queue per target (a
// route, an operation), the head of a target's queue answers its requests,
// and a fault given Times > 0 leaves the queue after that many hits (Times 0
// stays until Clear). A target with nothing queued falls back to AnyTarget's
// queue. F is the fake's own fault type.
type Faults[F any] struct {
	mu sync.Mutex
	q  map[string][]*queued[F]
}

type queued[F any] struct {
	f    F
	left int // 0: until Clear
}

// Add queues f for target, for times hits (0: until Clear).
func (q *Faults[F]) Add(target string, f F, times int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.q == nil {
		q.q = map[string][]*queued[F]{}
	}
	q.q[target] = append(q.q[target], &queued[F]{f: f, left: max(times, 0)})
}

// Take returns the fault that answers a request for target, using one of
// its hits, and false when none applies.
func (q *Faults[F]) Take(target string) (F, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, k := range []string{target, AnyTarget} {
		l := q.q[k]
		if len(l) == 0 {
			continue
		}
		head := l[0]
		if head.left > 0 {
			head.left--
			if head.left == 0 {
				q.q[k] = l[1:]
			}
		}
		return head.f, true
	}
	var zero F
	return zero, false
}

// Clear removes every queued fault.
func (q *Faults[F]) Clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.q = nil
}

// Reject reports a target (of a fault or a request counter) the fake does
// not know, so a typo cannot make a test pass silently: it fails the test
// when the fake was started with NewServerT, and panics otherwise. hint says
// where the known targets are.
func Reject(t T, name, target, hint string) {
	msg := fmt.Sprintf("%s: unknown target %q; %s", name, target, hint)
	if t != nil {
		t.Helper()
		t.Fatalf("%s", msg)
		return
	}
	panic(msg)
}

// Wait holds a request for an injected latency d. It returns false when the
// client gave up first (nobody reads an answer: the handler should stop).
// When the server closes meanwhile it aborts the handler, so net/http cuts
// the connection instead of sending an empty 200.
func (s *Server) Wait(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-s.closed:
		panic(http.ErrAbortHandler)
	}
}

// Drop closes the connection without an answer.
func Drop(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // not hijackable (HTTP/2): abort the stream instead
}
