package api

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// actionMetrics count each data action by outcome (found, not_found,
// bad_input, unauthorized, forbidden, rate_limited, timeout, unavailable,
// upstream_error) and time it.
type actionMetrics struct {
	calls   *prometheus.CounterVec
	latency *prometheus.HistogramVec
}

func newActionMetrics(reg prometheus.Registerer) (*actionMetrics, error) {
	m := &actionMetrics{
		calls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_action_calls_total",
			Help: "Genesys data-action calls served, by action and outcome.",
		}, []string{"action", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dcmconnect_action_duration_seconds",
			Help:    "Data-action answer latency by action.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 3, 5, 10},
		}, []string{"action"}),
	}
	for _, c := range []prometheus.Collector{m.calls, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *actionMetrics) observe(action, outcome string, d time.Duration) {
	m.calls.WithLabelValues(action, outcome).Inc()
	m.latency.WithLabelValues(action).Observe(d.Seconds())
}
