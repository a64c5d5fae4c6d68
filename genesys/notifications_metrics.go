package genesys

import "github.com/prometheus/client_golang/prometheus"

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
		received: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_notifications_received_total",
			Help: "Notifications read from the channel WebSockets, by topic kind (queue_conversations, user_conversations, metadata, system, other).",
		}, []string{"kind"})),
		reconnects: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "genesys_notifications_reconnects_total",
			Help: "Notification sockets replaced, by reason (dropped, heartbeat, socket_closing, renewal, resubscribe).",
		}, []string{"reason"})),
		channels: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "genesys_notifications_channels_connected",
			Help: "Notification channels whose WebSocket is open.",
		})),
		topics: register(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "genesys_notifications_topics",
			Help: "Topics the listener is asked to subscribe.",
		})),
	}
}
