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
	// attempts keeps each rule's observer and counters, so an attempt looks
	// its rule up once instead of hashing and checking its labels in the
	// vectors. Bounded like the labels.
	attempts sync.Map // rule -> *ruleMetrics
}

// ruleMetrics are one rule's series: its latency observer, the "ok"
// counter every successful attempt adds to, and the other outcomes'.
type ruleMetrics struct {
	latency prometheus.Observer
	ok      prometheus.Counter
	others  sync.Map // outcome -> prometheus.Counter
}

// attempt counts one HTTP attempt of rule and its latency.
func (m *metrics) attempt(rule, outcome string, seconds float64) {
	v, ok := m.attempts.Load(rule)
	if !ok {
		v, _ = m.attempts.LoadOrStore(rule, &ruleMetrics{latency: m.latency.WithLabelValues(rule), ok: m.requests.WithLabelValues(rule, "ok")})
	}
	r := v.(*ruleMetrics)
	r.latency.Observe(seconds)
	if outcome == "ok" {
		r.ok.Inc()
		return
	}
	c, ok := r.others.Load(outcome)
	if !ok {
		c, _ = r.others.LoadOrStore(outcome, m.requests.WithLabelValues(rule, outcome))
	}
	c.(prometheus.Counter).Inc()
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
