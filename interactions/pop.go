package interactions

import (
	"context"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// Outcome is what a screen pop found.
type Outcome string

const (
	// OutcomeOne: one record; Pop.URL opens it.
	OutcomeOne Outcome = "one"
	// OutcomeMany: several records; the agent picks from Pop.Matches.
	OutcomeMany Outcome = "many"
	// OutcomeNone: nothing; Pop.CreateURL opens the "create new" page.
	OutcomeNone Outcome = "none"
	// OutcomeInternal: a call between users, no customer side: nothing is
	// looked up and nothing offered.
	OutcomeInternal Outcome = "internal"
)

// Key kinds, in the order a pop tries them.
const (
	KeyCaseID  = "caseId"  // participant data (interactions.caseIdAttribute)
	KeyPartyID = "partyId" // participant data (interactions.partyIdAttribute)
	KeyPhone   = "phone"   // the customer's number in E.164
	KeyEmail   = "email"   // the customer's e-mail address
	// keyName is any part of a party's name: only the agent's search uses it.
	keyName = "name"
)

// Pop is the answer of a screen pop.
type Pop struct {
	ConversationID string  `json:"conversationId"`
	Outcome        Outcome `json:"outcome"`
	// KeyKind and Key are the pop key that found the matches (or, for none,
	// the last one tried); empty when the conversation offered no key.
	KeyKind string `json:"keyKind,omitempty"`
	Key     string `json:"key,omitempty"`
	// URL is the page to open for OutcomeOne.
	URL string `json:"url,omitempty"`
	// Matches are the records found, each with its page URL.
	Matches []Match `json:"matches"`
	// CreateURL opens the "create new" page prefilled with the customer's
	// phone and e-mail; given with every outcome.
	CreateURL string   `json:"createUrl"`
	Customer  Customer `json:"customer"`
	Direction string   `json:"direction,omitempty"` // inbound, outbound
	MediaType string   `json:"mediaType,omitempty"` // voice, chat, email, message, callback, voicemail, video, screenshare, socialexpression, cobrowse
	Ended     bool     `json:"ended"`
	Agent     Agent    `json:"agent"`
}

// Match is one record a pop found.
type Match struct {
	Kind string `json:"kind"` // party or case
	ID   string `json:"id"`   // the ServiceJourney record id
	// Party fields.
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	Email string `json:"email,omitempty"`
	// Case fields.
	CaseID  string `json:"caseId,omitempty"`
	Summary string `json:"summary,omitempty"`
	State   string `json:"state,omitempty"`
	URL     string `json:"url"`
}

// Customer is the customer-side participant as the pop saw it.
type Customer struct {
	ParticipantID string `json:"participantId,omitempty"`
	Purpose       string `json:"purpose,omitempty"`
	Name          string `json:"name,omitempty"`
	Phone         string `json:"phone,omitempty"` // E.164 when the address is a number
	Email         string `json:"email,omitempty"`
}

// Agent is the caller's ServiceJourney user.
type Agent struct {
	GenesysUserID string `json:"genesysUserId"`
	SJUserID      string `json:"serviceJourneyUserId"`
	Name          string `json:"name,omitempty"`
}

// popKey is one key to try.
type popKey struct{ kind, value string }

// ScreenPop resolves a conversation to the ServiceJourney record to show
// agentUserID (the verified caller): fetch the conversation with the
// background token, check the caller takes part in it and is mapped, pick
// the customer participant, then try the keys in order (CaseId / PartyId
// participant data, the number in E.164, the e-mail) until one finds
// records. Errors: ErrConversationGone, ErrNotParticipant, ErrNoUserMap,
// *AgentNotMappedError, *UpstreamError.
func (s *Service) ScreenPop(ctx context.Context, conversationID, agentUserID string) (pop *Pop, err error) {
	start := time.Now()
	defer func() {
		s.m.pops.WithLabelValues(popOutcome(pop, err)).Inc()
		s.m.popTime.Observe(time.Since(start).Seconds())
	}()
	if conversationID == "" {
		return nil, &InputError{Field: "conversationId", Problem: "is empty; the page passes gcConversationId"}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	// A pop always reads the conversation afresh (or takes the read that
	// Prefetch started for this caller while their token was verified);
	// the log writes that follow reuse it.
	conv, err, ok := s.prefetchedConversation(ctx, conversationID)
	if !ok {
		conv, err = s.conversation(ctx, conversationID, func(*genesys.Conversation) bool { return false })
	}
	if err != nil {
		return nil, err
	}
	if AgentParticipant(conv, agentUserID) == nil {
		return nil, ErrNotParticipant
	}
	sj, err := s.agent(ctx, agentUserID)
	if err != nil {
		return nil, err
	}
	pop, keys := s.describe(conv, agentUserID)
	pop.Agent = Agent{GenesysUserID: agentUserID, SJUserID: sj.ID, Name: sj.Name}
	if CustomerParticipant(conv) == nil && len(keys) == 0 {
		pop.Outcome, pop.CreateURL = OutcomeInternal, ""
		return pop, nil
	}
	for _, k := range keys {
		pop.KeyKind, pop.Key = k.kind, k.value
		matches, err := s.find(ctx, k)
		if err != nil {
			return nil, err
		}
		if len(matches) > 0 {
			pop.Matches = matches
			break
		}
	}
	s.rememberMatches(conversationID, pop.Matches)
	switch len(pop.Matches) {
	case 0:
		pop.Outcome = OutcomeNone
	case 1:
		pop.Outcome, pop.URL = OutcomeOne, pop.Matches[0].URL
		s.rememberPop(conversationID, pop.Matches[0])
	default:
		pop.Outcome = OutcomeMany
	}
	return pop, nil
}

// describe fills what the conversation itself says and lists the pop keys.
func (s *Service) describe(conv *genesys.Conversation, agentUserID string) (*Pop, []popKey) {
	cust := CustomerParticipant(conv)
	agent := AgentParticipant(conv, agentUserID)
	dir := direction(cust, agent)
	pop := &Pop{ConversationID: conv.ID, Matches: []Match{}, Direction: dir, Ended: !conv.EndTime.IsZero()}
	if m := mediaOf(agent); m.kind != "" {
		pop.MediaType = m.kind
	} else {
		pop.MediaType = mediaOf(cust).kind
	}
	var keys []popKey
	if v := attribute(conv, cust, s.opts.CaseIDAttribute); v != "" {
		keys = append(keys, popKey{KeyCaseID, v})
	}
	if v := attribute(conv, cust, s.opts.PartyIDAttribute); v != "" {
		keys = append(keys, popKey{KeyPartyID, v})
	}
	if cust != nil {
		pop.Customer = Customer{ParticipantID: cust.ID, Purpose: cust.Purpose, Name: cust.Name}
		num := customerNumber(cust, dir)
		if num == "" {
			num = callbackNumber(conv, cust)
		}
		if num != "" {
			if e164, err := NormalizePhone(num, s.opts.DefaultCountry); err == nil {
				pop.Customer.Phone = e164
				keys = append(keys, popKey{KeyPhone, e164})
			}
		}
		if email := customerEmail(cust); email != "" {
			pop.Customer.Email = email
			keys = append(keys, popKey{KeyEmail, email})
		}
	}
	pop.CreateURL = s.createURL(conv.ID, pop.Customer.Phone, pop.Customer.Email)
	return pop, keys
}

// find runs the ServiceJourney search of one key, with detail pages.
func (s *Service) find(ctx context.Context, k popKey) ([]Match, error) {
	out, err := s.lookup(ctx, k)
	if err == nil {
		s.resolvePages(ctx, out)
	}
	return out, err
}

// lookup runs the ServiceJourney search of one key; URLs are the templates.
func (s *Service) lookup(ctx context.Context, k popKey) ([]Match, error) {
	if k.kind == KeyCaseID {
		cases, err := s.opts.SJ.FindCases(ctx, appbase.CaseQuery{CaseID: k.value})
		s.count(SystemServiceJourney, appbase.OpFindCases, err)
		if err != nil {
			return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpFindCases, Err: err}
		}
		out := make([]Match, 0, len(cases))
		for _, c := range cases {
			out = append(out, Match{Kind: "case", ID: c.ID, CaseID: c.CaseID, Summary: c.Summary, State: c.State, URL: s.caseURL(c.ID, c.CaseID)})
		}
		return out, nil
	}
	q := appbase.PartyQuery{}
	switch k.kind {
	case KeyPartyID:
		q.PartyID = k.value
	case KeyPhone:
		q.Phone = k.value
	case KeyEmail:
		q.Email = k.value
	case keyName:
		q.Name = k.value
	}
	parties, err := s.opts.SJ.FindParties(ctx, q)
	s.count(SystemServiceJourney, appbase.OpFindParties, err)
	if err != nil {
		return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpFindParties, Err: err}
	}
	out := make([]Match, 0, len(parties))
	for _, p := range parties {
		out = append(out, Match{Kind: "party", ID: p.ID, Name: p.Name, Phone: p.Phone, Email: p.Email, URL: s.partyURL(p.ID)})
	}
	return out, nil
}

// resolvePages asks the stock page rules for each match's detail page when
// servicejourney.pages.resolve is on (a solution may configure a page per
// case or party type). The template URL stays when the rule fails or has
// no page: a pop must not fail for want of a nicer page.
func (s *Service) resolvePages(ctx context.Context, ms []Match) {
	if !s.opts.ResolvePages {
		return
	}
	for i := range ms {
		u, ok, err := s.opts.SJ.ResolvePage(ctx, ms[i].Kind, ms[i].ID)
		s.count(SystemServiceJourney, "RESOLVEPAGE", err)
		if err != nil {
			s.opts.Logger.Warn("detail page rule failed; using the page template", "kind", ms[i].Kind, "err", err)
			continue
		}
		if ok {
			ms[i].URL = u
		}
	}
}

// RecordIDs link a log record to ServiceJourney records.
type RecordIDs struct{ PartyID, CaseID string }

func (s *Service) rememberPop(conversationID string, m Match) {
	ids := RecordIDs{}
	if m.Kind == "case" {
		ids.CaseID = m.ID
	} else {
		ids.PartyID = m.ID
	}
	s.pops.SetDefault(conversationID, ids)
}

// popped returns the ids remembered from a pop of this conversation.
func (s *Service) popped(conversationID string) RecordIDs {
	if v, ok := s.pops.Get(conversationID); ok {
		return v.(RecordIDs)
	}
	return RecordIDs{}
}

func popOutcome(p *Pop, err error) string {
	if err == nil && p != nil {
		return string(p.Outcome)
	}
	return errorOutcome(err)
}
