package interactions

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

type serviceMetrics struct {
	pops      *prometheus.CounterVec // outcome
	popTime   prometheus.Histogram
	writes    *prometheus.CounterVec // source, event, outcome
	names     *prometheus.CounterVec // kind, result
	dials     *prometheus.CounterVec // outcome
	upstream  *prometheus.CounterVec // system, op, outcome
	summaries *prometheus.CounterVec // outcome
}

func newServiceMetrics(reg prometheus.Registerer) *serviceMetrics {
	reg = promreg.Or(reg)
	return &serviceMetrics{
		pops: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_screenpops_total",
			Help: "Screen pops by outcome (one, many, none, internal, not_mapped, not_participant, conversation_gone, no_user_map, genesys_error, servicejourney_error).",
		}, []string{"outcome"})),
		popTime: promreg.Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dcmconnect_interactions_screenpop_duration_seconds",
			Help:    "Server time of one screen pop, upstream calls included.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		})),
		writes: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_log_writes_total",
			Help: "UPSERTINTERACTION writes by source (page, sync), event (connect, disconnect, wrapup, final, partial) and outcome (ok, error).",
		}, []string{"source", "event", "outcome"})),
		names: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_name_lookups_total",
			Help: "Queue and wrap-up code name lookups by kind (queue, wrapup) and result (cached, fetched, error).",
		}, []string{"kind", "result"})),
		dials: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_dials_total",
			Help: "Click-to-dial requests by outcome (ok, bad_number, error).",
		}, []string{"outcome"})),
		summaries: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_summaries_total",
			Help: "AI summary follow-ups after wrap-up by outcome (written, none: no summary within interactions.summaryWait, error: the write failed, busy: too many waiting).",
		}, []string{"outcome"})),
		upstream: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_upstream_calls_total",
			Help: "Calls the interactions package made, by system (genesys, servicejourney), operation and outcome (ok, error, timeout).",
		}, []string{"system", "op", "outcome"})),
	}
}

type syncMetrics struct {
	runs        *prometheus.CounterVec // outcome
	convs       *prometheus.CounterVec // result
	lastSuccess prometheus.Gauge
	duration    prometheus.Gauge
	pending     prometheus.Gauge
	watermark   prometheus.Gauge
}

func newSyncMetrics(reg prometheus.Registerer) *syncMetrics {
	reg = promreg.Or(reg)
	return &syncMetrics{
		runs: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_sync_runs_total",
			Help: "Interaction sync runs by outcome (success, partial, genesys_error, servicejourney_error, no_user_map, canceled, error).",
		}, []string{"outcome"})),
		convs: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_sync_conversations_total",
			Help: "Conversations the interaction sync saw, by result (final, awaiting_wrapup, open, unchanged, failed, dropped).",
		}, []string{"result"})),
		lastSuccess: promreg.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_interactions_sync_last_success_timestamp_seconds",
			Help: "Unix time at which the last fully successful interaction sync finished.",
		})),
		duration: promreg.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_interactions_sync_duration_seconds",
			Help: "Duration of the last interaction sync run.",
		})),
		pending: promreg.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_interactions_sync_pending",
			Help: "Conversations the interaction sync is waiting on (still open, awaiting wrap-up, or not yet written).",
		})),
		watermark: promreg.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "dcmconnect_interactions_sync_watermark_timestamp_seconds",
			Help: "The stored watermark: every conversation that started before it is logged, except the pending ones.",
		})),
	}
}
