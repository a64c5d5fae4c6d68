package interactions

import (
	"context"
	"log/slog"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/internal/loadonce"
)

// names translates queue ids and wrap-up code ids into names (routing
// queues and wrap-up codes APIs, docs/upstreams.md), cached: every log record
// carries both and they rarely change. A failed lookup gives "" (the log
// is written without the name rather than not at all) and is remembered
// briefly so a Genesys outage does not double the calls.
type names struct {
	gc    *genesys.Client
	cache *loadonce.Cache[string, string] // "kind:id" -> name
	ttl   time.Duration
	m     *serviceMetrics
	log   *slog.Logger
}

const (
	nameLookupTimeout = 10 * time.Second
	nameFailureTTL    = time.Minute
)

func newNames(gc *genesys.Client, ttl time.Duration, m *serviceMetrics, log *slog.Logger) *names {
	return &names{gc: gc, cache: loadonce.New[string, string](nil, loadonce.Options{Timeout: nameLookupTimeout}), ttl: ttl, m: m, log: log}
}

func (n *names) queue(ctx context.Context, id string) string {
	return n.lookup(ctx, "queue", id, func(ctx context.Context) (string, error) {
		q, err := n.gc.Routing.GetQueue(ctx, id)
		if err != nil {
			return "", err
		}
		return q.Name, nil
	})
}

func (n *names) wrapup(ctx context.Context, code string) string {
	return n.lookup(ctx, "wrapup", code, func(ctx context.Context) (string, error) {
		w, err := n.gc.Routing.GetWrapupCode(ctx, code)
		if err != nil {
			return "", err
		}
		return w.Name, nil
	})
}

// remember seeds a name learnt elsewhere (the conversation API names queues
// and wrap-up codes itself).
func (n *names) remember(kind, id, name string) {
	if id != "" && name != "" {
		n.cache.Set(kind+":"+id, name, n.ttl)
	}
}

func (n *names) lookup(ctx context.Context, kind, id string, fetch func(context.Context) (string, error)) string {
	if id == "" {
		return ""
	}
	key := kind + ":" + id
	name, hit, _ := n.cache.Load(ctx, key, func(ctx context.Context) (string, time.Duration, error) {
		name, err := fetch(ctx)
		if err != nil {
			n.m.names.WithLabelValues(kind, "error").Inc()
			n.log.Warn("interactions: name lookup failed", "kind", kind, "id", id, "err", err)
			return "", nameFailureTTL, nil
		}
		n.m.names.WithLabelValues(kind, "fetched").Inc()
		return name, n.ttl, nil
	})
	if hit {
		n.m.names.WithLabelValues(kind, "cached").Inc()
	}
	return name
}
