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
		events: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_events_total",
			Help: "Notifications the event consumer handled, by topic kind (queue_conversations, user_conversations, ...) and outcome (written, unchanged, no_agent, error, malformed, ignored).",
		}, []string{"kind", "outcome"})),
		lag: promreg.Register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "dcmconnect_interactions_event_upsert_lag_seconds",
			Help:    "Time from reading a conversation event off the socket to its UPSERTINTERACTION answered.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		})),
		backfilled: promreg.Register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_events_backfilled_total",
			Help: "Conversations written by the backfills that follow every notification (re)connection.",
		})),
		backfills: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_interactions_events_backfills_total",
			Help: "Backfills after notification (re)connections, by outcome (ok, error).",
		}, []string{"outcome"})),
	}
}
