package genesys

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzNotificationEvent: any WebSocket message decodes as the socket reader
// does (a notification with a topic, or skipped), a conversation event body
// renders as a Conversation without panicking, and what it renders holds:
// one participant per event participant, a start no later than any
// participant's connect, an end only when every participant has ended, and
// a topic kind that never repeats an id from the topic.
func FuzzNotificationEvent(f *testing.F) {
	for _, s := range []string{
		`{"topicName":"channel.metadata","eventBody":{"message":"WebSocket Heartbeat"}}`,
		`{"topicName":"v2.system.socket_closing","eventBody":{"message":"closing","reason":"maintenance"}}`,
		`{"topicName":"v2.routing.queues.q-1.conversations","eventBody":{"id":"c1","participants":[{"id":"p1","purpose":"customer","address":"tel:+15551234567","connectedTime":"2026-05-01T09:00:00.000Z","calls":[{"id":"m1","state":"connected","self":{"addressNormalized":"+15551234567"},"other":{"addressNormalized":"+15550001111"}}]},{"id":"p2","purpose":"agent","userId":"u1","connectedTime":"2026-05-01T09:00:05Z","endTime":"2026-05-01T09:05:00Z","wrapup":{"code":"w1","notes":"n"}}]}}`,
		`{"topicName":"v2.users.u-1.conversations","eventBody":{"id":"c2","participants":[{"endTime":"2026-05-01T09:05:00Z","messages":[{"id":"m","connectedTime":"2026-05-01T08:00:00Z"}]}]}}`,
		`{"topicName":"v2.users.u-1.conversations","eventBody":{"id":"c3","participants":[{"connectedTime":"not a time"}]}}`,
		`{"topicName":"","eventBody":null}`, `{}`, `[]`, `null`, `{"topicName":7}`,
		`{"topicName":"v2.routing.queues.x.conversations","eventBody":"text"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n Notification
		if err := json.Unmarshal(data, &n); err != nil || n.TopicName == "" {
			return // the reader skips it
		}
		kind := TopicKind(n.TopicName)
		switch kind {
		case "metadata", "system", "other":
		case "queue_conversations", "user_conversations":
			if !IsConversationTopic(n.TopicName) {
				t.Fatalf("%q: kind %s but not a conversation topic", n.TopicName, kind)
			}
		default:
			t.Fatalf("%q: unknown kind %q", n.TopicName, kind)
		}
		if !IsConversationTopic(n.TopicName) {
			return
		}
		var ev ConversationEvent
		if json.Unmarshal(n.EventBody, &ev) != nil {
			return // the consumer logs and skips a body it cannot read
		}
		c := ev.Conversation()
		if c.ID != ev.ID || len(c.Participants) != len(ev.Participants) {
			t.Fatalf("conversation %q with %d participants from event %q with %d", c.ID, len(c.Participants), ev.ID, len(ev.Participants))
		}
		allEnded := len(ev.Participants) > 0
		for i, ep := range ev.Participants {
			p := c.Participants[i]
			if !ep.ConnectedTime.IsZero() && (c.StartTime.IsZero() || c.StartTime.After(ep.ConnectedTime)) {
				t.Fatalf("start %v after participant %d connected at %v", c.StartTime, i, ep.ConnectedTime)
			}
			if ep.UserID != "" && !strings.HasSuffix(p.UserURI, "/"+ep.UserID) {
				t.Fatalf("participant %d: user uri %q for user %q", i, p.UserURI, ep.UserID)
			}
			if ep.EndTime.IsZero() {
				allEnded = false
			}
		}
		if c.EndTime.IsZero() == allEnded {
			t.Fatalf("end %v with every participant ended = %v", c.EndTime, allEnded)
		}
	})
}
