package supervisor

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/singleflight"
)

// shared holds upstream answers that every supervisor sees alike (agents'
// presence, today's interactions, upstream health). Within ttl of the last
// attempt callers get the cached answer; after it, concurrent callers wait on
// one fetch (singleflight). So N supervisors polling cost one upstream query
// per interval, and nobody looking costs none.
type shared[T any] struct {
	what    string // metric label: "agents", "interactions", "health"
	ttl     time.Duration
	timeout time.Duration
	now     func() time.Time
	fetch   func(ctx context.Context, key string) (T, error)
	metrics *supervisorMetrics

	group   singleflight.Group
	mu      sync.Mutex
	entries map[string]*sharedEntry[T]
}

// sharedEntry is what one key last gave: the last attempt and the last success.
type sharedEntry[T any] struct {
	tried   time.Time // when the last fetch finished
	err     error     // of the last fetch; nil when it succeeded
	val     T         // of the last success
	asOf    time.Time // when the last success finished; zero: never
	lastUse time.Time
}

// sharedResult is one answer: the value, when it was fetched, and (when the
// latest fetch failed but an older value exists) that failure.
type sharedResult[T any] struct {
	Val   T
	AsOf  time.Time
	Stale error // non-nil: Val is from an earlier fetch; the last one failed
}

// maxSharedKeys bounds the per-key map (interactions are keyed by the
// caller's day start, i.e. by time zone).
const maxSharedKeys = 64

func newShared[T any](what string, ttl, timeout time.Duration, now func() time.Time, m *supervisorMetrics,
	fetch func(ctx context.Context, key string) (T, error)) *shared[T] {
	return &shared[T]{what: what, ttl: ttl, timeout: timeout, now: now, fetch: fetch, metrics: m, entries: map[string]*sharedEntry[T]{}}
}

// get returns the answer for key, fetching it when the last attempt is older
// than ttl. A failed fetch is remembered for ttl too, so a broken upstream is
// not hammered; callers then get the last good value marked stale, or the error.
func (s *shared[T]) get(ctx context.Context, key string) (sharedResult[T], error) {
	if r, err, ok := s.cached(key); ok {
		s.metrics.served(s.what, "cached")
		return r, err
	}
	ch := s.group.DoChan(key, func() (any, error) {
		// A flight that finished just before this one started has already
		// refreshed the entry: do not ask upstream twice.
		if r, err, ok := s.cached(key); ok {
			return flight[T]{r, err}, nil
		}
		// The fetch serves every waiting supervisor, so the first caller
		// leaving must not cancel it; it gets its own deadline instead.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.timeout)
		defer cancel()
		v, err := s.safeFetch(fctx, key)
		s.metrics.fetched(s.what, err)
		s.store(key, v, err)
		r, rerr, _ := s.cached(key)
		return flight[T]{r, rerr}, nil
	})
	select {
	case res := <-ch:
		f := res.Val.(flight[T])
		s.metrics.served(s.what, "fetched")
		return f.r, f.err
	case <-ctx.Done():
		return sharedResult[T]{}, ctx.Err()
	}
}

// safeFetch turns a panic in a fetch into an error: DoChan would re-panic it
// on its own goroutine, outside the request's recovery, and end the process.
func (s *shared[T]) safeFetch(ctx context.Context, key string) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("supervisor %s refresh failed: %v", s.what, p)
		}
	}()
	return s.fetch(ctx, key)
}

type flight[T any] struct {
	r   sharedResult[T]
	err error
}

// cached answers from the entry while it is fresh (ok false: fetch).
func (s *shared[T]) cached(key string) (sharedResult[T], error, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.entries[key]
	now := s.now()
	if e == nil || e.tried.IsZero() || now.Sub(e.tried) >= s.ttl || now.Before(e.tried) {
		return sharedResult[T]{}, nil, false
	}
	e.lastUse = now
	if e.err == nil {
		return sharedResult[T]{Val: e.val, AsOf: e.asOf}, nil, true
	}
	if !e.asOf.IsZero() {
		return sharedResult[T]{Val: e.val, AsOf: e.asOf, Stale: e.err}, nil, true
	}
	return sharedResult[T]{}, e.err, true
}

func (s *shared[T]) store(key string, v T, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	e := s.entries[key]
	if e == nil {
		if len(s.entries) >= maxSharedKeys {
			s.evictOldest()
		}
		e = &sharedEntry[T]{}
		s.entries[key] = e
	}
	e.tried, e.err, e.lastUse = now, err, now
	if err == nil {
		e.val, e.asOf = v, now
	}
}

func (s *shared[T]) evictOldest() {
	var oldest string
	var at time.Time
	for k, e := range s.entries {
		if oldest == "" || e.lastUse.Before(at) {
			oldest, at = k, e.lastUse
		}
	}
	delete(s.entries, oldest)
}

// supervisorMetrics count how the shared answers were served, so an operator
// can see that supervisors are not multiplying upstream calls.
type supervisorMetrics struct {
	fetches *prometheus.CounterVec
	serves  *prometheus.CounterVec
}

func newSupervisorMetrics(reg prometheus.Registerer) (*supervisorMetrics, error) {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &supervisorMetrics{
		fetches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_supervisor_upstream_fetches_total",
			Help: "Upstream refreshes of data shared by all supervisors, by kind and outcome (ok, error).",
		}, []string{"kind", "outcome"}),
		serves: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_supervisor_answers_total",
			Help: "Supervisor answers by kind and source (cached: no upstream call; fetched: waited for a refresh).",
		}, []string{"kind", "source"}),
	}
	for _, c := range []prometheus.Collector{m.fetches, m.serves} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *supervisorMetrics) fetched(kind string, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.fetches.WithLabelValues(kind, outcome).Inc()
}

func (m *supervisorMetrics) served(kind, source string) { m.serves.WithLabelValues(kind, source).Inc() }
