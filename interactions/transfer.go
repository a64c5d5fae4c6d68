package interactions

import (
	"context"

	"dcmconnect/genesys"
)

// Transfer context: the record an agent picks (or creates and names) is
// written back to the customer participant's data, under the attributes
// the pop reads first (interactions.caseIdAttribute / partyIdAttribute),
// so the agent who gets the conversation next pops the same record.

// rememberMatches keeps a pop's matches, so a case picked from them is
// written back by its case number (the stock case search finds a case by
// number, not by record id).
func (s *Service) rememberMatches(conversationID string, ms []Match) {
	if len(ms) > 0 {
		s.pops.SetDefault("matches:"+conversationID, ms)
	}
}

// writeBack sets the picked ids on the customer participant, unless the
// conversation already carries them; it reports whether it wrote. A
// failure is logged, not returned: the interaction log must not fail for it.
func (s *Service) writeBack(ctx context.Context, conv *genesys.Conversation, ids RecordIDs) bool {
	cust := CustomerParticipant(conv)
	if cust == nil || cust.ID == "" {
		return false
	}
	want := map[string]string{}
	if ids.CaseID != "" {
		want[s.opts.CaseIDAttribute] = s.caseKey(conv.ID, ids.CaseID)
	}
	if ids.PartyID != "" {
		want[s.opts.PartyIDAttribute] = ids.PartyID
	}
	for k, v := range want {
		if attribute(conv, cust, k) == v {
			delete(want, k)
		}
	}
	if len(want) == 0 {
		return false
	}
	err := s.opts.Genesys.Conversations.PatchParticipantAttributes(ctx, conv.ID, cust.ID, want)
	s.count(SystemGenesys, "patch_participant_attributes", err)
	if err != nil {
		s.opts.Logger.Warn("interactions: could not write the picked record to the conversation; the next agent pops by number or e-mail",
			"conversation", conv.ID, "err", err)
		return false
	}
	// The cached copy no longer shows what the conversation carries.
	s.convs.Drop(conv.ID, func(v *genesys.Conversation) bool { return v == conv })
	return true
}

// caseKey is what the case attribute gets: the case number when the pop
// showed the case, else the record id.
func (s *Service) caseKey(conversationID, recordID string) string {
	if v, ok := s.pops.Get("matches:" + conversationID); ok {
		for _, m := range v.([]Match) {
			if m.Kind == "case" && m.ID == recordID && m.CaseID != "" {
				return m.CaseID
			}
		}
	}
	return recordID
}
