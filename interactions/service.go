package interactions

import (
	"context"
	"errors"

	"github.com/patrickmn/go-cache"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// Service is the agent page's server side: screen pop, interaction log and
// click-to-dial. It is safe for concurrent use.
type Service struct {
	opts  Options
	m     *serviceMetrics
	names *names
	// pops remembers the record a conversation popped to (party/case ids),
	// so the log written later by the page or the sync job carries it.
	pops *cache.Cache
}

// New checks opts and builds the Service. It contacts nothing.
func New(opts Options) (*Service, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	m := newServiceMetrics(opts.Registerer)
	s := &Service{opts: opts, m: m, pops: cache.New(opts.PopCacheTTL, opts.PopCacheTTL)}
	s.names = newNames(opts.Genesys, opts.NameCacheTTL, m, opts.Logger)
	return s, nil
}

// conversation fetches a conversation with the background token; a 404 is
// ErrConversationGone.
func (s *Service) conversation(ctx context.Context, id string) (*genesys.Conversation, error) {
	c, err := s.opts.Genesys.Conversations.Get(ctx, id)
	s.count(SystemGenesys, "get_conversation", err)
	if errors.Is(err, genesys.ErrNotFound) {
		return nil, ErrConversationGone
	}
	if err != nil {
		return nil, &UpstreamError{System: SystemGenesys, Op: "GET conversation", Err: err}
	}
	return c, nil
}

// agent maps a Genesys user to their ServiceJourney user.
func (s *Service) agent(ctx context.Context, genesysUserID string) (*usermap.SJUser, error) {
	if s.opts.Agents.Report() == nil {
		return nil, ErrNoUserMap
	}
	e, ok := s.opts.Agents.Lookup(ctx, genesysUserID)
	if !ok {
		return nil, &AgentNotMappedError{GenesysUserID: genesysUserID, Reason: "the user map does not know this Genesys Cloud user (inactive, or created after the last user sync)"}
	}
	if e.SJUser == nil || (e.Status != usermap.StatusExplicit && e.Status != usermap.StatusEmail) {
		return nil, &AgentNotMappedError{GenesysUserID: genesysUserID, Status: e.Status, Reason: e.Reason}
	}
	return e.SJUser, nil
}

// count records one upstream call.
func (s *Service) count(system, op string, err error) {
	outcome := "ok"
	switch {
	case err == nil:
	case errors.Is(err, context.DeadlineExceeded) || appbase.IsTimeout(err):
		outcome = "timeout"
	default:
		outcome = "error"
	}
	sys := "genesys"
	if system == SystemServiceJourney {
		sys = "servicejourney"
	}
	s.m.upstream.WithLabelValues(sys, op, outcome).Inc()
}
