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
	// The agent's searches (search.go).
	searches   *prometheus.CounterVec // kind, outcome
	searchTime prometheus.Histogram
}

func newServiceMetrics(reg prometheus.Registerer) *serviceMetrics {
	reg = promreg.Or(reg)
	return &serviceMetrics{
		pops:       promreg.CounterVec(reg, "dcmconnect_interactions_screenpops_total", "Screen pops by outcome (one, many, none, internal, not_mapped, not_participant, conversation_gone, no_user_map, genesys_error, servicejourney_error).", "outcome"),
		popTime:    promreg.Histogram(reg, "dcmconnect_interactions_screenpop_duration_seconds", "Server time of one screen pop, upstream calls included.", []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}),
		writes:     promreg.CounterVec(reg, "dcmconnect_interactions_log_writes_total", "UPSERTINTERACTION writes by source (page, sync), event (connect, disconnect, wrapup, final, partial) and outcome (ok, error).", "source", "event", "outcome"),
		names:      promreg.CounterVec(reg, "dcmconnect_interactions_name_lookups_total", "Queue and wrap-up code name lookups by kind (queue, wrapup) and result (cached, fetched, error).", "kind", "result"),
		dials:      promreg.CounterVec(reg, "dcmconnect_interactions_dials_total", "Click-to-dial requests by outcome (ok, bad_number, error).", "outcome"),
		summaries:  promreg.CounterVec(reg, "dcmconnect_interactions_summaries_total", "AI summary follow-ups after wrap-up by outcome (written, none: no summary within interactions.summaryWait, error: the write failed, busy: too many waiting).", "outcome"),
		searches:   promreg.CounterVec(reg, "dcmconnect_interactions_searches_total", "Agent searches of ServiceJourney by kind (name, phone, email, case, unknown) and outcome (ok, more, none, bad_input, not_mapped, no_user_map, servicejourney_error).", "kind", "outcome"),
		searchTime: promreg.Histogram(reg, "dcmconnect_interactions_search_duration_seconds", "Server time of one agent search, upstream calls included.", []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}),
		upstream:   promreg.CounterVec(reg, "dcmconnect_interactions_upstream_calls_total", "Calls the interactions package made, by system (genesys, servicejourney), operation and outcome (ok, error, timeout).", "system", "op", "outcome"),
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
		runs:        promreg.CounterVec(reg, "dcmconnect_interactions_sync_runs_total", "Interaction sync runs by outcome (success, partial, genesys_error, servicejourney_error, no_user_map, canceled, error).", "outcome"),
		convs:       promreg.CounterVec(reg, "dcmconnect_interactions_sync_conversations_total", "Conversations the interaction sync saw, by result (final, awaiting_wrapup, open, unchanged, failed, dropped).", "result"),
		lastSuccess: promreg.Gauge(reg, "dcmconnect_interactions_sync_last_success_timestamp_seconds", "Unix time at which the last fully successful interaction sync finished."),
		duration:    promreg.Gauge(reg, "dcmconnect_interactions_sync_duration_seconds", "Duration of the last interaction sync run."),
		pending:     promreg.Gauge(reg, "dcmconnect_interactions_sync_pending", "Conversations the interaction sync is waiting on (still open, awaiting wrap-up, or not yet written)."),
		watermark:   promreg.Gauge(reg, "dcmconnect_interactions_sync_watermark_timestamp_seconds", "The stored watermark: every conversation that started before it is logged, except the pending ones."),
	}
}
