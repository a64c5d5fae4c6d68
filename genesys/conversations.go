package genesys

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// ConversationsService covers /api/v2/conversations (docs/upstreams.md).
type ConversationsService service

// Conversation is GET /api/v2/conversations/{id}.
// Model: platformclientv2.Conversation.
type Conversation struct {
	ID              string        `json:"id"`
	Name            string        `json:"name,omitempty"`
	ExternalTag     string        `json:"externalTag,omitempty"`
	StartTime       time.Time     `json:"startTime,omitzero"`
	EndTime         time.Time     `json:"endTime,omitzero"` // zero while active
	Address         string        `json:"address,omitempty"`
	Participants    []Participant `json:"participants,omitempty"`
	ConversationIDs []string      `json:"conversationIds,omitempty"`
	MaxParticipants int           `json:"maxParticipants,omitempty"`
	RecordingState  string        `json:"recordingState,omitempty"`
	Divisions       []struct {
		Division NamedEntity   `json:"division"`
		Entities []NamedEntity `json:"entities,omitempty"`
	} `json:"divisions,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

// Participant is one party of a conversation. Attributes is the
// "participant data" Architect writes; it usually sits on the customer.
// Model: platformclientv2.Participant (one list per media; after-call work
// bounded by startAcwTime/endAcwTime).
type Participant struct {
	ID                     string            `json:"id"`
	Name                   string            `json:"name,omitempty"`
	Purpose                string            `json:"purpose,omitempty"` // customer, agent, acd, ivr, external, ...
	ParticipantType        string            `json:"participantType,omitempty"`
	Address                string            `json:"address,omitempty"`
	Ani                    string            `json:"ani,omitempty"`
	AniName                string            `json:"aniName,omitempty"`
	Dnis                   string            `json:"dnis,omitempty"`
	UserID                 string            `json:"userId,omitempty"`
	UserURI                string            `json:"userUri,omitempty"`
	QueueID                string            `json:"queueId,omitempty"`
	QueueName              string            `json:"queueName,omitempty"`
	GroupID                string            `json:"groupId,omitempty"`
	TeamID                 string            `json:"teamId,omitempty"`
	ExternalContactID      string            `json:"externalContactId,omitempty"`
	ExternalOrganizationID string            `json:"externalOrganizationId,omitempty"`
	Locale                 string            `json:"locale,omitempty"`
	StartTime              time.Time         `json:"startTime,omitzero"`
	EndTime                time.Time         `json:"endTime,omitzero"`
	ConnectedTime          time.Time         `json:"connectedTime,omitzero"`
	Attributes             map[string]string `json:"attributes,omitempty"`
	WrapupRequired         bool              `json:"wrapupRequired,omitempty"`
	WrapupPrompt           string            `json:"wrapupPrompt,omitempty"`
	WrapupSkipped          bool              `json:"wrapupSkipped,omitempty"`
	Wrapup                 *Wrapup           `json:"wrapup,omitempty"`
	// StartAcwTime and EndAcwTime bound the participant's after-call work;
	// EndAcwTime set means it is over.
	StartAcwTime      time.Time      `json:"startAcwTime,omitzero"`
	EndAcwTime        time.Time      `json:"endAcwTime,omitzero"`
	Calls             []Call         `json:"calls,omitempty"`
	Chats             []MediaSession `json:"chats,omitempty"`             // Model: platformclientv2.Conversationchat
	Emails            []MediaSession `json:"emails,omitempty"`            // Model: platformclientv2.Email
	Messages          []MediaSession `json:"messages,omitempty"`          // Model: platformclientv2.Message
	Callbacks         []MediaSession `json:"callbacks,omitempty"`         // Model: platformclientv2.Callback
	Videos            []MediaSession `json:"videos,omitempty"`            // Model: platformclientv2.Video
	Screenshares      []MediaSession `json:"screenshares,omitempty"`      // Model: platformclientv2.Screenshare
	SocialExpressions []MediaSession `json:"socialExpressions,omitempty"` // Model: platformclientv2.Socialexpression
	Cobrowsesessions  []MediaSession `json:"cobrowsesessions,omitempty"`  // Model: platformclientv2.Cobrowsesession
}

// Leg is one media session of a participant, whatever its media: the
// fields every leg model has (state, wrap-up, after-call work).
type Leg struct {
	Media                 string // voice, chat, email, message, callback, video, screenshare, socialexpression, cobrowse
	ID                    string
	State                 string
	Direction             string // empty for media without one (video, screenshare, ...)
	Wrapup                *Wrapup
	AfterCallWork         *AfterCallWork
	AfterCallWorkRequired bool
}

// Legs lists every media session of p, calls first, then the other media
// in the order of the model.
func (p *Participant) Legs() []Leg {
	if p == nil {
		return nil
	}
	var out []Leg
	for _, c := range p.Calls {
		out = append(out, Leg{Media: "voice", ID: c.ID, State: c.State, Direction: c.Direction, Wrapup: c.Wrapup,
			AfterCallWork: c.AfterCallWork, AfterCallWorkRequired: c.AfterCallWorkRequired})
	}
	for _, l := range []struct {
		media string
		legs  []MediaSession
	}{
		{"chat", p.Chats}, {"email", p.Emails}, {"message", p.Messages}, {"callback", p.Callbacks},
		{"video", p.Videos}, {"screenshare", p.Screenshares}, {"socialexpression", p.SocialExpressions}, {"cobrowse", p.Cobrowsesessions},
	} {
		for _, m := range l.legs {
			out = append(out, Leg{Media: l.media, ID: m.ID, State: m.State, Direction: m.Direction, Wrapup: m.Wrapup,
				AfterCallWork: m.AfterCallWork, AfterCallWorkRequired: m.AfterCallWorkRequired})
		}
	}
	return out
}

// AfterCallWork is a leg's after-call work. State is unknown,
// notApplicable, skipped, pending or complete.
// Model: platformclientv2.Aftercallwork.
type AfterCallWork struct {
	State     string    `json:"state,omitempty"`
	StartTime time.Time `json:"startTime,omitzero"`
	EndTime   time.Time `json:"endTime,omitzero"`
}

// Wrapup is what the agent chose after the interaction; Code is the
// wrap-up code id (translate with Routing.GetWrapupCode).
type Wrapup struct {
	Code            string    `json:"code,omitempty"`
	Name            string    `json:"name,omitempty"`
	Notes           string    `json:"notes,omitempty"`
	Tags            []string  `json:"tags,omitempty"`
	DurationSeconds int       `json:"durationSeconds,omitempty"`
	EndTime         time.Time `json:"endTime,omitzero"`
	Provisional     bool      `json:"provisional,omitempty"`
}

// Call is one call leg of a participant. Model: platformclientv2.Call.
type Call struct {
	ID               string    `json:"id"`
	State            string    `json:"state,omitempty"`
	InitialState     string    `json:"initialState,omitempty"`
	Direction        string    `json:"direction,omitempty"` // inbound, outbound
	Recording        bool      `json:"recording,omitempty"`
	RecordingState   string    `json:"recordingState,omitempty"`
	DisconnectType   string    `json:"disconnectType,omitempty"`
	ConnectedTime    time.Time `json:"connectedTime,omitzero"`
	DisconnectedTime time.Time `json:"disconnectedTime,omitzero"`
	Provider         string    `json:"provider,omitempty"`
	PeerID           string    `json:"peerId,omitempty"`
	Self             *Address  `json:"self,omitempty"`
	Other            *Address  `json:"other,omitempty"`
	Wrapup           *Wrapup   `json:"wrapup,omitempty"`
	// AfterCallWorkRequired says after-call work is expected on this leg.
	AfterCallWork         *AfterCallWork `json:"afterCallWork,omitempty"`
	AfterCallWorkRequired bool           `json:"afterCallWorkRequired,omitempty"`
}

// MediaSession is the part every non-call leg shares (chat, email,
// message, callback, video, screenshare, social expression, cobrowse
// session). Direction is empty for media whose model has none.
type MediaSession struct {
	ID                    string         `json:"id"`
	State                 string         `json:"state,omitempty"`
	Direction             string         `json:"direction,omitempty"`
	DisconnectType        string         `json:"disconnectType,omitempty"`
	ConnectedTime         time.Time      `json:"connectedTime,omitzero"`
	DisconnectedTime      time.Time      `json:"disconnectedTime,omitzero"`
	Provider              string         `json:"provider,omitempty"`
	Wrapup                *Wrapup        `json:"wrapup,omitempty"`
	AfterCallWork         *AfterCallWork `json:"afterCallWork,omitempty"`
	AfterCallWorkRequired bool           `json:"afterCallWorkRequired,omitempty"`
	// Callback legs only (Model: platformclientv2.Callback): the numbers to
	// call back, and the voicemail an ACD voicemail arrives with.
	CallbackNumbers []string   `json:"callbackNumbers,omitempty"`
	Voicemail       *Voicemail `json:"voicemail,omitempty"`
}

// Voicemail marks a callback that carries an ACD voicemail.
// Model: platformclientv2.Voicemail.
type Voicemail struct {
	ID           string `json:"id,omitempty"`
	UploadStatus string `json:"uploadStatus,omitempty"`
}

// Address is a call end point.
type Address struct {
	Name               string `json:"name,omitempty"`
	NameRaw            string `json:"nameRaw,omitempty"`
	AddressNormalized  string `json:"addressNormalized,omitempty"`
	AddressRaw         string `json:"addressRaw,omitempty"`
	AddressDisplayable string `json:"addressDisplayable,omitempty"`
}

// Get returns one conversation.
func (s *ConversationsService) Get(ctx context.Context, id string) (*Conversation, error) {
	pid, err := pathID("conversation id", id)
	if err != nil {
		return nil, err
	}
	var c Conversation
	if err := s.client.do(ctx, get("conversations", "/api/v2/conversations/{id}", "/api/v2/conversations/"+pid, nil), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// PatchParticipantAttributes sets participant data on one participant.
// Values are strings only (docs/upstreams.md). Writing the same values twice has
// the same effect, so the call is retried like an idempotent one.
func (s *ConversationsService) PatchParticipantAttributes(ctx context.Context, conversationID, participantID string, attrs map[string]string) error {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return err
	}
	pid, err := pathID("participant id", participantID)
	if err != nil {
		return err
	}
	if len(attrs) == 0 {
		return fmt.Errorf("genesys: PatchParticipantAttributes: attrs is empty")
	}
	r := &request{method: http.MethodPatch, area: "conversations",
		route: "/api/v2/conversations/{id}/participants/{participantId}/attributes",
		path:  "/api/v2/conversations/" + cid + "/participants/" + pid + "/attributes",
		body: struct {
			Attributes map[string]string `json:"attributes"`
		}{attrs},
		idempotent: true}
	return s.client.do(ctx, r, nil)
}

// CreateCallRequest is the body of POST /api/v2/conversations/calls
// (docs/upstreams.md). Usually only PhoneNumber is set.
type CreateCallRequest struct {
	PhoneNumber     string            `json:"phoneNumber,omitempty"`
	CallerID        string            `json:"callerId,omitempty"`
	CallerIDName    string            `json:"callerIdName,omitempty"`
	CallFromQueueID string            `json:"callFromQueueId,omitempty"`
	CallQueueID     string            `json:"callQueueId,omitempty"`
	CallUserID      string            `json:"callUserId,omitempty"`
	Priority        int               `json:"priority,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"`
	LanguageID      string            `json:"languageId,omitempty"`
	RoutingSkillIDs []string          `json:"routingSkillsIds,omitempty"`
	ConversationIDs []string          `json:"conversationIds,omitempty"`
	UUIData         string            `json:"uuiData,omitempty"`
	ExternalContact string            `json:"externalContactId,omitempty"`
	Label           string            `json:"label,omitempty"`
}

// CreateCall places a call from the token user's station (so it needs a
// user token, via WithToken) and returns the new conversation id. It is
// never retried after a 5xx: that could dial twice.
func (s *ConversationsService) CreateCall(ctx context.Context, req *CreateCallRequest) (string, error) {
	if req == nil || (req.PhoneNumber == "" && req.CallUserID == "" && req.CallQueueID == "" && len(req.ConversationIDs) == 0) {
		return "", fmt.Errorf("genesys: CreateCall: set CreateCallRequest.PhoneNumber (or CallUserID, CallQueueID, ConversationIDs)")
	}
	var res struct {
		ID string `json:"id"`
	}
	r := &request{method: http.MethodPost, area: "conversations", route: "/api/v2/conversations/calls",
		path: "/api/v2/conversations/calls", body: req}
	if err := s.client.do(ctx, r, &res); err != nil {
		return "", err
	}
	if res.ID == "" {
		return "", &ResponseError{Status: 200, Method: r.method, Route: r.route, Host: s.client.core.apiHost,
			Err: fmt.Errorf("no conversation id in the answer")}
	}
	return res.ID, nil
}
