package interactions

import (
	"context"
	"errors"
	"strings"
)

// PopTargetLookup is what a flow sends to learn which record the agent
// will be shown for a conversation (Call.ConversationId).
type PopTargetLookup struct {
	ConversationID string `json:"conversationId"`
}

// PopTargetAnswer is the screen pop's result, flat for a data action's
// translation map: Found when exactly one record matched (Kind and its ids
// then say which), Outcome one, many or none; ConversationFound false when
// Genesys does not know the conversation (a normal answer).
type PopTargetAnswer struct {
	ConversationFound bool   `json:"conversationFound"`
	Found             bool   `json:"found"`
	Outcome           string `json:"outcome"`
	Matches           int    `json:"matches"`
	// KeyKind is what found the record: caseId, partyId, phone or email.
	KeyKind string `json:"keyKind"`
	// Kind is party or case; RecordID its ServiceJourney id; for a case,
	// CaseNumber too; Name the party's name.
	Kind       string `json:"kind"`
	RecordID   string `json:"recordId"`
	CaseNumber string `json:"caseNumber"`
	Name       string `json:"name"`
	URL        string `json:"url"`
}

// PopTarget resolves a conversation the way the agent page's pop does
// (participant data CaseId / PartyId, then the customer's number, then the
// e-mail), without an agent: flows ask before one is connected, so neither
// participation nor the agent's mapping is checked.
func (s *Service) PopTarget(ctx context.Context, q PopTargetLookup) (*PopTargetAnswer, error) {
	id := strings.TrimSpace(q.ConversationID)
	if id == "" {
		return nil, &InputError{Field: "conversationId", Problem: "is empty; pass Call.ConversationId"}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	conv, err := s.conversation(ctx, id, nil)
	if errors.Is(err, ErrConversationGone) {
		return &PopTargetAnswer{Outcome: string(OutcomeNone)}, nil
	}
	if err != nil {
		return nil, err
	}
	pop, keys := s.describe(conv, "")
	ans := &PopTargetAnswer{ConversationFound: true, Outcome: string(OutcomeNone)}
	for _, k := range keys {
		ans.KeyKind = k.kind
		matches, err := s.find(ctx, k)
		if err != nil {
			return nil, err
		}
		if len(matches) > 0 {
			pop.Matches = matches
			break
		}
	}
	ans.Matches = len(pop.Matches)
	switch len(pop.Matches) {
	case 0:
	case 1:
		m := pop.Matches[0]
		ans.Found, ans.Outcome, ans.Kind, ans.RecordID, ans.URL = true, string(OutcomeOne), m.Kind, m.ID, m.URL
		ans.CaseNumber, ans.Name = m.CaseID, m.Name
	default:
		ans.Outcome = string(OutcomeMany)
	}
	return ans, nil
}
