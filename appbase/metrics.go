package appbase

import (
	"sync"

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
	// attempts keeps each (rule, outcome)'s counter and each rule's
	// observer, so an attempt looks one up instead of hashing and checking
	// its labels in the vectors. Bounded like the labels.
	attempts sync.Map // attemptKey -> prometheus.Counter; rule -> prometheus.Observer
}

type attemptKey struct{ rule, outcome string }

// attempt counts one HTTP attempt of rule and its latency.
func (m *metrics) attempt(rule, outcome string, seconds float64) {
	k := attemptKey{rule, outcome}
	c, ok := m.attempts.Load(k)
	if !ok {
		c, _ = m.attempts.LoadOrStore(k, m.requests.WithLabelValues(rule, outcome))
	}
	c.(prometheus.Counter).Inc()
	o, ok := m.attempts.Load(rule)
	if !ok {
		o, _ = m.attempts.LoadOrStore(rule, m.latency.WithLabelValues(rule))
	}
	o.(prometheus.Observer).Observe(seconds)
}

func newMetrics(reg prometheus.Registerer) *metrics {
	reg = promreg.Or(reg)
	return &metrics{
		requests: promreg.CounterVec(reg, "dcmconnect_appbase_requests_total", "AppBase rule requests (HTTP attempts) by rule and outcome.", "rule", "outcome"),
		latency: promreg.HistogramVec(reg, "dcmconnect_appbase_request_duration_seconds", "AppBase rule request latency by rule.",
			[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20}, "rule"),
		logins:  promreg.CounterVec(reg, "dcmconnect_appbase_logins_total", "System user logins to AppBase by outcome.", "outcome"),
		retries: promreg.CounterVec(reg, "dcmconnect_appbase_retries_total", "Repeated AppBase rule requests (read retries and retries after a re-login) by rule.", "rule"),
	}
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
