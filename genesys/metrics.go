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
	verify := promreg.CounterVec(reg, "genesys_verify_cache_total", "User token verifications by cache result (hit or miss).", "result")
	return &metrics{
		requests:    promreg.CounterVec(reg, "genesys_requests_total", "Genesys Cloud API requests by area, route template, method and status (\"error\" when no answer).", "area", "route", "method", "status"),
		latency:     promreg.HistogramVec(reg, "genesys_request_duration_seconds", "Latency of Genesys Cloud API requests (one attempt each).", []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 20}, "area", "route"),
		retries:     promreg.CounterVec(reg, "genesys_retries_total", "Retried Genesys Cloud API requests by area and reason (429, 5xx, conn, 401).", "area", "reason"),
		throttled:   promreg.CounterVec(reg, "genesys_rate_limited_total", "429 answers from Genesys Cloud by area.", "area"),
		limiterWait: promreg.CounterVec(reg, "genesys_limiter_wait_seconds_total", "Seconds requests waited in the client-side rate limiter, by area.", "area"),
		tokenFetch:  promreg.CounterVec(reg, "genesys_token_fetches_total", "Client-credentials token requests by result (ok or error).", "result"),
		verifyHit:   verify.WithLabelValues("hit"),
		verifyMiss:  verify.WithLabelValues("miss"),
	}
}
