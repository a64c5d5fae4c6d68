package interactions

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

type eventMetrics struct {
	events     *prometheus.CounterVec // kind, outcome
	lag        prometheus.Histogram
	backfilled prometheus.Counter
	backfills  *prometheus.CounterVec // outcome
}

func newEventMetrics(reg prometheus.Registerer) *eventMetrics {
	reg = promreg.Or(reg)
	return &eventMetrics{
		events:     promreg.CounterVec(reg, "dcmconnect_interactions_events_total", "Notifications the event consumer handled, by topic kind (queue_conversations, user_conversations, ...) and outcome (written, unchanged, no_agent, error, malformed, ignored).", "kind", "outcome"),
		lag:        promreg.Histogram(reg, "dcmconnect_interactions_event_upsert_lag_seconds", "Time from reading a conversation event off the socket to its UPSERTINTERACTION answered.", []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}),
		backfilled: promreg.Counter(reg, "dcmconnect_interactions_events_backfilled_total", "Conversations written by the backfills that follow every notification (re)connection."),
		backfills:  promreg.CounterVec(reg, "dcmconnect_interactions_events_backfills_total", "Backfills after notification (re)connections, by outcome (ok, error).", "outcome"),
	}
}
