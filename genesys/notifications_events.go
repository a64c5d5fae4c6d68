package genesys

import (
	"encoding/json"
	"strings"
	"time"
)

// Notification is one message on a channel's WebSocket: the topic, and the
// event body whose shape the topic decides.
type Notification struct {
	TopicName string          `json:"topicName"`
	Version   string          `json:"version,omitempty"`
	EventBody json.RawMessage `json:"eventBody"`
	Metadata  struct {
		CorrelationID string `json:"CorrelationId,omitempty"`
	} `json:"metadata,omitzero"`
	// Received is when the message was read from the socket.
	Received time.Time `json:"-"`
}

// Topics the notification service sends on every channel.
const (
	// TopicChannelMetadata carries heartbeats and pong answers.
	TopicChannelMetadata = "channel.metadata"
	// TopicSocketClosing warns that the service will close this WebSocket
	// soon (maintenance); the client reconnects before it does.
	// Model: platformclientv2.Systemmessagesystemmessage.
	TopicSocketClosing = "v2.system.socket_closing"
)

// TopicKind names the kind of a topic for metrics: "queue_conversations",
// "user_conversations", "metadata", "system" or "other". It never returns
// the ids inside a topic name.
func TopicKind(topic string) string {
	switch {
	case topic == TopicChannelMetadata:
		return "metadata"
	case strings.HasPrefix(topic, "v2.system."):
		return "system"
	case strings.HasPrefix(topic, "v2.routing.queues.") && strings.HasSuffix(topic, ".conversations"):
		return "queue_conversations"
	case strings.HasPrefix(topic, "v2.users.") && strings.HasSuffix(topic, ".conversations"):
		return "user_conversations"
	}
	return "other"
}

// IsConversationTopic: the topic carries ConversationEvent bodies.
func IsConversationTopic(topic string) bool {
	k := TopicKind(topic)
	return k == "queue_conversations" || k == "user_conversations"
}

// SystemMessage is the body of v2.system.* topics.
// Model: platformclientv2.Systemmessagesystemmessage.
type SystemMessage struct {
	ChannelID       string `json:"channelId,omitempty"`
	SystemTopicType string `json:"systemTopicType,omitempty"`
	CorrelationID   string `json:"correlationId,omitempty"`
	OrganizationID  string `json:"organizationId,omitempty"`
	UserID          string `json:"userId,omitempty"`
	OAuthClientID   string `json:"oauthClientId,omitempty"`
	Reason          string `json:"reason,omitempty"`
	Message         string `json:"message,omitempty"`
}

// ConversationEvent is the body of v2.routing.queues.{id}.conversations and
// v2.users.{id}.conversations: the whole conversation as it stands after
// the change, not a delta.
// Model: platformclientv2.Queueconversationeventtopicconversation and
// platformclientv2.Conversationeventtopicconversation (same fields).
// Neither carries the conversation's start or end time, nor queue or
// wrap-up names.
type ConversationEvent struct {
	ID              string             `json:"id"`
	MaxParticipants int                `json:"maxParticipants,omitempty"`
	Participants    []EventParticipant `json:"participants,omitempty"`
	RecordingState  string             `json:"recordingState,omitempty"`
	Address         string             `json:"address,omitempty"`
	ExternalTag     string             `json:"externalTag,omitempty"`
}

// EventParticipant is one party of a ConversationEvent.
// Model: platformclientv2.Queueconversationeventtopicparticipant.
type EventParticipant struct {
	ID                     string            `json:"id"`
	ConnectedTime          time.Time         `json:"connectedTime,omitzero"`
	EndTime                time.Time         `json:"endTime,omitzero"`
	UserID                 string            `json:"userId,omitempty"`
	ExternalContactID      string            `json:"externalContactId,omitempty"`
	ExternalOrganizationID string            `json:"externalOrganizationId,omitempty"`
	Name                   string            `json:"name,omitempty"`
	QueueID                string            `json:"queueId,omitempty"`
	GroupID                string            `json:"groupId,omitempty"`
	TeamID                 string            `json:"teamId,omitempty"`
	Purpose                string            `json:"purpose,omitempty"`
	Address                string            `json:"address,omitempty"`
	WrapupRequired         bool              `json:"wrapupRequired,omitempty"`
	WrapupExpected         bool              `json:"wrapupExpected,omitempty"`
	WrapupPrompt           string            `json:"wrapupPrompt,omitempty"`
	Wrapup                 *EventWrapup      `json:"wrapup,omitempty"`
	StartAcwTime           time.Time         `json:"startAcwTime,omitzero"`
	EndAcwTime             time.Time         `json:"endAcwTime,omitzero"`
	Attributes             map[string]string `json:"attributes,omitempty"`
	Calls                  []EventMedia      `json:"calls,omitempty"`
	Callbacks              []EventMedia      `json:"callbacks,omitempty"`
	Chats                  []EventMedia      `json:"chats,omitempty"`
	Emails                 []EventMedia      `json:"emails,omitempty"`
	Messages               []EventMedia      `json:"messages,omitempty"`
}

// EventWrapup is a participant's or a leg's wrap-up.
// Model: platformclientv2.Queueconversationeventtopicwrapup.
type EventWrapup struct {
	Code            string    `json:"code,omitempty"`
	Notes           string    `json:"notes,omitempty"`
	Tags            []string  `json:"tags,omitempty"`
	DurationSeconds int       `json:"durationSeconds,omitempty"`
	EndTime         time.Time `json:"endTime,omitzero"`
}

// EventAfterCallWork is the after-call-work phase of a leg.
// Model: platformclientv2.Queueconversationeventtopicaftercallwork.
type EventAfterCallWork struct {
	State     string    `json:"state,omitempty"` // unknown, skipped, pending, complete, notApplicable
	StartTime time.Time `json:"startTime,omitzero"`
	EndTime   time.Time `json:"endTime,omitzero"`
}

// EventMedia is one call, callback, chat, email or message leg; the fields
// the connector reads are common to all of them.
// Model: platformclientv2.Queueconversationeventtopiccall (and ...chat,
// ...email, ...message, ...callback).
type EventMedia struct {
	ID                    string              `json:"id"`
	State                 string              `json:"state,omitempty"`
	InitialState          string              `json:"initialState,omitempty"`
	Direction             string              `json:"direction,omitempty"`
	DisconnectType        string              `json:"disconnectType,omitempty"`
	ConnectedTime         time.Time           `json:"connectedTime,omitzero"`
	DisconnectedTime      time.Time           `json:"disconnectedTime,omitzero"`
	Provider              string              `json:"provider,omitempty"`
	PeerID                string              `json:"peerId,omitempty"`
	Self                  *Address            `json:"self,omitempty"` // Model: Queueconversationeventtopicaddress
	Other                 *Address            `json:"other,omitempty"`
	Wrapup                *EventWrapup        `json:"wrapup,omitempty"`
	AfterCallWork         *EventAfterCallWork `json:"afterCallWork,omitempty"`
	AfterCallWorkRequired bool                `json:"afterCallWorkRequired,omitempty"`
}

// Conversation renders the event as a Conversation, so code that reads a
// GET /conversations/{id} answer can read an event too. The event has no
// start or end time: StartTime is the earliest time a participant
// connected, and EndTime the latest participant end once every participant
// has ended (zero before). Names (queue, wrap-up) are absent.
func (e *ConversationEvent) Conversation() *Conversation {
	c := &Conversation{ID: e.ID, Address: e.Address, ExternalTag: e.ExternalTag, MaxParticipants: e.MaxParticipants,
		RecordingState: e.RecordingState, Participants: make([]Participant, 0, len(e.Participants))}
	allEnded := len(e.Participants) > 0
	var end time.Time
	for i := range e.Participants {
		ep := &e.Participants[i]
		p := Participant{ID: ep.ID, Name: ep.Name, Purpose: ep.Purpose, Address: ep.Address, UserID: ep.UserID,
			QueueID: ep.QueueID, GroupID: ep.GroupID, TeamID: ep.TeamID, ExternalContactID: ep.ExternalContactID,
			ExternalOrganizationID: ep.ExternalOrganizationID, ConnectedTime: ep.ConnectedTime, EndTime: ep.EndTime,
			StartTime: ep.ConnectedTime, Attributes: ep.Attributes, WrapupRequired: ep.WrapupRequired,
			WrapupPrompt: ep.WrapupPrompt, Wrapup: ep.Wrapup.wrapup()}
		if ep.UserID != "" {
			p.UserURI = "/api/v2/users/" + ep.UserID
		}
		for _, m := range ep.Calls {
			call := Call{ID: m.ID, State: m.State, InitialState: m.InitialState, Direction: m.Direction,
				DisconnectType: m.DisconnectType, ConnectedTime: m.ConnectedTime, DisconnectedTime: m.DisconnectedTime,
				Provider: m.Provider, PeerID: m.PeerID, Self: m.Self, Other: m.Other, Wrapup: m.Wrapup.wrapup()}
			c.earliest(m.ConnectedTime, &p)
			p.Calls = append(p.Calls, call)
		}
		p.Callbacks = mediaSessions(ep.Callbacks, c, &p)
		p.Chats = mediaSessions(ep.Chats, c, &p)
		p.Emails = mediaSessions(ep.Emails, c, &p)
		p.Messages = mediaSessions(ep.Messages, c, &p)
		// The customer's own address is its number (ANI) and the other end
		// the number it called (DNIS), as GET /conversations shows them.
		if len(ep.Calls) > 0 {
			if self := ep.Calls[0].Self; self != nil {
				p.Ani = self.AddressNormalized
			}
			if other := ep.Calls[0].Other; other != nil {
				p.Dnis = other.AddressNormalized
			}
		}
		if p.Ani == "" && (p.Purpose == "customer" || p.Purpose == "external") {
			p.Ani = ep.Address
		}
		c.earliest(ep.ConnectedTime, &p)
		if ep.EndTime.IsZero() {
			allEnded = false
		} else if ep.EndTime.After(end) {
			end = ep.EndTime
		}
		c.Participants = append(c.Participants, p)
	}
	if allEnded {
		c.EndTime = end
	}
	return c
}

// earliest moves the conversation's (and the participant's) start back to t.
func (c *Conversation) earliest(t time.Time, p *Participant) {
	if t.IsZero() {
		return
	}
	if c.StartTime.IsZero() || t.Before(c.StartTime) {
		c.StartTime = t
	}
	if p.StartTime.IsZero() || t.Before(p.StartTime) {
		p.StartTime = t
	}
}

func mediaSessions(ms []EventMedia, c *Conversation, p *Participant) []MediaSession {
	var out []MediaSession
	for _, m := range ms {
		out = append(out, MediaSession{ID: m.ID, State: m.State, Direction: m.Direction, DisconnectType: m.DisconnectType,
			ConnectedTime: m.ConnectedTime, DisconnectedTime: m.DisconnectedTime, Provider: m.Provider, Wrapup: m.Wrapup.wrapup()})
		c.earliest(m.ConnectedTime, p)
	}
	return out
}

func (w *EventWrapup) wrapup() *Wrapup {
	if w == nil {
		return nil
	}
	return &Wrapup{Code: w.Code, Notes: w.Notes, Tags: w.Tags, DurationSeconds: w.DurationSeconds, EndTime: w.EndTime}
}
