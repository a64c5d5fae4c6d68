package interactions

import (
	"context"

	"dcmconnect/appbase"
)

// rejection is what "not this customer" leaves for the conversation: the
// records the agent rejected (no lookup by number may link them again) and
// whether the interaction record still has to have each emptied
// (UPSERTINTERACTION's CLEARPARTYID / CLEARCASEID, sent once).
type rejection struct {
	ids                   RecordIDs
	clearParty, clearCase bool
	// gen counts the rejections, so a write that carried the markers of an
	// earlier one does not settle a newer one.
	gen int
}

func rejectionKey(conversationID string) string { return "rejected:" + conversationID }

func (s *Service) rejection(conversationID string) (rejection, bool) {
	if v, ok := s.pops.Get(rejectionKey(conversationID)); ok {
		return v.(rejection), true
	}
	return rejection{}, false
}

// ForgetRecord is "not this customer": the record the pop (or an earlier
// choice) named for the conversation is dropped, so later logs of the page,
// the event listener and the sync job no longer name it, and the agent can
// search and choose another. The next interaction log empties what an
// earlier one wrote of it (the clear markers), and the customer
// participant's data loses the id the pop or a pick wrote there, so the
// agent after a transfer does not pop it either. Only a participant may do
// it (ErrNotParticipant).
func (s *Service) ForgetRecord(ctx context.Context, conversationID, agentUserID string) error {
	if conversationID == "" {
		return &InputError{Field: "conversationId", Problem: "is empty; the page passes gcConversationId"}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	conv, err := s.conversation(ctx, conversationID, nil)
	if err != nil {
		return err
	}
	if AgentParticipant(conv, agentUserID) == nil {
		return ErrNotParticipant
	}
	ids := s.popped(conversationID)
	s.matchMu.Lock()
	r, _ := s.rejection(conversationID)
	if ids.PartyID != "" {
		r.ids.PartyID, r.clearParty = ids.PartyID, true
	}
	if ids.CaseID != "" {
		r.ids.CaseID, r.clearCase = ids.CaseID, true
	}
	r.gen++
	s.pops.SetDefault(rejectionKey(conversationID), r)
	s.pops.Delete(conversationID)
	s.matchMu.Unlock()
	return s.forgetContext(ctx, conv, r.ids)
}

// chosen is the conversation's link as this process knows it: the agent's
// choice or the pop's single record. decided is true when the agent chose,
// the pop found one, or the agent rejected one: then no lookup by number
// may link the conversation (it would bring a rejected record back).
func (s *Service) chosen(conversationID string) (ids RecordIDs, decided bool) {
	if v, ok := s.pops.Get(conversationID); ok {
		return v.(RecordIDs), true
	}
	_, rejected := s.rejection(conversationID)
	return RecordIDs{}, rejected
}

// markClears sets the clear markers a write of in still owes after "not
// this customer" and returns the rejection they belong to, for
// clearsWritten. A field the write sets needs no marker.
func (s *Service) markClears(in *appbase.Interaction) int {
	r, ok := s.rejection(in.ConversationID)
	if !ok {
		return 0
	}
	in.ClearPartyID = r.clearParty && in.PartyID == ""
	in.ClearCaseID = r.clearCase && in.CaseID == ""
	return r.gen
}

// clearsWritten settles the markers once a write that carried them (or set
// the field anew) succeeded: later writes do not send them again.
func (s *Service) clearsWritten(in appbase.Interaction, gen int) {
	if gen == 0 {
		return
	}
	s.matchMu.Lock()
	defer s.matchMu.Unlock()
	r, ok := s.rejection(in.ConversationID)
	if !ok || r.gen != gen {
		return
	}
	r.clearParty = r.clearParty && !in.ClearPartyID && in.PartyID == ""
	r.clearCase = r.clearCase && !in.ClearCaseID && in.CaseID == ""
	s.pops.SetDefault(rejectionKey(in.ConversationID), r)
}
