package genesys

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

// metrics are labelled by API area and route template ("/api/v2/users/{id}"),
// never by raw ids or tokens, so cardinality stays fixed.
type metrics struct {
	requests    *prometheus.CounterVec   // area, route, method, status
	latency     *prometheus.HistogramVec // area, route
	retries     *prometheus.CounterVec   // area, reason
	throttled   *prometheus.CounterVec   // area (429 answers)
	limiterWait *prometheus.CounterVec   // area: seconds spent in the client-side limiter
	tokenFetch  *prometheus.CounterVec   // result
	verifyHit   prometheus.Counter
	verifyMiss  prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	verify := promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "genesys_verify_cache_total",
		Help: "User token verifications by cache result (hit or miss).",
	}, []string{"result"}))
	return &metrics{
		requests: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_requests_total",
			Help: "Genesys Cloud API requests by area, route template, method and status (\"error\" when no answer).",
		}, []string{"area", "route", "method", "status"})),
		latency: promreg.Register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "genesys_request_duration_seconds",
			Help:    "Latency of Genesys Cloud API requests (one attempt each).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"area", "route"})),
		retries: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_retries_total",
			Help: "Retried Genesys Cloud API requests by area and reason (429, 5xx, conn, 401).",
		}, []string{"area", "reason"})),
		throttled: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_rate_limited_total",
			Help: "429 answers from Genesys Cloud by area.",
		}, []string{"area"})),
		limiterWait: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_limiter_wait_seconds_total",
			Help: "Seconds requests waited in the client-side rate limiter, by area.",
		}, []string{"area"})),
		tokenFetch: promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_token_fetches_total",
			Help: "Client-credentials token requests by result (ok or error).",
		}, []string{"result"})),
		verifyHit:  verify.WithLabelValues("hit"),
		verifyMiss: verify.WithLabelValues("miss"),
	}
}

// register is promreg.Register under the short name the package's other
// metric files use.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	return promreg.Register(reg, c)
}
