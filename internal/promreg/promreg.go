// Package promreg registers Prometheus collectors so that several clients,
// stores or services built on one registry share their metrics instead of
// failing on the second registration.
package promreg

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Or returns r, or a private registry when r is nil (tests, one-off tools):
// metrics then go nowhere, and nothing collides.
func Or(r prometheus.Registerer) prometheus.Registerer {
	if r == nil {
		return prometheus.NewRegistry()
	}
	return r
}

// Register adds c to r, or returns the collector already registered under
// the same name. A different collector under that name (another type or
// other labels) is a programming error and panics.
func Register[C prometheus.Collector](r prometheus.Registerer, c C) C {
	if err := r.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err)
	}
	return c
}

// CounterVec registers (or reuses) a counter vector; the declarations read
// as one line per metric: name, help, labels.
func CounterVec(r prometheus.Registerer, name, help string, labels ...string) *prometheus.CounterVec {
	return Register(r, prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels))
}

// Counter registers (or reuses) a counter without labels.
func Counter(r prometheus.Registerer, name, help string) prometheus.Counter {
	return Register(r, prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help}))
}

// Gauge registers (or reuses) a gauge without labels.
func Gauge(r prometheus.Registerer, name, help string) prometheus.Gauge {
	return Register(r, prometheus.NewGauge(prometheus.GaugeOpts{Name: name, Help: help}))
}

// Histogram registers (or reuses) a histogram without labels.
func Histogram(r prometheus.Registerer, name, help string, buckets []float64) prometheus.Histogram {
	return Register(r, prometheus.NewHistogram(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}))
}

// HistogramVec registers (or reuses) a histogram vector.
func HistogramVec(r prometheus.Registerer, name, help string, buckets []float64, labels ...string) *prometheus.HistogramVec {
	return Register(r, prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: name, Help: help, Buckets: buckets}, labels))
}

// GaugeVec registers (or reuses) a gauge vector.
func GaugeVec(r prometheus.Registerer, name, help string, labels ...string) *prometheus.GaugeVec {
	return Register(r, prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help}, labels))
}
