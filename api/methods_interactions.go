package api

import (
	"context"

	"dcmconnect/interactions"
)

// Exception types the agent page tells apart, so it can show its own
// message for each (DCM.call puts them in error.type).
const (
	TypeAgentNotMapped        = "DCMConnect.AgentNotMapped"
	TypeUserMapNotReady       = "DCMConnect.UserMapNotReady"
	TypeNotParticipant        = "DCMConnect.NotParticipant"
	TypeConversationGone      = "DCMConnect.ConversationGone"
	TypeServiceJourneyDown    = "DCMConnect.ServiceJourneyUnavailable"
	TypeServiceJourneyError   = "DCMConnect.ServiceJourneyError"
	TypeGenesysDown           = "DCMConnect.GenesysUnavailable"
	TypeGenesysError          = "DCMConnect.GenesysError"
	TypeInvalidPhoneNumber    = "DCMConnect.InvalidPhoneNumber"
	TypeDialPermissionMissing = "DCMConnect.DialNotAllowed"
)

// InteractionMethods are the agent page's methods: ScreenPop,
// SearchRecords, ForgetRecord, LogInteraction and ClickToDial. Each acts
// for the verified caller only.
func InteractionMethods(svc *interactions.Service) []Method {
	return []Method{
		{Name: "ScreenPop", ReadOnly: true, Handle: func(ctx context.Context, c *Call) (any, error) {
			id, err := c.String("conversationId", true)
			if err != nil {
				return nil, err
			}
			pop, err := svc.ScreenPop(interactions.WithCallerToken(ctx, c.Caller.Token), id, c.Caller.ID)
			if err != nil {
				return nil, httpError(err, fromUnknown)
			}
			return pop, nil
		}, Prefetch: func(ctx context.Context, c *Call, token string) {
			// The conversation read, the pop's first step, overlaps the
			// token's verification; the pop takes it only for this token.
			if id, err := c.String("conversationId", true); err == nil {
				svc.Prefetch(ctx, token, id)
			}
		}},
		// SearchRecords is the agent's own search (kind name, phone, email or
		// case; text): mapped agents only, at most
		// interactions.MaxSearchResults rows with "more" beyond.
		{Name: "SearchRecords", ReadOnly: true, Handle: func(ctx context.Context, c *Call) (any, error) {
			var q interactions.SearchQuery
			var err error
			if q.Kind, err = c.String("kind", true); err != nil {
				return nil, err
			}
			if q.Text, err = c.String("text", false); err != nil {
				return nil, err
			}
			if q.ConversationID, err = c.String("conversationId", false); err != nil {
				return nil, err
			}
			res, err := svc.Search(ctx, c.Caller.ID, q)
			if err != nil {
				return nil, httpError(err, fromUnknown)
			}
			return res, nil
		}},
		// ForgetRecord is "not this customer": the pop's record is no longer
		// what later logs name.
		{Name: "ForgetRecord", Handle: func(ctx context.Context, c *Call) (any, error) {
			id, err := c.String("conversationId", true)
			if err != nil {
				return nil, err
			}
			if err := svc.ForgetRecord(interactions.WithCallerToken(ctx, c.Caller.Token), id, c.Caller.ID); err != nil {
				return nil, httpError(err, fromUnknown)
			}
			return map[string]bool{"forgotten": true}, nil
		}},
		{Name: "LogInteraction", Handle: func(ctx context.Context, c *Call) (any, error) {
			id, err := c.String("conversationId", true)
			if err != nil {
				return nil, err
			}
			raw, err := c.String("event", true)
			if err != nil {
				return nil, err
			}
			ev, err := interactions.ParseEvent(raw)
			if err != nil {
				return nil, httpError(err, fromUnknown)
			}
			var ids interactions.RecordIDs
			if ids.PartyID, err = c.String("partyId", false); err != nil {
				return nil, err
			}
			if ids.CaseID, err = c.String("caseId", false); err != nil {
				return nil, err
			}
			res, err := svc.LogInteraction(interactions.WithCallerToken(ctx, c.Caller.Token), id, ev, c.Caller.ID, ids)
			if err != nil {
				return nil, httpError(err, fromUnknown)
			}
			return res, nil
		}},
		{Name: "ClickToDial", Handle: func(ctx context.Context, c *Call) (any, error) {
			number, err := c.String("number", true)
			if err != nil {
				return nil, err
			}
			id, err := svc.Dial(ctx, c.Caller.Token, number)
			if err != nil {
				return nil, httpError(err, fromUnknown)
			}
			return map[string]string{"conversationId": id}, nil
		}},
	}
}
