package api

import (
	"context"
	"errors"
	"net/http"

	"dcmconnect/genesys"
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
// LogInteraction and ClickToDial. Each acts for the verified caller only.
func InteractionMethods(svc *interactions.Service) []Method {
	return []Method{
		{Name: "ScreenPop", ReadOnly: true, Handle: func(ctx context.Context, c *Call) (any, error) {
			id, err := c.String("conversationId", true)
			if err != nil {
				return nil, err
			}
			pop, err := svc.ScreenPop(ctx, id, c.Caller.ID)
			if err != nil {
				return nil, FromInteractions(err)
			}
			return pop, nil
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
				return nil, FromInteractions(err)
			}
			var ids interactions.RecordIDs
			if ids.PartyID, err = c.String("partyId", false); err != nil {
				return nil, err
			}
			if ids.CaseID, err = c.String("caseId", false); err != nil {
				return nil, err
			}
			res, err := svc.LogInteraction(ctx, id, ev, c.Caller.ID, ids)
			if err != nil {
				return nil, FromInteractions(err)
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
				return nil, FromInteractions(err)
			}
			return map[string]string{"conversationId": id}, nil
		}},
	}
}

// FromInteractions maps the interactions package's errors to what the page
// gets: a status and an ExceptionType per case it explains differently.
func FromInteractions(err error) *Error {
	var (
		ae *Error
		nm *interactions.AgentNotMappedError
		ie *interactions.InputError
		ue *interactions.UpstreamError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &nm):
		return &Error{Status: http.StatusForbidden, Type: TypeAgentNotMapped, Message: nm.Error()}
	case errors.Is(err, interactions.ErrNoUserMap):
		return &Error{Status: http.StatusServiceUnavailable, Type: TypeUserMapNotReady, Message: err.Error(), Err: err}
	case errors.Is(err, interactions.ErrNotParticipant):
		return &Error{Status: http.StatusForbidden, Type: TypeNotParticipant, Message: err.Error()}
	case errors.Is(err, interactions.ErrConversationGone):
		return &Error{Status: http.StatusNotFound, Type: TypeConversationGone, Message: err.Error()}
	case errors.As(err, &ie):
		e := BadRequest(ie.Error())
		if ie.Field == "number" {
			e.Type = TypeInvalidPhoneNumber
		}
		return e
	case errors.As(err, &ue) && ue.System == interactions.SystemServiceJourney:
		e := FromAppBase(ue.Err)
		e.Type = TypeServiceJourneyError
		if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout {
			e.Type = TypeServiceJourneyDown
		}
		return e
	case errors.As(err, &ue):
		switch {
		case errors.Is(ue.Err, genesys.ErrUnauthorized):
			return Unauthorized("Genesys Cloud refused your token; sign in again")
		case errors.Is(ue.Err, genesys.ErrForbidden) && ue.Op == interactions.OpCreateCall:
			return &Error{Status: http.StatusForbidden, Type: TypeDialPermissionMissing,
				Message: "Genesys Cloud refused to place the call: your role needs the permission conversation:conference:add", Err: ue.Err}
		}
		e := FromGenesys(ue.Err)
		e.Type = TypeGenesysError
		if e.Status == http.StatusServiceUnavailable || e.Status == http.StatusGatewayTimeout {
			e.Type = TypeGenesysDown
		}
		return e
	}
	return Upstream("upstream", err)
}
