package genesys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// Limits of the Notifications API (developer.genesys.cloud, "Notifications"):
// a channel lives 24 hours, holds at most 1,000 topics, and one user+app
// (OAuth client) may have 20 channels, the 21st evicting the oldest one.
const (
	ChannelLifetime     = 24 * time.Hour
	MaxTopicsPerChannel = 1000
	MaxChannelsPerApp   = 20
)

// NotificationsService covers /api/v2/notifications: channels and their
// topic subscriptions. The WebSocket side is Listener.
type NotificationsService service

// Notifications returns the notifications service of c. It is a method
// rather than a field so this service stays in files of its own.
func (c *Client) Notifications() *NotificationsService { return (*NotificationsService)(&c.common) }

// Channel is a notification channel.
// Model: platformclientv2.Channel (id, connectUri, expires).
type Channel struct {
	ID string `json:"id"`
	// ConnectURI is the wss:// address of the channel's WebSocket. Anyone
	// holding it can read the events, so it is never logged.
	ConnectURI string    `json:"connectUri,omitempty"`
	Expires    time.Time `json:"expires,omitzero"`
}

// ChannelTopic is one subscription of a channel.
// Model: platformclientv2.Channeltopic (id, state, rejectionReason,
// missingPermissions, selfUri).
type ChannelTopic struct {
	ID                 string   `json:"id"`
	State              string   `json:"state,omitempty"` // e.g. "Permitted", "Rejected"
	RejectionReason    string   `json:"rejectionReason,omitempty"`
	MissingPermissions []string `json:"missingPermissions,omitempty"`
	SelfURI            string   `json:"selfUri,omitempty"`
}

// AvailableTopic is one entry of GET /api/v2/notifications/availabletopics.
// Model: platformclientv2.Availabletopic (id, description, requiresPermissions, ...).
type AvailableTopic struct {
	ID                  string   `json:"id"`
	Description         string   `json:"description,omitempty"`
	RequiresPermissions []string `json:"requiresPermissions,omitempty"`
	Visibility          string   `json:"visibility,omitempty"`
}

// QueueConversationsTopic is the topic of every conversation routed
// through a queue (v2.routing.queues.{id}.conversations).
func QueueConversationsTopic(queueID string) string {
	return "v2.routing.queues." + queueID + ".conversations"
}

// UserConversationsTopic is the topic of every conversation a user takes
// part in (v2.users.{id}.conversations).
func UserConversationsTopic(userID string) string {
	return "v2.users." + userID + ".conversations"
}

// CreateChannel is POST /api/v2/notifications/channels
// (NotificationsApi.PostNotificationsChannels). It is never retried after
// a 5xx: a second channel would count against the 20-channel limit.
func (s *NotificationsService) CreateChannel(ctx context.Context) (*Channel, error) {
	var ch Channel
	r := &request{method: http.MethodPost, area: "notifications", route: "/api/v2/notifications/channels",
		path: "/api/v2/notifications/channels"}
	if err := s.client.do(ctx, r, &ch); err != nil {
		return nil, err
	}
	if ch.ID == "" || ch.ConnectURI == "" {
		return nil, &ResponseError{Status: 200, Method: r.method, Route: r.route, Host: s.client.core.apiHost,
			Err: fmt.Errorf("no channel id or connectUri in the answer")}
	}
	return &ch, nil
}

// ListChannels is GET /api/v2/notifications/channels
// (NotificationsApi.GetNotificationsChannels; Model:
// platformclientv2.Channelentitylisting). With oauthClient it lists every
// channel of the OAuth client, else only those of this token.
func (s *NotificationsService) ListChannels(ctx context.Context, oauthClient bool) ([]Channel, error) {
	q := url.Values{}
	if oauthClient {
		q.Set("includechannels", "oauthclient")
	} else {
		q.Set("includechannels", "token")
	}
	var l struct {
		Entities []Channel `json:"entities"`
	}
	if err := s.client.do(ctx, get("notifications", "/api/v2/notifications/channels", "/api/v2/notifications/channels", q), &l); err != nil {
		return nil, err
	}
	return l.Entities, nil
}

// ChannelExists is HEAD /api/v2/notifications/channels/{id}
// (NotificationsApi.HeadNotificationsChannel): false once it expired or was
// evicted.
func (s *NotificationsService) ChannelExists(ctx context.Context, channelID string) (bool, error) {
	id, err := pathID("channel id", channelID)
	if err != nil {
		return false, err
	}
	r := &request{method: http.MethodHead, area: "notifications", route: "/api/v2/notifications/channels/{id}",
		path: "/api/v2/notifications/channels/" + id, idempotent: true}
	err = s.client.do(ctx, r, nil)
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	}
	return false, err
}

// SetSubscriptions replaces the channel's topics: PUT
// /api/v2/notifications/channels/{id}/subscriptions
// (NotificationsApi.PutNotificationsChannelSubscriptions, body
// []platformclientv2.Channeltopic). The answer lists each topic's state; a
// topic Genesys rejected comes back with State "Rejected" and a reason.
// Replacing with the same set has the same effect, so it is retried.
func (s *NotificationsService) SetSubscriptions(ctx context.Context, channelID string, topics []string) ([]ChannelTopic, error) {
	return s.subscribe(ctx, http.MethodPut, channelID, topics)
}

// AddSubscriptions adds topics: POST
// /api/v2/notifications/channels/{id}/subscriptions
// (NotificationsApi.PostNotificationsChannelSubscriptions).
func (s *NotificationsService) AddSubscriptions(ctx context.Context, channelID string, topics []string) ([]ChannelTopic, error) {
	return s.subscribe(ctx, http.MethodPost, channelID, topics)
}

func (s *NotificationsService) subscribe(ctx context.Context, method, channelID string, topics []string) ([]ChannelTopic, error) {
	id, err := pathID("channel id", channelID)
	if err != nil {
		return nil, err
	}
	if len(topics) > MaxTopicsPerChannel {
		return nil, fmt.Errorf("genesys: %d topics for one notification channel; the limit is %d (Listener splits larger sets over several channels)", len(topics), MaxTopicsPerChannel)
	}
	body := make([]ChannelTopic, len(topics))
	for i, t := range topics {
		body[i] = ChannelTopic{ID: t}
	}
	var l struct {
		Entities []ChannelTopic `json:"entities"` // Model: platformclientv2.Channeltopicentitylisting
	}
	r := &request{method: method, area: "notifications", route: "/api/v2/notifications/channels/{id}/subscriptions",
		path: "/api/v2/notifications/channels/" + id + "/subscriptions", body: body, idempotent: true}
	if err := s.client.do(ctx, r, &l); err != nil {
		return nil, err
	}
	return l.Entities, nil
}

// Subscriptions is GET /api/v2/notifications/channels/{id}/subscriptions
// (NotificationsApi.GetNotificationsChannelSubscriptions).
func (s *NotificationsService) Subscriptions(ctx context.Context, channelID string) ([]ChannelTopic, error) {
	id, err := pathID("channel id", channelID)
	if err != nil {
		return nil, err
	}
	var l struct {
		Entities []ChannelTopic `json:"entities"`
	}
	if err := s.client.do(ctx, get("notifications", "/api/v2/notifications/channels/{id}/subscriptions",
		"/api/v2/notifications/channels/"+id+"/subscriptions", nil), &l); err != nil {
		return nil, err
	}
	return l.Entities, nil
}

// DeleteSubscriptions is DELETE /api/v2/notifications/channels/{id}/subscriptions
// (NotificationsApi.DeleteNotificationsChannelSubscriptions): the channel
// stays, with no topics, so it costs Genesys nothing until it expires.
func (s *NotificationsService) DeleteSubscriptions(ctx context.Context, channelID string) error {
	id, err := pathID("channel id", channelID)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "notifications", route: "/api/v2/notifications/channels/{id}/subscriptions",
		path: "/api/v2/notifications/channels/" + id + "/subscriptions", idempotent: true}
	return s.client.do(ctx, r, nil)
}

// AvailableTopics is GET /api/v2/notifications/availabletopics
// (NotificationsApi.GetNotificationsAvailabletopics; Model:
// platformclientv2.Availabletopicentitylisting), with the fields named in
// expand (e.g. "requiresPermissions": the topic's documented requirement).
func (s *NotificationsService) AvailableTopics(ctx context.Context, expand ...string) ([]AvailableTopic, error) {
	var l struct {
		Entities []AvailableTopic `json:"entities"`
	}
	var q url.Values
	if len(expand) > 0 {
		q = url.Values{"expand": expand}
	}
	if err := s.client.do(ctx, get("notifications", "/api/v2/notifications/availabletopics", "/api/v2/notifications/availabletopics", q), &l); err != nil {
		return nil, err
	}
	return l.Entities, nil
}

func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }
