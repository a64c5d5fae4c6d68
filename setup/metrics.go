package setup

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// newProbeMetrics counts the HTTP probes this package makes itself; the
// genesys and appbase clients count their own calls.
func newProbeMetrics(reg prometheus.Registerer) *prometheus.CounterVec {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "dcmconnect_setup_probes_total",
		Help: "HTTP probes of the setup checker by probe (public_url, sj_frame) and result (an HTTP status class, or error).",
	}, []string{"probe", "result"})
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
				return existing
			}
		}
	}
	return c
}
