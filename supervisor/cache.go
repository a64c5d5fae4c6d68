package supervisor

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/loadonce"
)

// shared holds upstream answers that every supervisor sees alike (agents'
// presence, today's interactions, upstream health). Within ttl of the last
// attempt callers get the cached answer; after it, concurrent callers wait on
// one fetch. So N supervisors polling cost one upstream query per interval,
// and nobody looking costs none.
type shared[T any] struct {
	what    string // metric label: "agents", "interactions", "health"
	ttl     time.Duration
	now     func() time.Time
	fetch   func(ctx context.Context, key string) (T, error)
	metrics *supervisorMetrics
	cache   *loadonce.Cache[string, sharedResult[T]]
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
	s := &shared[T]{what: what, ttl: ttl, now: now, fetch: fetch, metrics: m}
	s.cache = loadonce.New(s.refresh, loadonce.Options{Timeout: timeout, Now: now, MaxEntries: maxSharedKeys, EvictWhenFull: true})
	return s
}

// get returns the answer for key, fetching it when the last attempt is older
// than ttl. A failed fetch is remembered for ttl too, so a broken upstream is
// not hammered; callers then get the last good value marked stale, or the error.
func (s *shared[T]) get(ctx context.Context, key string) (sharedResult[T], error) {
	r, hit, err := s.cache.Get(ctx, key)
	if hit {
		s.metrics.served(s.what, "cached")
	} else if ctx.Err() == nil {
		s.metrics.served(s.what, "fetched")
	}
	return r, err
}

func (s *shared[T]) refresh(ctx context.Context, key string) (sharedResult[T], time.Duration, error) {
	v, err := s.fetch(ctx, key)
	s.metrics.fetched(s.what, err)
	if err == nil {
		return sharedResult[T]{Val: v, AsOf: s.now()}, s.ttl, nil
	}
	if last, lerr, _, ok := s.cache.Last(key); ok && lerr == nil {
		return sharedResult[T]{Val: last.Val, AsOf: last.AsOf, Stale: err}, s.ttl, nil
	}
	return sharedResult[T]{}, s.ttl, err
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
