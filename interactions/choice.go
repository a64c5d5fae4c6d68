package interactions

import "context"

// ForgetRecord is "not this customer": the record the pop (or an earlier
// choice) named for the conversation is dropped, so later logs of the page,
// the event listener and the sync job no longer name it, and the agent can
// search and choose another. What a log already wrote stays in the
// interaction record until the agent chooses: the upsert writes only the
// inputs it carries. Only a participant may do it (ErrNotParticipant).
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
	s.pops.Delete(conversationID)
	return nil
}
