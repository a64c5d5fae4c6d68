package interactions

import (
	"context"
	"slices"

	"dcmconnect/genesys"
)

// Transfer context: the record an agent picks (or creates and names) is
// written back to the customer participant's data, under the attributes
// the pop reads first (interactions.caseIdAttribute / partyIdAttribute),
// so the agent who gets the conversation next pops the same record.

// rememberMatches keeps the cases a pop or a search of the conversation
// listed, so a case picked from them is written back by its case number
// (the stock case search finds a case by number, not by record id). Each
// search adds to what earlier ones kept, up to maxRemembered cases.
func (s *Service) rememberMatches(conversationID string, ms []Match) {
	s.matchMu.Lock()
	defer s.matchMu.Unlock()
	var kept []Match
	if v, ok := s.pops.Get("matches:" + conversationID); ok {
		kept = v.([]Match)
	}
	add := make([]Match, 0, len(ms))
	for _, m := range ms {
		if m.Kind == "case" && m.CaseID != "" && !slices.ContainsFunc(kept, func(k Match) bool { return k.ID == m.ID }) {
			add = append(add, Match{Kind: m.Kind, ID: m.ID, CaseID: m.CaseID})
		}
	}
	if len(add) == 0 {
		return
	}
	// A fresh slice: readers hold the old one without the lock.
	all := append(append(make([]Match, 0, len(kept)+len(add)), kept...), add...)
	if len(all) > maxRemembered {
		all = all[len(all)-maxRemembered:]
	}
	s.pops.SetDefault("matches:"+conversationID, all)
}

// maxRemembered bounds the case numbers kept per conversation.
const maxRemembered = 200

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
	// One choice is written once, even when two logs of it run at once (a
	// double click, the pick and a poll) on copies read before the write.
	key := "context:" + conv.ID
	s.matchMu.Lock()
	if v, ok := s.pops.Get(key); ok && v.(RecordIDs) == ids {
		s.matchMu.Unlock()
		return false
	}
	s.pops.SetDefault(key, ids)
	s.matchMu.Unlock()
	err := s.opts.Genesys.Conversations.PatchParticipantAttributes(ctx, conv.ID, cust.ID, want)
	s.count(SystemGenesys, "patch_participant_attributes", err)
	if err != nil {
		s.matchMu.Lock()
		if v, ok := s.pops.Get(key); ok && v.(RecordIDs) == ids {
			s.pops.Delete(key) // the next log tries again
		}
		s.matchMu.Unlock()
		s.opts.Logger.Warn("interactions: could not write the picked record to the conversation; the next agent pops by number or e-mail",
			"conversation", conv.ID, "err", err)
		return false
	}
	// The cached copy no longer shows what the conversation carries.
	s.convs.Drop(conv.ID, func(v *genesys.Conversation) bool { return v == conv })
	return true
}

// forgetContext empties the customer participant's data that names a
// rejected record (a pick or the pop's own connect log wrote it, or the
// flow set it), so the agent after a transfer does not pop it again. Genesys
// has no call that removes one attribute: it is PATCHed to "" (Model:
// platformclientv2.Participantattributes, PATCH
// /api/v2/conversations/{conversationId}/participants/{participantId}/attributes,
// ConversationsApi.PatchConversationParticipantAttributes), and the pop
// skips an empty attribute. Nothing is written when nothing names it.
func (s *Service) forgetContext(ctx context.Context, conv *genesys.Conversation, rejected RecordIDs) error {
	cust := CustomerParticipant(conv)
	if cust == nil || cust.ID == "" {
		return nil
	}
	key := "context:" + conv.ID
	var written RecordIDs
	s.matchMu.Lock()
	if v, ok := s.pops.Get(key); ok {
		written = v.(RecordIDs)
	}
	s.matchMu.Unlock()
	empty := map[string]string{}
	if id := rejected.PartyID; id != "" && (attribute(conv, cust, s.opts.PartyIDAttribute) == id || written.PartyID == id) {
		empty[s.opts.PartyIDAttribute] = ""
	}
	if id := rejected.CaseID; id != "" && (attribute(conv, cust, s.opts.CaseIDAttribute) == s.caseKey(conv.ID, id) || written.CaseID == id) {
		empty[s.opts.CaseIDAttribute] = ""
	}
	if len(empty) > 0 {
		err := s.opts.Genesys.Conversations.PatchParticipantAttributes(ctx, conv.ID, cust.ID, empty)
		s.count(SystemGenesys, "patch_participant_attributes", err)
		// The next read shows what the conversation carries now (or, after
		// a failure, still carries, so a retry empties it).
		s.convs.Drop(conv.ID, func(v *genesys.Conversation) bool { return v == conv })
		if err != nil {
			return &UpstreamError{System: SystemGenesys, Op: "PATCH participant attributes", Err: err}
		}
	}
	// A later choice, even of the same record again, is written anew.
	s.matchMu.Lock()
	if v, ok := s.pops.Get(key); ok && v.(RecordIDs) == written {
		s.pops.Delete(key)
	}
	s.matchMu.Unlock()
	return nil
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
