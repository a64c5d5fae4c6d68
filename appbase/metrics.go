package appbase

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
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
	m.requests = register(reg, m.requests)
	m.latency = register(reg, m.latency)
	m.logins = register(reg, m.logins)
	m.retries = register(reg, m.retries)
	return m
}

// register tolerates a second Client on the same registerer by sharing the
// collector already there.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // a different collector under our name: a programming error
	}
	return c
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
