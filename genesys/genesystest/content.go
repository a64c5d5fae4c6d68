package genesystest

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// What a conversation produced besides its participants: AI summaries,
// recordings, message and e-mail bodies. Tests set them; the endpoints of
// docs/upstreams.md serve them in the official models' shapes.

// Summary is an AI summary of a conversation (one session).
type Summary struct {
	Text, EditedText, Reason, Followup, Resolution string
	MediaType                                      string // Call, Message, Email, ...; default Call
	Status                                         string // default Complete
	Created                                        time.Time
}

// Recording is one recording's metadata (never media).
type Recording struct {
	ID        string // default a UUID
	Media     string // audio, chat, email, message; default audio
	FileState string // default AVAILABLE
	Start     time.Time
	End       time.Time
}

// Message is one message of a messaging conversation. Direction is
// inbound (from the customer) or outbound (from the agent or a bot).
type Message struct {
	ID            string // default a UUID
	Time          time.Time
	Direction     string
	From, To      string
	Text          string
	MessengerType string // default webmessaging
}

// EmailMessage is one e-mail of an e-mail conversation.
type EmailMessage struct {
	ID       string // default a UUID
	Time     time.Time
	From, To string
	Subject  string
	Text     string
}

type convContent struct {
	summaries  []Summary
	recordings []Recording
	messages   []Message
	emails     []EmailMessage
}

func (s *Server) content(id string) *convContent {
	if s.data.content == nil {
		s.data.content = map[string]*convContent{}
	}
	c := s.data.content[id]
	if c == nil {
		c = &convContent{}
		s.data.content[id] = c
	}
	return c
}

// SetSummaries replaces the AI summaries of a conversation (none: it has no
// summary yet, as in the seconds after after-call work starts).
func (s *Server) SetSummaries(conversationID string, ss ...Summary) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content(conversationID).summaries = slices.Clone(ss)
}

// SetRecordings replaces the recordings of a conversation.
func (s *Server) SetRecordings(conversationID string, rs ...Recording) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content(conversationID).recordings = withIDs(rs, func(v *Recording) *string { return &v.ID })
}

// SetMessages replaces the messages of a messaging conversation.
func (s *Server) SetMessages(conversationID string, ms ...Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content(conversationID).messages = withIDs(ms, func(v *Message) *string { return &v.ID })
}

// SetEmails replaces the e-mails of an e-mail conversation.
func (s *Server) SetEmails(conversationID string, es ...EmailMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.content(conversationID).emails = withIDs(es, func(v *EmailMessage) *string { return &v.ID })
}

// withIDs is a copy of items in which each item without an id has a new one;
// the caller's items are left as they are.
func withIDs[T any](items []T, id func(*T) *string) []T {
	out := slices.Clone(items)
	for i := range out {
		if p := id(&out[i]); *p == "" {
			*p = newUUID()
		}
	}
	return out
}

// onConversation serves h under s.mu for the conversation in the path, and
// answers 404 for one the fake does not hold.
func (s *Server) onConversation(h func(w http.ResponseWriter, r *http.Request, id string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("conversationId")
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.known(w, id) {
			h(w, r, id)
		}
	}
}

// known answers 404 for a conversation the fake does not hold. Callers hold s.mu.
func (s *Server) known(w http.ResponseWriter, id string) bool {
	if _, ok := s.data.convs.get(id); !ok {
		notFound(w, "conversation", id)
		return false
	}
	return true
}

// GET /api/v2/conversations/{id}/summaries.
// Model: platformclientv2.Conversationsummariesgetresponse.
func (s *Server) handleSummaries(w http.ResponseWriter, r *http.Request, id string) {
	part := func(text string) map[string]any {
		if text == "" {
			return nil
		}
		return map[string]any{"text": text, "confidence": 0.8}
	}
	out := []map[string]any{}
	for i, sm := range s.content(id).summaries {
		m := map[string]any{"id": nameUUID(id + ":summary:" + strconv.Itoa(i)), "text": sm.Text, "confidence": 0.9,
			"status": def(sm.Status, "Complete"), "mediaType": def(sm.MediaType, "Call"), "language": "en-us",
			"dateCreated": isoTime(sm.Created), "conversation": map[string]any{"id": id}}
		if sm.EditedText != "" {
			m["editedSummary"] = map[string]any{"text": sm.EditedText, "dateModified": isoTime(sm.Created)}
		}
		for k, v := range map[string]string{"reason": sm.Reason, "followup": sm.Followup, "resolution": sm.Resolution} {
			if p := part(v); p != nil {
				m[k] = p
			}
		}
		out = append(out, m)
	}
	writeJSON(w, http.StatusOK, map[string]any{"conversation": map[string]any{"id": id, "selfUri": "/api/v2/conversations/" + id}, "sessionSummaries": out})
}

// GET /api/v2/conversations/{id}/recordingmetadata: metadata only.
// Model: platformclientv2.Recordingmetadata.
func (s *Server) handleRecordingMetadata(w http.ResponseWriter, r *http.Request, id string) {
	out := []map[string]any{}
	for _, rec := range s.content(id).recordings {
		out = append(out, map[string]any{"id": rec.ID, "conversationId": id, "media": def(rec.Media, "audio"),
			"fileState": def(rec.FileState, "AVAILABLE"), "startTime": isoTime(rec.Start), "endTime": isoTime(rec.End),
			"selfUri": "/api/v2/conversations/" + id + "/recordings/" + rec.ID})
	}
	writeJSON(w, http.StatusOK, out)
}

// GET /api/v2/conversations/messages/{id}: the message ids per participant.
// Model: platformclientv2.Messageconversation (Messagemediaparticipant, Messagedetails).
func (s *Server) handleMessageConversation(w http.ResponseWriter, r *http.Request, id string) {
	details := map[string][]map[string]any{}
	for _, m := range s.content(id).messages {
		side := "customer"
		if m.Direction == "outbound" {
			side = "agent"
		}
		details[side] = append(details[side], map[string]any{"messageId": m.ID, "messageStatus": "delivered", "messageSegmentCount": 1,
			"messageTime": isoTime(m.Time), "messageURI": "/api/v2/conversations/messages/" + id + "/messages/" + m.ID})
	}
	parts := []map[string]any{}
	for _, side := range []string{"customer", "agent"} {
		parts = append(parts, map[string]any{"id": nameUUID(id + ":" + side), "purpose": side, "state": "connected", "messages": details[side]})
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "participants": parts, "selfUri": "/api/v2/conversations/messages/" + id})
}

// POST /api/v2/conversations/messages/{id}/messages/bulk with the message
// ids. Model: platformclientv2.Textmessagelisting (Messagedata).
func (s *Server) handleMessagesBulk(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conversationId")
	var ids []string
	if !decodeJSON(w, r, &ids) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.known(w, id) {
		return
	}
	out := []map[string]any{}
	for _, m := range s.content(id).messages {
		if !slices.Contains(ids, m.ID) {
			continue
		}
		out = append(out, map[string]any{"id": m.ID, "timestamp": isoTime(m.Time), "fromAddress": m.From, "toAddress": m.To,
			"direction": m.Direction, "messengerType": def(m.MessengerType, "webmessaging"), "textBody": m.Text, "status": "delivered",
			"conversationId": id, "selfUri": "/api/v2/conversations/messages/" + id + "/messages/" + m.ID})
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": out})
}

func emailWire(id string, e EmailMessage, body bool) map[string]any {
	m := map[string]any{"id": e.ID, "from": map[string]any{"email": e.From}, "to": []map[string]any{{"email": e.To}},
		"subject": e.Subject, "time": isoTime(e.Time), "historyIncluded": false, "state": "Sent",
		"selfUri": "/api/v2/conversations/emails/" + id + "/messages/" + e.ID}
	if body {
		m["textBody"] = e.Text
	} else {
		m["textBodyPreview"] = clipRunes(e.Text, 100)
	}
	return m
}

// GET /api/v2/conversations/emails/{id}/messages: previews.
// Model: platformclientv2.Emailmessagepreviewlisting (Emailmessagepreview).
func (s *Server) handleEmailMessages(w http.ResponseWriter, r *http.Request, id string) {
	out := []map[string]any{}
	for _, e := range s.content(id).emails {
		out = append(out, emailWire(id, e, false))
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": out, "pageSize": len(out), "pageNumber": 1, "total": len(out), "pageCount": 1})
}

// GET /api/v2/conversations/emails/{id}/messages/{messageId}: one e-mail
// with its body. Model: platformclientv2.Emailmessage.
func (s *Server) handleEmailMessage(w http.ResponseWriter, r *http.Request, id string) {
	mid := r.PathValue("messageId")
	for _, e := range s.content(id).emails {
		if e.ID == mid {
			writeJSON(w, http.StatusOK, emailWire(id, e, true))
			return
		}
	}
	notFound(w, "email message", mid)
}

func def(v, d string) string {
	if v == "" {
		return d
	}
	return v
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
