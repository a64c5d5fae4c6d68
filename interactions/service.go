package interactions

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/patrickmn/go-cache"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/internal/fieldmap"
	"dcmconnect/internal/loadonce"
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
	// matchMu orders the updates of a conversation's remembered case
	// numbers and of the transfer context written for it.
	matchMu sync.Mutex
	// convs holds each conversation fetched for a page call briefly, so the
	// pop and the log writes of one leg share one Genesys read.
	convs *loadonce.Cache[string, *genesys.Conversation]
	// phones parses the sync's addresses once each (phonebook.go).
	phones *phoneBook
	// fields is the parsed field mapping (Options.Fields over the defaults).
	fields fieldmap.Map
	// prefetched are pop reads started before the caller was verified.
	prefetched prefetches

	// AI summary follow-ups (aisummary.go): waiting now, and written.
	sumMu      sync.Mutex
	sumWaiting map[string]bool
	sumDone    *cache.Cache
	// Seams for tests: the clock, and a report of each follow-up's end.
	now       func() time.Time
	after     func(time.Duration) <-chan time.Time
	onSummary func(conversationID, outcome string)
}

// New checks opts and builds the Service. It contacts nothing.
func New(opts Options) (*Service, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	m := newServiceMetrics(opts.Registerer)
	s := &Service{opts: opts, m: m, pops: cache.New(opts.PopCacheTTL, opts.PopCacheTTL),
		convs: loadonce.New[string, *genesys.Conversation](nil, loadonce.Options{Timeout: opts.Timeout, MaxEntries: 100_000, EvictWhenFull: true})}
	s.fields, _ = parseFields(opts.Fields) // checked by opts.check
	s.phones = newPhoneBook(opts.DefaultCountry, phoneBookSize)
	s.sumWaiting, s.sumDone = map[string]bool{}, cache.New(12*time.Hour, time.Hour)
	s.now, s.after = time.Now, time.After
	s.names = newNames(opts.Genesys, opts.NameCacheTTL, m, opts.Logger)
	return s, nil
}

type callerTokenKey struct{}

// WithCallerToken returns ctx carrying the verified caller's own Genesys
// token: page calls then read Genesys with it, so each agent spends their
// own per-token rate budget and the client-credentials budget stays for
// the sync jobs. Without it the background token is used.
func WithCallerToken(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, callerTokenKey{}, token)
}

func callerToken(ctx context.Context) string {
	t, _ := ctx.Value(callerTokenKey{}).(string)
	return t
}

// conversation fetches a conversation, with the caller's token when ctx
// has one (WithCallerToken); a 404 is ErrConversationGone. A copy fetched
// less than ConversationCacheTTL ago is reused when usable(copy) says it
// can serve (nil: any copy); only successes are kept.
func (s *Service) conversation(ctx context.Context, id string, usable func(*genesys.Conversation) bool) (*genesys.Conversation, error) {
	if c, err, ok := s.convs.Peek(id); ok && err == nil {
		if usable == nil || usable(c) {
			s.m.upstream.WithLabelValues("genesys", "get_conversation", "cached").Inc()
			return c, nil
		}
		s.convs.Drop(id, func(v *genesys.Conversation) bool { return v == c }) // too old for this use
	}
	gc := s.opts.Genesys
	if t := callerToken(ctx); t != "" {
		gc = gc.WithToken(t)
	}
	c, _, err := s.convs.Load(ctx, id, func(ctx context.Context) (*genesys.Conversation, time.Duration, error) {
		c, err := gc.Conversations.Get(ctx, id)
		if err != nil {
			return nil, 0, err
		}
		return c, s.opts.ConversationCacheTTL, nil
	})
	s.count(SystemGenesys, "get_conversation", err)
	if err != nil {
		return nil, conversationError(err)
	}
	return c, nil
}

// conversationError maps a failed conversation read: a 404 is
// ErrConversationGone, the rest an UpstreamError.
func conversationError(err error) error {
	if errors.Is(err, genesys.ErrNotFound) {
		return ErrConversationGone
	}
	return &UpstreamError{System: SystemGenesys, Op: "GET conversation", Err: err}
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
		return nil, &AgentNotMappedError{GenesysUserID: genesysUserID, Status: e.Status, Reason: e.Reason()}
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
