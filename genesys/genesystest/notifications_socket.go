package genesystest

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// NotificationFaults break the notification sockets on demand.
type NotificationFaults struct {
	// DropEvents loses every conversation event (heartbeats still flow):
	// the silent gap a backfill must close.
	DropEvents bool
	// Delay holds each event this long before it is sent (order is kept).
	Delay time.Duration
	// Silent stops heartbeats and events while keeping the sockets open, so
	// only a client watching heartbeats notices.
	Silent bool
}

// SetNotificationFaults replaces the socket faults (zero value: none).
func (s *Server) SetNotificationFaults(f NotificationFaults) {
	s.notes.mu.Lock()
	s.notes.faults = f
	s.notes.mu.Unlock()
}

// DropSockets closes every notification WebSocket at once, without a close
// message, as a network failure would. Channels stay.
func (s *Server) DropSockets() {
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range n.channels.list() {
		if c.sock != nil {
			c.sock.close()
			c.sock = nil
		}
	}
}

// SocketClosing sends v2.system.socket_closing on every open socket and
// closes each one after grace unless the client has replaced it by then.
func (s *Server) SocketClosing(grace time.Duration) {
	n := s.notes
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, c := range n.channels.list() {
		if c.sock == nil {
			continue
		}
		body, _ := json.Marshal(map[string]any{"channelId": c.id, "systemTopicType": "socket_closing",
			"message": "The socket will be closed soon; reconnect"})
		c.sock.send(envelope("v2.system.socket_closing", body), 0)
		k := c.sock
		time.AfterFunc(grace, k.close)
	}
}

// fakeSocket is one WebSocket of a channel. It is registered before the
// handshake completes, so no event emitted after the client's dial returns
// is lost; a writer goroutine sends its queue in order, each message after
// its due time, and the heartbeats. Only the handler touches the conn.
type fakeSocket struct {
	out  chan queued
	done chan struct{}
	once sync.Once
}

type queued struct {
	data []byte
	due  time.Time
}

// close ends the socket abruptly (the handler closes the connection).
func (k *fakeSocket) close() { k.once.Do(func() { close(k.done) }) }

// send queues a message; a client too slow to keep up is cut off, as the
// platform would.
func (k *fakeSocket) send(data []byte, delay time.Duration) {
	select {
	case k.out <- queued{data: data, due: time.Now().Add(delay)}:
	default:
		k.close()
	}
}

func envelope(topic string, body []byte) []byte {
	b, _ := json.Marshal(map[string]any{"topicName": topic, "version": "2", "eventBody": json.RawMessage(body),
		"metadata": map[string]string{"CorrelationId": newUUID()}})
	return b
}

// GET /streaming/channels/{channelId}: the channel's WebSocket. A second
// connection replaces the first (one socket per channel).
func (s *Server) handleStreaming(w http.ResponseWriter, r *http.Request) {
	n := s.notes
	id := r.PathValue("channelId")
	k := &fakeSocket{out: make(chan queued, 4096), done: make(chan struct{})}
	n.mu.Lock()
	c, ok := n.channels.get(id)
	if ok {
		if c.sock != nil {
			c.sock.close()
		}
		c.sock = k
		c.lastUsed = s.now()
	}
	beat := n.heartbeat
	n.mu.Unlock()
	defer func() {
		n.mu.Lock()
		if c, ok := n.channels.get(id); ok && c.sock == k {
			c.sock = nil
		}
		n.mu.Unlock()
		k.close()
	}()
	if !ok {
		notFound(w, "channel", id)
		return
	}
	conn, err := websocket.Accept(w, r, nil)
	if err != nil {
		return
	}
	defer conn.CloseNow()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	go func() { // reader: answers pings, notices the client leaving
		defer cancel()
		for {
			_, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			var m struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(data, &m) == nil && m.Message == "ping" {
				k.send(envelope("channel.metadata", []byte(`{"message":"pong"}`)), 0)
			}
		}
	}()
	tick := time.NewTicker(beat)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-k.done:
			return
		case <-n.stopped:
			return
		case <-tick.C:
			n.mu.Lock()
			silent := n.faults.Silent
			n.mu.Unlock()
			if !silent {
				k.send(envelope("channel.metadata", []byte(`{"message":"WebSocket Heartbeat"}`)), 0)
			}
		case q := <-k.out:
			if d := time.Until(q.due); d > 0 {
				t := time.NewTimer(d)
				select {
				case <-t.C:
				case <-k.done:
					t.Stop()
					return
				}
			}
			wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
			err := conn.Write(wctx, websocket.MessageText, q.data)
			wcancel()
			if err != nil {
				return
			}
		}
	}
}

// conversationChanged emits the conversation's event on every channel
// subscribed to one of its topics: its queues and its users. The caller
// holds s.mu; this is the store's only hook.
func (s *Server) conversationChanged(c *Conversation) {
	n := s.notes
	var topics []string
	seen := map[string]bool{}
	for _, p := range c.Participants {
		for _, t := range []string{queueTopic(p.QueueID), userTopic(p.UserID)} {
			if t != "" && !seen[t] {
				seen[t] = true
				topics = append(topics, t)
			}
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.channels.order) == 0 || n.faults.DropEvents || n.faults.Silent {
		return
	}
	var body []byte
	for _, ch := range n.channels.list() {
		if ch.sock == nil {
			continue
		}
		for _, t := range topics {
			if !containsString(ch.topics, t) {
				continue
			}
			if body == nil {
				body, _ = json.Marshal(s.conversationEvent(c))
			}
			ch.sock.send(envelope(t, body), n.faults.Delay)
		}
	}
}

func queueTopic(id string) string {
	if id == "" {
		return ""
	}
	return "v2.routing.queues." + id + ".conversations"
}

func userTopic(id string) string {
	if id == "" {
		return ""
	}
	return "v2.users." + id + ".conversations"
}
