package usermap

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

type storeMetrics struct {
	users   *prometheus.GaugeVec // system, status
	lookups lookupCounters
}

// lookupCounters are resolved once: Lookup is on every request's path.
type lookupCounters struct {
	hit, cached, found, notFound, failed, noMap, miss prometheus.Counter
}

func newStoreMetrics(reg prometheus.Registerer) *storeMetrics {
	reg = promreg.Or(reg)
	m := &storeMetrics{
		users: promreg.GaugeVec(reg, "dcmconnect_usermap_users",
			"Users in the user map in service, by system (genesys, servicejourney) and status (explicit, email, unmatched, conflict).", "system", "status"),
	}
	v := promreg.CounterVec(reg, "dcmconnect_usermap_lookups_total", "User map lookups by Genesys user id, by result (hit, cached, lookup_found, lookup_not_found, lookup_error, no_map, miss).", "result")
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
	reg = promreg.Or(reg)
	return &syncMetrics{
		lastSuccess: promreg.Gauge(reg, "dcmconnect_usermap_sync_last_success_timestamp_seconds", "Unix time at which the last successful user sync finished."),
		duration:    promreg.Gauge(reg, "dcmconnect_usermap_sync_duration_seconds", "Duration of the last user sync, successful or not."),
		runs:        promreg.CounterVec(reg, "dcmconnect_usermap_sync_runs_total", "User sync runs by outcome (success, genesys_error, servicejourney_error, writeback_error, canceled).", "outcome"),
		written:     promreg.Counter(reg, "dcmconnect_usermap_writeback_writes_total", "PureCloud_UserId values written back to ServiceJourney for e-mail matches."),
		calls:       promreg.CounterVec(reg, "dcmconnect_usermap_directory_calls_total", "Calls the user sync made to the directories, by call (genesys_users, servicejourney_users, servicejourney_set_mapping) and outcome (ok, error, timeout).", "call", "outcome"),
	}
}
