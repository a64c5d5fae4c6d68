package setup

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

// newProbeMetrics counts the HTTP probes this package makes itself; the
// genesys and appbase clients count their own calls.
func newProbeMetrics(reg prometheus.Registerer) *prometheus.CounterVec {
	return promreg.CounterVec(promreg.Or(reg), "dcmconnect_setup_probes_total",
		"HTTP probes of the setup checker by probe (public_url, sj_frame) and result (an HTTP status class, or error).", "probe", "result")
}
