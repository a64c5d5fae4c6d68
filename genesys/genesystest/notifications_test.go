package genesystest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestChannelLimitsAsThePlatform(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	var first string
	for i := range maxChannelsPerOwner + 1 {
		r := api(t, s, http.MethodPost, "/api/v2/notifications/channels", tok, nil)
		wantStatus(t, r, http.StatusOK)
		if i == 0 {
			first = r.json(t)["id"].(string)
		}
	}
	chs := s.NotificationChannels()
	if len(chs) != maxChannelsPerOwner || chs[0].ID == first {
		t.Fatalf("after 21 creations: %d channels, oldest %s; want 20 with the first evicted", len(chs), chs[0].ID)
	}
	topics := make([]map[string]string, maxChannelTopics+1)
	for i := range topics {
		topics[i] = map[string]string{"id": fmt.Sprintf("v2.users.u%d.conversations", i)}
	}
	id := chs[0].ID
	wantAPIError(t, api(t, s, http.MethodPut, "/api/v2/notifications/channels/"+id+"/subscriptions", tok, topics), 400, "notification.channel.topic.limit")
	wantStatus(t, api(t, s, http.MethodPut, "/api/v2/notifications/channels/"+id+"/subscriptions", tok, topics[:maxChannelTopics]), 200)
	wantAPIError(t, api(t, s, http.MethodPut, "/api/v2/notifications/channels/"+id+"/subscriptions", tok,
		[]map[string]string{{"id": "v2.nonsense"}}), 400, "bad.request")
	other := s.AddClient(Client{ID: "other", Secret: "x"})
	wantStatus(t, api(t, s, http.MethodGet, "/api/v2/notifications/channels/"+id+"/subscriptions", clientToken(t, s, other.ID, other.Secret), nil), 404)
}

// TestSocketEmitsEventsAndFaults: events in order, delayed, then dropped.
func TestSocketEmitsEventsAndFaults(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	s.AddQueue("q1", "Support")
	ch := api(t, s, http.MethodPost, "/api/v2/notifications/channels", tok, nil).json(t)
	id := ch["id"].(string)
	wantStatus(t, api(t, s, http.MethodPut, "/api/v2/notifications/channels/"+id+"/subscriptions", tok,
		[]map[string]string{{"id": "v2.routing.queues.q1.conversations"}}), 200)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, ch["connectUri"].(string), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	next := func() (string, map[string]any) {
		t.Helper()
		for {
			_, b, err := conn.Read(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var m struct {
				TopicName string         `json:"topicName"`
				EventBody map[string]any `json:"eventBody"`
			}
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatal(err)
			}
			if m.TopicName != "channel.metadata" {
				return m.TopicName, m.EventBody
			}
		}
	}
	s.SetNotificationFaults(NotificationFaults{Delay: 50 * time.Millisecond})
	c := s.ConnectCall(InboundCall{From: "+14155550101", To: "+18005550100", QueueID: "q1", AgentID: "u1"})
	if err := s.DisconnectCall(c.ID); err != nil {
		t.Fatal(err)
	}
	sent := time.Now()
	topic, body := next()
	if topic != "v2.routing.queues.q1.conversations" || body["id"] != c.ID {
		t.Fatalf("first event %s %v", topic, body["id"])
	}
	_, body = next()
	if time.Since(sent) < 40*time.Millisecond {
		t.Fatal("delayed events arrived early")
	}
	ps := body["participants"].([]any)
	agent := ps[2].(map[string]any)
	if agent["endTime"] == nil || agent["calls"].([]any)[0].(map[string]any)["afterCallWork"].(map[string]any)["state"] != "pending" {
		t.Fatalf("after disconnect the agent = %v; want ended and in after-call work", agent)
	}
	s.SetNotificationFaults(NotificationFaults{DropEvents: true})
	if err := s.WrapUpCall(c.ID, "u1", "w1", ""); err != nil {
		t.Fatal(err)
	}
	s.SetNotificationFaults(NotificationFaults{})
	other := s.ConnectCall(InboundCall{From: "+14155550102", To: "+18005550100", QueueID: "q1", AgentID: "u2"})
	if _, body = next(); body["id"] != other.ID {
		t.Fatalf("got event of %v; want the wrap-up event lost and the next call's event", body["id"])
	}
	s.SocketClosing(time.Hour)
	if topic, _ = next(); topic != "v2.system.socket_closing" {
		t.Fatalf("topic %s; want socket_closing", topic)
	}
}
