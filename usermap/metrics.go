package usermap

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// registerOn returns a private registry when none is injected, so tests that
// build many Stores and Syncers never collide.
func registerOn(r prometheus.Registerer) prometheus.Registerer {
	if r == nil {
		return prometheus.NewRegistry()
	}
	return r
}

// register adds c, or returns the collector already registered under the same
// name (two Stores on one registry share their metrics instead of panicking).
func register[T prometheus.Collector](r prometheus.Registerer, c T) T {
	if err := r.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(T); ok {
				return existing
			}
		}
		panic(err) // a metric name clash with a different type is a programming error
	}
	return c
}

type storeMetrics struct {
	users   *prometheus.GaugeVec // system, status
	lookups lookupCounters
}

// lookupCounters are resolved once: Lookup is on every request's path.
type lookupCounters struct {
	hit, cached, found, notFound, failed, noMap, miss prometheus.Counter
}

func newStoreMetrics(reg prometheus.Registerer) *storeMetrics {
	reg = registerOn(reg)
	m := &storeMetrics{
		users: register(reg, prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "dcmconnect_usermap_users",
			Help: "Users in the user map in service, by system (genesys, servicejourney) and status (explicit, email, unmatched, conflict).",
		}, []string{"system", "status"})),
	}
	v := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dcmconnect_usermap_lookups_total",
		Help: "User map lookups by Genesys user id, by result (hit, cached, lookup_found, lookup_not_found, lookup_error, no_map, miss).",
	}, []string{"result"}))
	m.lookups = lookupCounters{
		hit: v.WithLabelValues("hit"), cached: v.WithLabelValues("cached"),
		found: v.WithLabelValues("lookup_found"), notFound: v.WithLabelValues("lookup_not_found"),
		failed: v.WithLabelValues("lookup_error"), noMap: v.WithLabelValues("no_map"), miss: v.WithLabelValues("miss"),
	}
	return m
}

type syncMetrics struct {
	lastSuccess prometheus.Gauge
	duration    prometheus.Gauge
	runs        *prometheus.CounterVec // outcome
	written     prometheus.Counter
	calls       *prometheus.CounterVec // call, outcome
}

func newSyncMetrics(reg prometheus.Registerer) *syncMetrics {
	reg = registerOn(reg)
	return &syncMetrics{
		lastSuccess: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_usermap_sync_last_success_timestamp_seconds",
			Help: "Unix time at which the last successful user sync finished.",
		})),
		duration: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_usermap_sync_duration_seconds",
			Help: "Duration of the last user sync, successful or not.",
		})),
		runs: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_usermap_sync_runs_total",
			Help: "User sync runs by outcome (success, genesys_error, servicejourney_error, writeback_error, canceled).",
		}, []string{"outcome"})),
		written: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dcmconnect_usermap_writeback_writes_total",
			Help: "PureCloud_UserId values written back to ServiceJourney for e-mail matches.",
		})),
		calls: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_usermap_directory_calls_total",
			Help: "Calls the user sync made to the directories, by call (genesys_users, servicejourney_users, servicejourney_set_mapping) and outcome (ok, error, timeout).",
		}, []string{"call", "outcome"})),
	}
}
