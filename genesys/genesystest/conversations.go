package genesystest

import (
	"net/http"
	"strings"
)

// Wire shapes of GET /api/v2/conversations/{id} (docs/upstreams.md). Genesys omits
// null fields, so times of an active conversation are absent.
type wireConversation struct {
	ID              string            `json:"id"`
	Name            string            `json:"name,omitempty"`
	StartTime       string            `json:"startTime"`
	EndTime         string            `json:"endTime,omitempty"`
	Address         string            `json:"address,omitempty"`
	ExternalTag     string            `json:"externalTag,omitempty"`
	Participants    []wireParticipant `json:"participants"`
	ConversationIDs []string          `json:"conversationIds"`
	MaxParticipants int               `json:"maxParticipants"`
	RecordingState  string            `json:"recordingState"`
	Divisions       []wireDivisionRef `json:"divisions"`
	SelfURI         string            `json:"selfUri"`
}

type wireDivisionRef struct {
	Division wireRef   `json:"division"`
	Entities []wireRef `json:"entities"`
}

type wireParticipant struct {
	ID               string            `json:"id"`
	StartTime        string            `json:"startTime"`
	EndTime          string            `json:"endTime,omitempty"`
	ConnectedTime    string            `json:"connectedTime,omitempty"`
	Name             string            `json:"name,omitempty"`
	UserURI          string            `json:"userUri,omitempty"`
	UserID           string            `json:"userId,omitempty"`
	QueueID          string            `json:"queueId,omitempty"`
	QueueName        string            `json:"queueName,omitempty"`
	Purpose          string            `json:"purpose"`
	ParticipantType  string            `json:"participantType,omitempty"`
	Address          string            `json:"address,omitempty"`
	ANI              string            `json:"ani,omitempty"`
	DNIS             string            `json:"dnis,omitempty"`
	WrapupRequired   bool              `json:"wrapupRequired"`
	Wrapup           *wireWrapup       `json:"wrapup,omitempty"`
	StartAcwTime     string            `json:"startAcwTime,omitempty"`
	EndAcwTime       string            `json:"endAcwTime,omitempty"`
	Attributes       map[string]string `json:"attributes"`
	Calls            []wireCall        `json:"calls"`
	Callbacks        []wireCallback    `json:"callbacks"`
	Chats            []wireDirectedLeg `json:"chats"`
	Cobrowsesessions []wireLeg         `json:"cobrowsesessions"`
	Emails           []wireDirectedLeg `json:"emails"`
	Messages         []wireDirectedLeg `json:"messages"`
	Screenshares     []wireLeg         `json:"screenshares"`
	SocialExpr       []wireHeldLeg     `json:"socialExpressions"`
	Videos           []wireLeg         `json:"videos"`
	Evaluations      []any             `json:"evaluations"`
}

type wireWrapup struct {
	Code            string   `json:"code"`
	Name            string   `json:"name,omitempty"`
	Notes           string   `json:"notes,omitempty"`
	Tags            []string `json:"tags"`
	DurationSeconds int      `json:"durationSeconds,omitempty"`
	EndTime         string   `json:"endTime,omitempty"`
	Provisional     bool     `json:"provisional"`
}

// Legs differ by media; each shape keeps only the fields its model has.
// wireLeg is what every leg carries (Models: platformclientv2.Video,
// Screenshare, Cobrowsesession, Callback share these).
type wireLeg struct {
	State                 string             `json:"state"`
	ID                    string             `json:"id"`
	DisconnectType        string             `json:"disconnectType,omitempty"`
	ConnectedTime         string             `json:"connectedTime,omitempty"`
	DisconnectedTime      string             `json:"disconnectedTime,omitempty"`
	Provider              string             `json:"provider"`
	AfterCallWork         *wireAfterCallWork `json:"afterCallWork,omitempty"`
	AfterCallWorkRequired bool               `json:"afterCallWorkRequired,omitempty"`
}

// wireHeldLeg can be held (Model: platformclientv2.Socialexpression).
type wireHeldLeg struct {
	wireLeg
	Held bool `json:"held"`
}

// wireDirectedLeg has a direction too (Models: platformclientv2.Conversationchat,
// Email, Message: no recording, recordingState, muted or confined).
type wireDirectedLeg struct {
	wireHeldLeg
	Direction string `json:"direction,omitempty"`
}

// wireCall is a voice leg (Model: platformclientv2.Call), the only media
// with recording, recordingState, muted and confined.
type wireCall struct {
	wireDirectedLeg
	Recording      bool   `json:"recording"`
	RecordingState string `json:"recordingState"`
	Muted          bool   `json:"muted"`
	Confined       bool   `json:"confined"`
}

// Model: platformclientv2.Aftercallwork.
type wireAfterCallWork struct {
	State     string `json:"state,omitempty"`
	StartTime string `json:"startTime,omitempty"`
	EndTime   string `json:"endTime,omitempty"`
}

func legWire(m Media) wireLeg {
	l := wireLeg{
		State:                 m.State,
		ID:                    m.ID,
		DisconnectType:        m.DisconnectType,
		ConnectedTime:         isoTimePtr(m.ConnectedTime),
		DisconnectedTime:      isoTimePtr(m.DisconnectedTime),
		Provider:              "Edge",
		AfterCallWorkRequired: m.AfterCallWorkRequired,
	}
	if a := m.AfterCallWork; a != nil {
		l.AfterCallWork = &wireAfterCallWork{State: a.State, StartTime: isoTimePtr(a.StartTime), EndTime: isoTimePtr(a.EndTime)}
	}
	return l
}

func legsWire[W any](ms []Media, wire func(Media) W) []W {
	out := make([]W, len(ms))
	for i, m := range ms {
		out[i] = wire(m)
	}
	return out
}

func plainLeg(m Media) wireLeg { return legWire(m) }

func heldLeg(m Media) wireHeldLeg { return wireHeldLeg{wireLeg: legWire(m)} }

func directedLeg(m Media) wireDirectedLeg {
	return wireDirectedLeg{wireHeldLeg: heldLeg(m), Direction: m.Direction}
}

// wireCallback is a callback leg (Model: platformclientv2.Callback: direction,
// callbackNumbers, voicemail {id, uploadStatus} for an ACD voicemail).
type wireCallback struct {
	wireLeg
	Direction       string         `json:"direction,omitempty"`
	Held            bool           `json:"held"`
	CallbackNumbers []string       `json:"callbackNumbers"`
	Voicemail       *wireVoicemail `json:"voicemail,omitempty"`
}

type wireVoicemail struct {
	ID           string `json:"id"`
	UploadStatus string `json:"uploadStatus"`
}

func callbackLeg(m Media) wireCallback {
	w := wireCallback{wireLeg: legWire(m), Direction: m.Direction, CallbackNumbers: m.CallbackNumbers}
	if w.CallbackNumbers == nil {
		w.CallbackNumbers = []string{}
	}
	if m.Voicemail {
		w.Voicemail = &wireVoicemail{ID: nameUUID("voicemail:" + m.ID), UploadStatus: "COMPLETE"}
	}
	return w
}

func callLeg(m Media) wireCall {
	return wireCall{wireDirectedLeg: directedLeg(m), RecordingState: "none"}
}

// wrapupName resolves a wrap-up code's name; the caller holds s.mu.
func (s *Server) wrapupName(w *Wrapup) string {
	if w.Name != "" {
		return w.Name
	}
	if n, ok := s.data.wrapups.get(w.Code); ok {
		return n.Name
	}
	return ""
}

// queueName resolves a participant's queue name; the caller holds s.mu.
func (s *Server) queueName(p *Participant) string {
	if p.QueueName != "" {
		return p.QueueName
	}
	if q, ok := s.data.queues.get(p.QueueID); ok {
		return q.Name
	}
	return ""
}

// conversationWire renders a conversation; the caller holds s.mu.
func (s *Server) conversationWire(c *Conversation) wireConversation {
	div := c.DivisionID
	if div == "" {
		div = s.data.homeDivision.ID
	}
	wc := wireConversation{
		ID:              c.ID,
		Name:            c.Name,
		StartTime:       isoTime(c.StartTime),
		EndTime:         isoTimePtr(c.EndTime),
		Address:         c.Address,
		ExternalTag:     c.ExternalTag,
		Participants:    make([]wireParticipant, len(c.Participants)),
		ConversationIDs: []string{},
		MaxParticipants: 10,
		RecordingState:  "NONE",
		Divisions:       []wireDivisionRef{{Division: wireRef{ID: div, SelfURI: "/api/v2/authorization/divisions/" + div}, Entities: []wireRef{}}},
		SelfURI:         "/api/v2/conversations/" + c.ID,
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		wp := wireParticipant{
			ID:               p.ID,
			StartTime:        isoTime(p.StartTime),
			EndTime:          isoTimePtr(p.EndTime),
			ConnectedTime:    isoTimePtr(p.ConnectedTime),
			Name:             p.Name,
			UserID:           p.UserID,
			QueueID:          p.QueueID,
			QueueName:        s.queueName(p),
			Purpose:          p.Purpose,
			Address:          p.Address,
			ANI:              p.ANI,
			DNIS:             p.DNIS,
			WrapupRequired:   p.WrapupRequired,
			StartAcwTime:     isoTimePtr(p.StartAcwTime),
			EndAcwTime:       isoTimePtr(p.EndAcwTime),
			Attributes:       p.Attributes,
			Calls:            legsWire(p.Calls, callLeg),
			Callbacks:        legsWire(p.Callbacks, callbackLeg),
			Chats:            legsWire(p.Chats, directedLeg),
			Cobrowsesessions: legsWire(p.Cobrowsesessions, plainLeg),
			Emails:           legsWire(p.Emails, directedLeg),
			Messages:         legsWire(p.Messages, directedLeg),
			Screenshares:     legsWire(p.Screenshares, plainLeg),
			SocialExpr:       legsWire(p.SocialExpressions, heldLeg),
			Videos:           legsWire(p.Videos, plainLeg),
			Evaluations:      []any{},
		}
		if wp.Attributes == nil {
			wp.Attributes = map[string]string{}
		}
		if p.UserID != "" {
			wp.UserURI = "/api/v2/users/" + p.UserID
		}
		switch p.Purpose {
		case "customer", "external":
			wp.ParticipantType = "External"
		case "agent", "user":
			wp.ParticipantType = "Internal"
		}
		if p.Wrapup != nil {
			wp.Wrapup = &wireWrapup{
				Code:            p.Wrapup.Code,
				Name:            s.wrapupName(p.Wrapup),
				Notes:           p.Wrapup.Notes,
				Tags:            []string{},
				DurationSeconds: p.Wrapup.DurationSeconds,
				EndTime:         isoTimePtr(p.Wrapup.EndTime),
			}
		}
		wc.Participants[i] = wp
	}
	return wc
}

// GET /api/v2/conversations/{conversationId}.
func (s *Server) handleGetConversation(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conversationId")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.convs.get(id)
	if !ok {
		notFound(w, "conversation", id)
		return
	}
	writeJSON(w, http.StatusOK, s.conversationWire(c))
}

// patchAttributes merges participant data (docs/upstreams.md: merge is the common
// understanding [UNVERIFIED]). Values must be strings.
func (s *Server) patchAttributes(w http.ResponseWriter, r *http.Request) (map[string]string, bool) {
	var body struct {
		Attributes map[string]any `json:"attributes"`
	}
	if !decodeJSON(w, r, &body) {
		return nil, false
	}
	if body.Attributes == nil {
		badRequest(w, "attributes is required: send {\"attributes\":{\"key\":\"value\"}}")
		return nil, false
	}
	attrs := map[string]string{}
	for k, v := range body.Attributes {
		str, ok := v.(string)
		if !ok {
			badRequest(w, "attributes."+k+" must be a string")
			return nil, false
		}
		attrs[k] = str
	}
	cid, pid := r.PathValue("conversationId"), r.PathValue("participantId")
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.data.convs.get(cid)
	if !ok {
		notFound(w, "conversation", cid)
		return nil, false
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		if p.ID != pid {
			continue
		}
		if p.Attributes == nil {
			p.Attributes = map[string]string{}
		}
		for k, v := range attrs {
			p.Attributes[k] = v
		}
		out := map[string]string{}
		for k, v := range p.Attributes {
			out[k] = v
		}
		return out, true
	}
	notFound(w, "participant", pid)
	return nil, false
}

// PATCH /api/v2/conversations/{cid}/participants/{pid}/attributes: no body.
// The status is not in docs/upstreams.md; 202 is assumed [UNVERIFIED].
func (s *Server) handlePatchAttributes(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.patchAttributes(w, r); ok {
		w.WriteHeader(http.StatusAccepted)
	}
}

// PATCH /api/v2/conversations/calls/{cid}/participants/{pid}/attributes
// returns the ParticipantAttributes body (docs/upstreams.md).
func (s *Server) handlePatchCallAttributes(w http.ResponseWriter, r *http.Request) {
	if attrs, ok := s.patchAttributes(w, r); ok {
		writeJSON(w, http.StatusOK, map[string]any{"attributes": attrs})
	}
}

// POST /api/v2/conversations/calls (docs/upstreams.md): places a call from the
// token's user. It needs a user token, like users/me.
func (s *Server) handleCreateCall(w http.ResponseWriter, r *http.Request) {
	tok := tokenFrom(r)
	if tok.userID == "" {
		badRequest(w, userContextMessage)
		return
	}
	var req struct {
		PhoneNumber     string            `json:"phoneNumber"`
		CallerID        string            `json:"callerId"`
		CallerIDName    string            `json:"callerIdName"`
		CallFromQueueID string            `json:"callFromQueueId"`
		CallQueueID     string            `json:"callQueueId"`
		CallUserID      string            `json:"callUserId"`
		Attributes      map[string]string `json:"attributes"`
		Participants    []struct {
			Address string `json:"address"`
			Name    string `json:"name"`
			UserID  string `json:"userId"`
			QueueID string `json:"queueId"`
		} `json:"participants"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	target := req.PhoneNumber
	if target == "" && len(req.Participants) > 0 {
		target = req.Participants[0].Address
	}
	if target == "" && req.CallUserID == "" && req.CallQueueID == "" {
		badRequest(w, "phoneNumber is required (or callUserId, callQueueId or participants[].address)")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.data.users.get(tok.userID)
	if !ok {
		notFound(w, "user", tok.userID)
		return
	}
	now := s.now()
	tel := target
	if tel != "" && !strings.Contains(tel, ":") {
		tel = "tel:" + tel
	}
	agent := Participant{
		Name: u.Name, Purpose: "agent", UserID: u.ID, QueueID: req.CallFromQueueID,
		ANI: req.CallerID, DNIS: tel, Address: tel, ConnectedTime: &now,
		Calls: []Media{{State: "connected", Direction: "outbound", ConnectedTime: &now}},
	}
	if req.CallFromQueueID == "" {
		agent.Purpose = "user" // a direct call, not on behalf of a queue
	}
	customer := Participant{
		Name: req.CallerIDName, Purpose: "customer", ANI: req.CallerID, DNIS: tel, Address: tel,
		Attributes: req.Attributes,
		Calls:      []Media{{State: "dialing", Direction: "outbound"}},
	}
	c := Conversation{
		Address: tel, OriginatingDirection: "outbound", StartTime: now,
		Participants: []Participant{agent, customer},
	}
	s.fillConversation(&c)
	c = copyConversation(c)
	s.data.convs.put(c.ID, &c)
	s.conversationChanged(&c)
	writeJSON(w, http.StatusOK, map[string]string{"id": c.ID, "selfUri": "/api/v2/conversations/" + c.ID})
}
