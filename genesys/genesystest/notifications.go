package genesystest

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Notifications API limits the fake enforces, as the platform does
// (developer.genesys.cloud "Notifications"): 1,000 topics per channel and
// 20 channels per user+app, the 21st evicting the oldest (unconnected ones
// first). A channel lives DefaultChannelTTL.
const (
	DefaultChannelTTL        = 24 * time.Hour
	DefaultHeartbeatInterval = 30 * time.Second
	maxChannelTopics         = 1000
	maxChannelsPerOwner      = 20
)

// notifier is the fake's notification service. Its lock nests inside
// Server.mu (events are rendered under Server.mu), never around it.
type notifier struct {
	mu        sync.Mutex
	ttl       time.Duration
	heartbeat time.Duration
	faults    NotificationFaults
	channels  ordered[fakeChannel]
	created   int
	// topicPerms: each topic pattern's requiresPermissions (availabletopics).
	topicPerms map[string][]string
	stopped    chan struct{} // closed by Server.Close
	stopOnce   sync.Once
}

type fakeChannel struct {
	id       string
	owner    string // client id, or user id for user tokens
	created  time.Time
	expires  time.Time
	lastUsed time.Time
	topics   []string
	sock     *fakeSocket
	expiry   *time.Timer
}

// NotificationChannel is a channel as tests see it.
type NotificationChannel struct {
	ID        string
	Owner     string
	Topics    []string
	Connected bool
	Created   time.Time
	Expires   time.Time
}

func newNotifier() *notifier {
	return &notifier{ttl: DefaultChannelTTL, heartbeat: DefaultHeartbeatInterval, channels: newOrdered[fakeChannel](),
		topicPerms: map[string][]string{
			QueueConversationsTopicPattern: {"routing:queue:view", "conversation:communication:view"},
			UserConversationsTopicPattern:  {"conversation:communication:view"},
		},
		stopped: make(chan struct{})}
}

// shutdown closes every socket and stops channel expiry timers.
func (n *notifier) shutdown() {
	n.stopOnce.Do(func() { close(n.stopped) })
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range n.channels.list() {
		if c.expiry != nil {
			c.expiry.Stop()
		}
	}
}

// SetChannelTTL sets the life of channels created from now on (default
// 24 h). At its end the channel's socket is closed and the channel is gone.
func (s *Server) SetChannelTTL(d time.Duration) {
	s.notes.mu.Lock()
	s.notes.ttl = d
	s.notes.mu.Unlock()
}

// SetHeartbeatInterval sets how often open sockets get a channel.metadata
// heartbeat (default 30 s), for sockets opened from now on.
func (s *Server) SetHeartbeatInterval(d time.Duration) {
	s.notes.mu.Lock()
	s.notes.heartbeat = d
	s.notes.mu.Unlock()
}

// NotificationChannels lists the live channels, oldest first.
func (s *Server) NotificationChannels() []NotificationChannel {
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []NotificationChannel
	for _, c := range n.channels.list() {
		out = append(out, NotificationChannel{ID: c.id, Owner: c.owner, Topics: slices.Clone(c.topics),
			Connected: c.sock != nil, Created: c.created, Expires: c.expires})
	}
	return out
}

// ChannelsCreated counts every channel ever created.
func (s *Server) ChannelsCreated() int {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	return s.notes.created
}

// ExpireChannel ends a channel now, as its 24 h life would.
func (s *Server) ExpireChannel(id string) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	s.notes.remove(id)
}

// remove deletes a channel and closes its socket; the caller holds n.mu.
func (n *notifier) remove(id string) {
	c, ok := n.channels.get(id)
	if !ok {
		return
	}
	if c.expiry != nil {
		c.expiry.Stop()
	}
	if c.sock != nil {
		c.sock.close()
	}
	n.channels.del(id)
}

func channelOwner(t *token) string {
	if t.userID != "" {
		return "user:" + t.userID
	}
	return "client:" + t.clientID
}

type wireChannel struct {
	ConnectURI string `json:"connectUri"`
	ID         string `json:"id"`
	Expires    string `json:"expires"`
}

type wireChannelTopic struct {
	ID      string `json:"id"`
	State   string `json:"state,omitempty"`
	SelfURI string `json:"selfUri,omitempty"`
}

func (s *Server) addNotificationRoutes(rt *router) {
	rt.add(http.MethodPost, "/api/v2/notifications/channels", s.handleCreateChannel, true)
	rt.add(http.MethodGet, "/api/v2/notifications/channels", s.handleListChannels, true)
	rt.add(http.MethodHead, "/api/v2/notifications/channels/{channelId}", s.handleHeadChannel, true)
	rt.add(http.MethodGet, "/api/v2/notifications/channels/{channelId}/subscriptions", s.handleGetSubscriptions, true)
	rt.add(http.MethodPut, "/api/v2/notifications/channels/{channelId}/subscriptions", s.handleSubscribe, true)
	rt.add(http.MethodPost, "/api/v2/notifications/channels/{channelId}/subscriptions", s.handleSubscribe, true)
	rt.add(http.MethodDelete, "/api/v2/notifications/channels/{channelId}/subscriptions", s.handleDeleteSubscriptions, true)
	rt.add(http.MethodGet, "/api/v2/notifications/availabletopics", s.handleAvailableTopics, true)
	// The WebSocket (on the streaming host in Genesys; here the same host).
	rt.add(http.MethodGet, "/streaming/channels/{channelId}", s.handleStreaming, false)
}

// POST /api/v2/notifications/channels.
func (s *Server) handleCreateChannel(w http.ResponseWriter, r *http.Request) {
	owner := channelOwner(tokenFrom(r))
	now := s.now()
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	// The 21st channel evicts the oldest, unconnected ones first.
	var mine []*fakeChannel
	for _, c := range n.channels.list() {
		if c.owner == owner {
			mine = append(mine, c)
		}
	}
	if len(mine) >= maxChannelsPerOwner {
		victim := mine[0]
		for _, c := range mine {
			if c.sock == nil && (victim.sock != nil || c.lastUsed.Before(victim.lastUsed)) {
				victim = c
			}
		}
		n.remove(victim.id)
	}
	c := &fakeChannel{id: newUUID(), owner: owner, created: now, expires: now.Add(n.ttl), lastUsed: now}
	id := c.id
	c.expiry = time.AfterFunc(n.ttl, func() { s.ExpireChannel(id) })
	n.channels.put(c.id, c)
	n.created++
	writeJSON(w, http.StatusOK, s.channelWire(r, c))
}

func (s *Server) channelWire(r *http.Request, c *fakeChannel) wireChannel {
	scheme := "ws://"
	if r.TLS != nil {
		scheme = "wss://"
	}
	return wireChannel{ID: c.id, ConnectURI: scheme + r.Host + "/streaming/channels/" + c.id, Expires: isoTime(c.expires)}
}

// GET /api/v2/notifications/channels?includechannels=token|oauthclient.
func (s *Server) handleListChannels(w http.ResponseWriter, r *http.Request) {
	tok := tokenFrom(r)
	owner := channelOwner(tok)
	switch v := r.URL.Query().Get("includechannels"); v {
	case "", "token", "oauthclient":
	default:
		badRequest(w, "includechannels must be token or oauthclient, not "+v)
		return
	}
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	out := []wireChannel{}
	for _, c := range n.channels.list() {
		if c.owner == owner {
			out = append(out, s.channelWire(r, c))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": out})
}

// channelFor finds the caller's channel; the caller holds n.mu.
func (s *Server) channelFor(w http.ResponseWriter, r *http.Request) (*fakeChannel, bool) {
	id := r.PathValue("channelId")
	c, ok := s.notes.channels.get(id)
	if !ok || c.owner != channelOwner(tokenFrom(r)) {
		notFound(w, "channel", id)
		return nil, false
	}
	return c, true
}

// HEAD /api/v2/notifications/channels/{channelId}.
func (s *Server) handleHeadChannel(w http.ResponseWriter, r *http.Request) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	if _, ok := s.channelFor(w, r); ok {
		w.WriteHeader(http.StatusOK)
	}
}

func topicsWire(c *fakeChannel) map[string]any {
	out := []wireChannelTopic{}
	for _, t := range c.topics {
		out = append(out, wireChannelTopic{ID: t, State: "Permitted"})
	}
	return map[string]any{"entities": out}
}

// GET /api/v2/notifications/channels/{channelId}/subscriptions.
func (s *Server) handleGetSubscriptions(w http.ResponseWriter, r *http.Request) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	if c, ok := s.channelFor(w, r); ok {
		writeJSON(w, http.StatusOK, topicsWire(c))
	}
}

// PUT (replace) and POST (add) /api/v2/notifications/channels/{channelId}/subscriptions.
func (s *Server) handleSubscribe(w http.ResponseWriter, r *http.Request) {
	var body []wireChannelTopic
	if !decodeJSON(w, r, &body) {
		return
	}
	for _, t := range body {
		if !knownTopic(t.ID) {
			badRequest(w, "unknown or unsupported topic "+t.ID+"; see GET /api/v2/notifications/availabletopics")
			return
		}
	}
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	c, ok := s.channelFor(w, r)
	if !ok {
		return
	}
	topics := c.topics
	if r.Method == http.MethodPut {
		topics = nil
	}
	for _, t := range body {
		if !slices.Contains(topics, t.ID) {
			topics = append(topics, t.ID)
		}
	}
	if len(topics) > maxChannelTopics {
		writeError(w, http.StatusBadRequest, "notification.channel.topic.limit",
			"A channel can be subscribed to at most 1000 topics; use another channel for the rest")
		return
	}
	c.topics = topics
	c.lastUsed = s.now()
	writeJSON(w, http.StatusOK, topicsWire(c))
}

// DELETE /api/v2/notifications/channels/{channelId}/subscriptions.
func (s *Server) handleDeleteSubscriptions(w http.ResponseWriter, r *http.Request) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	if c, ok := s.channelFor(w, r); ok {
		c.topics = nil
		w.WriteHeader(http.StatusNoContent)
	}
}

// knownTopic accepts the conversation topics the fake emits.
func knownTopic(t string) bool {
	for _, p := range [][2]string{{"v2.routing.queues.", ".conversations"}, {"v2.users.", ".conversations"}} {
		if strings.HasPrefix(t, p[0]) && strings.HasSuffix(t, p[1]) {
			id := strings.TrimSuffix(strings.TrimPrefix(t, p[0]), p[1])
			return id != "" && !strings.Contains(id, ".")
		}
	}
	return false
}

// The conversation topics the fake emits, as availabletopics names them.
const (
	QueueConversationsTopicPattern = "v2.routing.queues.{id}.conversations"
	UserConversationsTopicPattern  = "v2.users.{id}.conversations"
)

// SetTopicPermissions sets what availabletopics says topic (a pattern such
// as QueueConversationsTopicPattern) requires (requiresPermissions).
func (s *Server) SetTopicPermissions(topic string, perms ...string) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	s.notes.topicPerms[topic] = slices.Clone(perms)
}

// GET /api/v2/notifications/availabletopics: the topics the fake emits;
// requiresPermissions only when expand names it, as the SDK's expand
// parameter suggests [UNVERIFIED: which fields Genesys sends by default].
func (s *Server) handleAvailableTopics(w http.ResponseWriter, r *http.Request) {
	expand := strings.Join(r.URL.Query()["expand"], ",")
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	topic := func(id, desc string) map[string]any {
		t := map[string]any{"id": id, "description": desc, "visibility": "Public"}
		if strings.Contains(expand, "requiresPermissions") {
			t["requiresPermissions"] = nonNil(slices.Clone(s.notes.topicPerms[id]))
		}
		return t
	}
	writeJSON(w, http.StatusOK, map[string]any{"entities": []map[string]any{
		topic(QueueConversationsTopicPattern, "Conversations routed through a queue"),
		topic(UserConversationsTopicPattern, "Conversations of a user"),
	}})
}
