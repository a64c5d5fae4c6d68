// Package supervisor is the logic behind the supervisor page: it joins the
// agents' presence from Genesys Cloud with the user map, reads the background
// jobs' state and both upstreams' health, and counts today's interactions.
// Answers every supervisor sees alike are fetched once per interval and shared.
// It knows nothing of HTTP: package api decodes the calls and maps the errors.
package supervisor

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// Source is what the supervisor page reads from Genesys Cloud, with the
// background (client-credentials) token: GenesysSource.
type Source interface {
	// Agents lists every active user with presence and routing status.
	Agents(ctx context.Context) ([]genesys.User, error)
	// Conversations returns the analytics details of conversations started in [from, to).
	Conversations(ctx context.Context, from, to time.Time) ([]genesys.AnalyticsConversation, error)
	QueueName(ctx context.Context, id string) (string, error)
}

// Options configure a Service.
type Options struct {
	Source Source // required
	// Users joins agents with the user map in service; nil leaves it out.
	Users *usermap.Store
	// Jobs are the background jobs' status reporters by name, read on each call
	// (the app's jobStatus map, so jobs registered later show too).
	Jobs map[string]func() any
	// Health are the upstream checks (Genesys token, ServiceJourney login).
	Health []HealthCheck
	// LoggedInteractions, when set, counts the interactions of [from, to)
	// the interaction log holds, to compare with Genesys's count.
	LoggedInteractions func(ctx context.Context, from, to time.Time) (int, error)
	// Refresh is how long agents' presence and upstream health are shared
	// between supervisors before one of them causes a new query. Default 30 s.
	Refresh time.Duration
	// InteractionsRefresh is the same for today's interactions, which page
	// through every conversation of the day. Default max(Refresh, 1 min).
	InteractionsRefresh time.Duration
	// FetchTimeout bounds one refresh (every page of it). Default 2 min.
	FetchTimeout time.Duration
	Now          func() time.Time
	Registerer   prometheus.Registerer
}

// QueryError is a bad query parameter: the caller's mistake, named so it can
// be fixed, never an upstream failure.
type QueryError struct {
	Param   string
	Problem string // "must be ..."
}

func (e *QueryError) Error() string { return fmt.Sprintf("parameter %q %s", e.Param, e.Problem) }

// Service answers the supervisor page's questions. Upstream failures come
// back as the upstream's own errors (Genesys Cloud for agents and
// interactions); bad queries as *QueryError.
type Service struct {
	o            Options
	agents       *shared[[]AgentStatus]
	health       *shared[[]UpstreamHealth]
	interactions *shared[InteractionSummary]
	queues       queueNames
}

// New checks the options and fills in the defaults.
func New(o Options) (*Service, error) {
	if o.Source == nil {
		return nil, errors.New("supervisor: Options.Source is required")
	}
	if o.Refresh <= 0 {
		o.Refresh = 30 * time.Second
	}
	if o.InteractionsRefresh <= 0 {
		o.InteractionsRefresh = max(o.Refresh, time.Minute)
	}
	if o.FetchTimeout <= 0 {
		o.FetchTimeout = 2 * time.Minute
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	m, err := newSupervisorMetrics(o.Registerer)
	if err != nil {
		return nil, err
	}
	s := &Service{o: o}
	s.agents = newShared("agents", o.Refresh, o.FetchTimeout, o.Now, m, func(ctx context.Context, _ string) ([]AgentStatus, error) {
		users, err := o.Source.Agents(ctx)
		if err != nil {
			return nil, err
		}
		return agentsFromGenesys(users), nil
	})
	s.health = newShared("health", min(o.Refresh, 30*time.Second), o.FetchTimeout, o.Now, m, func(ctx context.Context, _ string) ([]UpstreamHealth, error) {
		return runHealth(ctx, o.Health, o.Now), nil
	})
	s.interactions = newShared("interactions", o.InteractionsRefresh, o.FetchTimeout, o.Now, m, s.countInteractions)
	return s, nil
}

// AgentStatus is one page of agents matching q, with counts over all of
// them. When the latest refresh failed but an older one succeeded, the older
// data comes back with StaleErr set.
func (s *Service) AgentStatus(ctx context.Context, q AgentQuery) (AgentStatusPage, error) {
	if err := q.check(); err != nil {
		return AgentStatusPage{}, err
	}
	r, err := s.agents.get(ctx, "")
	if err != nil {
		return AgentStatusPage{}, err
	}
	var report *usermap.Report
	if s.o.Users != nil {
		report = s.o.Users.Report()
	}
	p := agentPage(r.Val, report, q)
	p.AsOf, p.RefreshSeconds, p.StaleErr = r.AsOf, seconds(s.o.Refresh), r.Stale
	return p, nil
}

// SyncStatus is GetSyncStatus's answer: every background job and both upstreams.
type SyncStatus struct {
	Jobs           []JobView        `json:"jobs"`
	Upstreams      []UpstreamHealth `json:"upstreams"`
	RefreshSeconds int              `json:"refreshSeconds"`
	Now            time.Time        `json:"now"`
}

// SyncStatus reads every job's status and the (shared) upstream checks.
func (s *Service) SyncStatus(ctx context.Context) (SyncStatus, error) {
	h, err := s.health.get(ctx, "")
	if err != nil {
		return SyncStatus{}, err
	}
	return SyncStatus{Jobs: jobViews(s.o.Jobs), Upstreams: h.Val, RefreshSeconds: seconds(s.o.Refresh), Now: s.o.Now().UTC()}, nil
}

// InteractionSummary counts today's interactions, "today" being the day of a
// caller utcOffsetMinutes east of UTC. StaleErr is set as in AgentStatus.
func (s *Service) InteractionSummary(ctx context.Context, utcOffsetMinutes int) (InteractionSummary, error) {
	if utcOffsetMinutes < -14*60 || utcOffsetMinutes > 14*60 {
		return InteractionSummary{}, &QueryError{Param: "utcOffsetMinutes", Problem: "must be between -840 and 840 (minutes east of UTC)"}
	}
	day := startOfDay(s.o.Now(), utcOffsetMinutes)
	r, err := s.interactions.get(ctx, day.Format(time.RFC3339))
	if err != nil {
		return InteractionSummary{}, err
	}
	sum := r.Val
	sum.AsOf, sum.RefreshSeconds, sum.StaleErr = r.AsOf, seconds(s.o.InteractionsRefresh), r.Stale
	return sum, nil
}

// countInteractions is one refresh of today's interactions for the day that
// starts at key.
func (s *Service) countInteractions(ctx context.Context, key string) (InteractionSummary, error) {
	from, err := time.Parse(time.RFC3339, key)
	if err != nil {
		return InteractionSummary{}, err
	}
	to := s.o.Now().UTC()
	if !to.After(from) {
		to = from.Add(time.Minute) // the day has only just begun
	}
	convs, err := s.o.Source.Conversations(ctx, from, to)
	if err != nil {
		return InteractionSummary{}, err
	}
	total, byQueue, byMedia, byDir := summarize(convs, from, to)
	names := s.queues.resolve(ctx, s.o.Source, slices.Collect(maps.Keys(byQueue)))
	sum := InteractionSummary{From: from, To: to, Total: total,
		ByQueue: sortedCounts(byQueue, func(id string) string {
			if n := names[id]; n != "" {
				return n
			}
			return id
		}),
		ByMediaType: sortedCounts(byMedia, nil), ByDirection: sortedCounts(byDir, nil)}
	if s.o.LoggedInteractions != nil {
		if n, err := s.o.LoggedInteractions(ctx, from, to); err != nil {
			sum.LoggedError = err.Error()
		} else {
			sum.Logged = &n
		}
	}
	return sum, nil
}

func seconds(d time.Duration) int { return int(d.Round(time.Second) / time.Second) }
