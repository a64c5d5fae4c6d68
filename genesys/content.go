package genesys

import (
	"context"
	"net/http"
	"time"
)

// What a digital conversation said, and whether it was recorded
// (docs/upstreams.md, "Interaction content").

// MessageConversation is GET /api/v2/conversations/messages/{id}: the
// participants of a messaging conversation with the ids of their messages.
// Model: platformclientv2.Messageconversation.
type MessageConversation struct {
	ID           string               `json:"id"`
	Participants []MessageParticipant `json:"participants,omitempty"`
}

// MessageParticipant is one side. Model: platformclientv2.Messagemediaparticipant.
type MessageParticipant struct {
	ID       string           `json:"id"`
	Name     string           `json:"name,omitempty"`
	Purpose  string           `json:"purpose,omitempty"`
	Messages []MessageDetails `json:"messages,omitempty"`
}

// MessageDetails names one message. Model: platformclientv2.Messagedetails.
type MessageDetails struct {
	MessageID     string    `json:"messageId"`
	MessageStatus string    `json:"messageStatus,omitempty"`
	MessageTime   time.Time `json:"messageTime,omitzero"`
}

// MessageData is one message with its text. Model: platformclientv2.Messagedata.
type MessageData struct {
	ID            string    `json:"id"`
	Timestamp     time.Time `json:"timestamp,omitzero"`
	FromAddress   string    `json:"fromAddress,omitempty"`
	ToAddress     string    `json:"toAddress,omitempty"`
	Direction     string    `json:"direction,omitempty"` // inbound (from the customer), outbound
	MessengerType string    `json:"messengerType,omitempty"`
	TextBody      string    `json:"textBody,omitempty"`
	Status        string    `json:"status,omitempty"`
}

// EmailMessage is one e-mail of an e-mail conversation; the listing carries
// TextBodyPreview only, one message its TextBody.
// Models: platformclientv2.Emailmessagepreview, Emailmessage, Emailaddress.
type EmailMessage struct {
	ID              string         `json:"id"`
	From            *EmailAddress  `json:"from,omitempty"`
	To              []EmailAddress `json:"to,omitempty"`
	Subject         string         `json:"subject,omitempty"`
	TextBody        string         `json:"textBody,omitempty"`
	TextBodyPreview string         `json:"textBodyPreview,omitempty"`
	Time            time.Time      `json:"time,omitzero"`
}

// EmailAddress is an address with its display name.
type EmailAddress struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
}

// RecordingMetadata is one recording of a conversation, without media.
// Model: platformclientv2.Recordingmetadata.
type RecordingMetadata struct {
	ID             string `json:"id"`
	ConversationID string `json:"conversationId,omitempty"`
	Media          string `json:"media,omitempty"` // audio, chat, email, message
	FileState      string `json:"fileState,omitempty"`
	StartTime      string `json:"startTime,omitempty"`
	EndTime        string `json:"endTime,omitempty"`
}

// MessageConversation returns the participants and message ids of a
// messaging conversation.
func (s *ConversationsService) MessageConversation(ctx context.Context, conversationID string) (*MessageConversation, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	var out MessageConversation
	if err := s.client.do(ctx, get("conversations", "/api/v2/conversations/messages/{id}", "/api/v2/conversations/messages/"+cid, nil), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Messages returns the messages named (at most 100 per call, the caller
// splits). A read despite the POST, so it is retried like one.
func (s *ConversationsService) Messages(ctx context.Context, conversationID string, messageIDs []string) ([]MessageData, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	var out struct {
		Entities []MessageData `json:"entities"` // Model: platformclientv2.Textmessagelisting
	}
	r := &request{method: http.MethodPost, area: "conversations", route: "/api/v2/conversations/messages/{id}/messages/bulk",
		path: "/api/v2/conversations/messages/" + cid + "/messages/bulk", body: messageIDs, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return out.Entities, nil
}

// EmailMessages lists the e-mails of an e-mail conversation (previews).
func (s *ConversationsService) EmailMessages(ctx context.Context, conversationID string) ([]EmailMessage, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	var out struct {
		Entities []EmailMessage `json:"entities"` // Model: platformclientv2.Emailmessagepreviewlisting
	}
	if err := s.client.do(ctx, get("conversations", "/api/v2/conversations/emails/{id}/messages", "/api/v2/conversations/emails/"+cid+"/messages", nil), &out); err != nil {
		return nil, err
	}
	return out.Entities, nil
}

// EmailMessage returns one e-mail with its text body.
func (s *ConversationsService) EmailMessage(ctx context.Context, conversationID, messageID string) (*EmailMessage, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	mid, err := pathID("message id", messageID)
	if err != nil {
		return nil, err
	}
	var out EmailMessage
	if err := s.client.do(ctx, get("conversations", "/api/v2/conversations/emails/{id}/messages/{messageId}",
		"/api/v2/conversations/emails/"+cid+"/messages/"+mid, nil), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// RecordingMetadata lists a conversation's recordings (metadata only: no
// media, no download link).
func (s *ConversationsService) RecordingMetadata(ctx context.Context, conversationID string) ([]RecordingMetadata, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	var out []RecordingMetadata
	if err := s.client.do(ctx, get("recordings", "/api/v2/conversations/{id}/recordingmetadata", "/api/v2/conversations/"+cid+"/recordingmetadata", nil), &out); err != nil {
		return nil, err
	}
	return out, nil
}
