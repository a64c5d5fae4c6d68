package genesys

import (
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/promreg"
)

// listenerMetrics are labelled by topic kind and reason, never by topic
// names (they hold queue and user ids).
type listenerMetrics struct {
	received   *prometheus.CounterVec // kind
	reconnects *prometheus.CounterVec // reason
	channels   prometheus.Gauge
	topics     prometheus.Gauge
}

func newListenerMetrics(reg prometheus.Registerer) *listenerMetrics {
	return &listenerMetrics{
		received:   promreg.CounterVec(reg, "genesys_notifications_received_total", "Notifications read from the channel WebSockets, by topic kind (queue_conversations, user_conversations, metadata, system, other).", "kind"),
		reconnects: promreg.CounterVec(reg, "genesys_notifications_reconnects_total", "Notification sockets replaced, by reason (dropped, heartbeat, socket_closing, renewal, resubscribe).", "reason"),
		channels:   promreg.Gauge(reg, "genesys_notifications_channels_connected", "Notification channels whose WebSocket is open."),
		topics:     promreg.Gauge(reg, "genesys_notifications_topics", "Topics the listener is asked to subscribe."),
	}
}
