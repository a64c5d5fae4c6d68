package genesys

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
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
	verify := register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "genesys_verify_cache_total",
		Help: "User token verifications by cache result (hit or miss).",
	}, []string{"result"}))
	return &metrics{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_requests_total",
			Help: "Genesys Cloud API requests by area, route template, method and status (\"error\" when no answer).",
		}, []string{"area", "route", "method", "status"})),
		latency: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "genesys_request_duration_seconds",
			Help:    "Latency of Genesys Cloud API requests (one attempt each).",
			Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20},
		}, []string{"area", "route"})),
		retries: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_retries_total",
			Help: "Retried Genesys Cloud API requests by area and reason (429, 5xx, conn, 401).",
		}, []string{"area", "reason"})),
		throttled: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_rate_limited_total",
			Help: "429 answers from Genesys Cloud by area.",
		}, []string{"area"})),
		limiterWait: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_limiter_wait_seconds_total",
			Help: "Seconds requests waited in the client-side rate limiter, by area.",
		}, []string{"area"})),
		tokenFetch: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_token_fetches_total",
			Help: "Client-credentials token requests by result (ok or error).",
		}, []string{"result"})),
		verifyHit:  verify.WithLabelValues("hit"),
		verifyMiss: verify.WithLabelValues("miss"),
	}
}

// register adds c, or reuses the collector already registered under the
// same name, so several clients may share one registry.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // a programming error: same name, different labels
	}
	return c
}
