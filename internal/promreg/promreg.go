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
