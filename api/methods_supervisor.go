package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// SupervisorSource is what the supervisor page reads from Genesys Cloud, with
// the background (client-credentials) token: GenesysSupervisorSource.
type SupervisorSource interface {
	// Agents lists every active user with presence and routing status.
	Agents(ctx context.Context) ([]genesys.User, error)
	// Conversations returns the analytics details of conversations started in [from, to).
	Conversations(ctx context.Context, from, to time.Time) ([]genesys.AnalyticsConversation, error)
	QueueName(ctx context.Context, id string) (string, error)
}

// SupervisorOptions configure SupervisorMethods.
type SupervisorOptions struct {
	// Supervisors says who may use these methods; empty refuses everybody.
	Supervisors Supervisors
	Source      SupervisorSource // required
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

// SupervisorMethods are GetAgentStatus, GetSyncStatus and
// GetInteractionSummary, for supervisors only (403 for everyone else). The
// user map methods (GetUserMap, SetUserMapping) are UserMapMethods.
func SupervisorMethods(o SupervisorOptions) ([]Method, error) {
	if o.Source == nil {
		return nil, errors.New("api: SupervisorOptions.Source is required")
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
	s := &supervisor{o: o}
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
	allow := SupervisorOnly(o.Supervisors)
	return []Method{
		{Name: "GetAgentStatus", ReadOnly: true, Allow: allow, Handle: s.getAgentStatus},
		{Name: "GetSyncStatus", ReadOnly: true, Allow: allow, Handle: s.getSyncStatus},
		{Name: "GetInteractionSummary", ReadOnly: true, Allow: allow, Handle: s.getInteractionSummary},
	}, nil
}

type supervisor struct {
	o            SupervisorOptions
	agents       *shared[[]AgentStatus]
	health       *shared[[]UpstreamHealth]
	interactions *shared[InteractionSummary]
	queues       queueNames
}

func (s *supervisor) getAgentStatus(ctx context.Context, c *Call) (any, error) {
	var q AgentQuery
	var err error
	if q.Search, err = c.String("search", false); err != nil {
		return nil, err
	}
	if q.Presence, err = c.String("presence", false); err != nil {
		return nil, err
	}
	if q.RoutingStatus, err = c.String("routingStatus", false); err != nil {
		return nil, err
	}
	if q.Mapping, err = c.String("mapping", false); err != nil {
		return nil, err
	}
	if q.Sort, err = c.String("sort", false); err != nil {
		return nil, err
	}
	if q.Page, err = intParam(c, "page"); err != nil {
		return nil, err
	}
	if q.PageSize, err = intParam(c, "pageSize"); err != nil {
		return nil, err
	}
	if err := q.check(); err != nil {
		return nil, err
	}
	r, err := s.agents.get(ctx, "")
	if err != nil {
		return nil, FromGenesys(err)
	}
	var report *usermap.Report
	if s.o.Users != nil {
		report = s.o.Users.Report()
	}
	p := agentPage(r.Val, report, q)
	p.AsOf, p.RefreshSeconds, p.Stale = r.AsOf, seconds(s.o.Refresh), staleText(r.Stale)
	return p, nil
}

// SyncStatus is GetSyncStatus's answer: every background job and both upstreams.
type SyncStatus struct {
	Jobs           []JobView        `json:"jobs"`
	Upstreams      []UpstreamHealth `json:"upstreams"`
	RefreshSeconds int              `json:"refreshSeconds"`
	Now            time.Time        `json:"now"`
}

func (s *supervisor) getSyncStatus(ctx context.Context, _ *Call) (any, error) {
	h, err := s.health.get(ctx, "")
	if err != nil {
		return nil, Upstream("health check", err)
	}
	return SyncStatus{Jobs: jobViews(s.o.Jobs), Upstreams: h.Val, RefreshSeconds: seconds(s.o.Refresh), Now: s.o.Now().UTC()}, nil
}

func (s *supervisor) getInteractionSummary(ctx context.Context, c *Call) (any, error) {
	offset, err := intParam(c, "utcOffsetMinutes")
	if err != nil {
		return nil, err
	}
	if offset < -14*60 || offset > 14*60 {
		return nil, BadRequest("parameter \"utcOffsetMinutes\" must be between -840 and 840 (minutes east of UTC)")
	}
	day := startOfDay(s.o.Now(), offset)
	r, err := s.interactions.get(ctx, day.Format(time.RFC3339))
	if err != nil {
		return nil, FromGenesys(err)
	}
	sum := r.Val
	sum.AsOf, sum.RefreshSeconds, sum.Stale = r.AsOf, seconds(s.o.InteractionsRefresh), staleText(r.Stale)
	return sum, nil
}

// countInteractions is one refresh of today's interactions for the day that
// starts at key.
func (s *supervisor) countInteractions(ctx context.Context, key string) (InteractionSummary, error) {
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
	ids := make([]string, 0, len(byQueue))
	for id := range byQueue {
		ids = append(ids, id)
	}
	names := s.queues.resolve(ctx, s.o.Source, ids)
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
			sum.LoggedError = safeMessage(err)
		} else {
			sum.Logged = &n
		}
	}
	return sum, nil
}

// intParam reads an optional integer given as a JSON number or, from a GET
// query, as digits.
func intParam(c *Call, name string) (int, error) {
	raw, ok := c.lookup(name)
	if !ok || string(raw) == "null" {
		return 0, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			return 0, nil
		}
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return n, nil
		}
	}
	return 0, BadRequest(fmt.Sprintf("parameter %q must be a whole number", name))
}

func seconds(d time.Duration) int { return int(d.Round(time.Second) / time.Second) }

func staleText(err error) string {
	if err == nil {
		return ""
	}
	return FromGenesys(err).Message
}
