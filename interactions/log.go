package interactions

import (
	"context"
	"errors"
	"strings"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// Event is the moment the page logs an interaction at.
type Event string

const (
	EventConnect    Event = "connect"
	EventDisconnect Event = "disconnect"
	EventWrapup     Event = "wrapup"
)

// ParseEvent accepts connect, disconnect or wrapup (any case; "wrap-up" too).
func ParseEvent(s string) (Event, error) {
	switch e := Event(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "")); e {
	case EventConnect, EventDisconnect, EventWrapup:
		return e, nil
	}
	return "", &InputError{Field: "event", Problem: "must be connect, disconnect or wrapup, not \"" + clip(s) + "\""}
}

// LogResult is what a log write did.
type LogResult struct {
	ConversationID string `json:"conversationId"`
	Event          Event  `json:"event"`
	RecordID       string `json:"recordId"`
	Created        bool   `json:"created"`
	// AgentMapped is false when the record was written without the agent
	// (the caller has no ServiceJourney user); the log is kept regardless.
	AgentMapped bool `json:"agentMapped"`
	// Ended: the conversation (or at least the agent's part) is over.
	Ended bool `json:"ended"`
	// WrapupPending: the agent's wrap-up code is not there yet; log again
	// with wrapup once after-call work is done.
	WrapupPending bool   `json:"wrapupPending"`
	WrapupCode    string `json:"wrapupCode,omitempty"`
	WrapupName    string `json:"wrapupName,omitempty"`
	PartyID       string `json:"partyId,omitempty"`
	CaseID        string `json:"caseId,omitempty"`
	// ContextWritten: the picked record was written to the customer
	// participant's data, for the next agent after a transfer.
	ContextWritten bool `json:"contextWritten,omitempty"`
}

// LogInteraction writes the interaction log record of a conversation, as
// agentUserID sees it now, with UPSERTINTERACTION keyed by the conversation
// id: written at connect, updated at disconnect and after wrap-up. ids are
// the records the agent works on (chosen from a picker); when empty, the
// record the conversation popped to is used. The record is written even when
// the agent is not mapped (without the agent), so no interaction is lost.
func (s *Service) LogInteraction(ctx context.Context, conversationID string, ev Event, agentUserID string, ids RecordIDs) (*LogResult, error) {
	if conversationID == "" {
		return nil, &InputError{Field: "conversationId", Problem: "is empty; the page passes gcConversationId"}
	}
	if _, err := ParseEvent(string(ev)); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	conv, err := s.conversation(ctx, conversationID, servesEvent(ev, agentUserID))
	if err != nil {
		return nil, err
	}
	if AgentParticipant(conv, agentUserID) == nil {
		return nil, ErrNotParticipant
	}
	res := &LogResult{ConversationID: conversationID, Event: ev}
	sjUserID := ""
	sj, err := s.agent(ctx, agentUserID)
	var nm *AgentNotMappedError
	switch {
	case err == nil:
		sjUserID, res.AgentMapped = sj.ID, true
	case errors.As(err, &nm), errors.Is(err, ErrNoUserMap):
		// logged without the agent; the sync job looks again for WrapupGrace
	default:
		return nil, err
	}
	in := s.fromConversation(ctx, conv, agentUserID, sjUserID)
	picked := ids.PartyID != "" || ids.CaseID != ""
	if picked {
		s.pops.SetDefault(conversationID, ids) // later writes (events, sync) carry it too
	} else {
		ids = s.popped(conversationID)
	}
	in.PartyID, in.CaseID = ids.PartyID, ids.CaseID
	clears := s.markClears(&in)
	agent := AgentParticipant(conv, agentUserID)
	res.Ended = !conv.EndTime.IsZero() || participantEnded(agent)
	res.WrapupCode, res.WrapupName = in.WrapupCode, in.WrapupName
	res.WrapupPending = in.WrapupCode == "" && wrapupPending(agent)
	res.PartyID, res.CaseID = in.PartyID, in.CaseID

	in.Fields = s.mapFields(in, s.conversationSource(ctx, conv))
	up, err := s.opts.SJ.UpsertInteraction(ctx, in)
	s.count(SystemServiceJourney, appbase.OpUpsertInteraction, err)
	if err != nil {
		s.m.writes.WithLabelValues("page", string(ev), "error").Inc()
		return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpUpsertInteraction, Err: err}
	}
	s.m.writes.WithLabelValues("page", string(ev), "ok").Inc()
	s.clearsWritten(in, clears)
	res.RecordID, res.Created = up.ID, up.Created
	if picked {
		res.ContextWritten = s.writeBack(ctx, conv, ids)
	}
	if res.Ended && !res.WrapupPending {
		s.afterWrapup(ctx, conversationID, in.MediaType)
	}
	return res, nil
}

// servesEvent says whether a recently fetched copy of the conversation can
// serve a log write of ev: any copy for connect (the pop's own fetch); for
// disconnect only one where the agent's part is over; for wrapup only one
// that has the wrap-up or where none is to come.
func servesEvent(ev Event, agentUserID string) func(*genesys.Conversation) bool {
	return func(c *genesys.Conversation) bool {
		agent := AgentParticipant(c, agentUserID)
		switch ev {
		case EventConnect:
			return true
		case EventDisconnect:
			return !c.EndTime.IsZero() || participantEnded(agent)
		default:
			return wrapupOf(agent) != nil || !wrapupPending(agent)
		}
	}
}
