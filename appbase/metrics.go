package appbase

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

// metrics are labelled by rule code (a bounded set: the contract plus the
// ExecuteRule allowlist) and outcome ("ok" or an ErrorKind name, "timeout").
type metrics struct {
	requests *prometheus.CounterVec   // rule, outcome: one per HTTP attempt
	latency  *prometheus.HistogramVec // rule: seconds per HTTP attempt
	logins   *prometheus.CounterVec   // outcome
	retries  *prometheus.CounterVec   // rule: extra attempts (reads, re-login)
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_appbase_requests_total",
			Help: "AppBase rule requests (HTTP attempts) by rule and outcome.",
		}, []string{"rule", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dcmconnect_appbase_request_duration_seconds",
			Help:    "AppBase rule request latency by rule.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"rule"}),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_appbase_logins_total",
			Help: "System user logins to AppBase by outcome.",
		}, []string{"outcome"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_appbase_retries_total",
			Help: "Repeated AppBase rule requests (read retries and retries after a re-login) by rule.",
		}, []string{"rule"}),
	}
	m.requests = promreg.Register(reg, m.requests)
	m.latency = promreg.Register(reg, m.latency)
	m.logins = promreg.Register(reg, m.logins)
	m.retries = promreg.Register(reg, m.retries)
	return m
}

func outcome(err error) string {
	if err == nil {
		return "ok"
	}
	if IsTimeout(err) {
		return "timeout"
	}
	if e, ok := asError(err); ok {
		return e.Kind.String()
	}
	return "error"
}
