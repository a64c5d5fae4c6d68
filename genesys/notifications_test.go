package genesys_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
)

const (
	nQueue  = "q1000000-0000-4000-8000-000000000001"
	nQueue2 = "q1000000-0000-4000-8000-000000000002"
	nAnn    = "u1000000-0000-4000-8000-000000000001"
	nBen    = "u1000000-0000-4000-8000-000000000002"
)

func notificationsFake(t *testing.T) (*genesystest.Server, *genesys.Client) {
	t.Helper()
	g := genesystest.NewServerT(t)
	g.AddClient(genesystest.Client{ID: bgID, Secret: bgSecret})
	g.AddUser(genesystest.User{ID: nAnn, Name: "Ann"})
	g.AddUser(genesystest.User{ID: nBen, Name: "Ben"})
	g.AddQueue(nQueue, "Support")
	g.AddQueue(nQueue2, "Sales")
	c, err := genesys.New(genesys.Options{APIURL: g.URL(), LoginURL: g.URL(), ClientID: bgID, ClientSecret: bgSecret,
		Timeout: 5 * time.Second, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	return g, c
}

func TestNotificationsChannelAndSubscriptions(t *testing.T) {
	g, c := notificationsFake(t)
	ctx := context.Background()
	n := c.Notifications()
	ch, err := n.CreateChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(ch.ConnectURI, "ws://") || ch.Expires.Before(time.Now().Add(23*time.Hour)) {
		t.Fatalf("channel = %+v; want a ws:// connectUri and a 24h expiry", ch)
	}
	got, err := n.SetSubscriptions(ctx, ch.ID, []string{genesys.QueueConversationsTopic(nQueue)})
	if err != nil || len(got) != 1 || got[0].State != "Permitted" {
		t.Fatalf("SetSubscriptions = %+v, %v", got, err)
	}
	if _, err := n.AddSubscriptions(ctx, ch.ID, []string{genesys.UserConversationsTopic(nAnn)}); err != nil {
		t.Fatal(err)
	}
	subs, err := n.Subscriptions(ctx, ch.ID)
	if err != nil || len(subs) != 2 {
		t.Fatalf("Subscriptions = %+v, %v; want the queue and the user topic", subs, err)
	}
	if ok, err := n.ChannelExists(ctx, ch.ID); !ok || err != nil {
		t.Fatalf("ChannelExists = %v, %v", ok, err)
	}
	g.ExpireChannel(ch.ID)
	if ok, err := n.ChannelExists(ctx, ch.ID); ok || err != nil {
		t.Fatalf("ChannelExists after expiry = %v, %v; want false", ok, err)
	}
	many := make([]string, genesys.MaxTopicsPerChannel+1)
	for i := range many {
		many[i] = genesys.UserConversationsTopic(fmt.Sprintf("u%d", i))
	}
	if _, err := n.SetSubscriptions(ctx, "any", many); err == nil || !strings.Contains(err.Error(), "1000") {
		t.Fatalf("1001 topics: err = %v; want the limit named", err)
	}
	topics, err := n.AvailableTopics(ctx)
	if err != nil || len(topics) == 0 || topics[0].RequiresPermissions != nil {
		t.Fatalf("AvailableTopics = %v, %v", topics, err)
	}
	// What a topic requires comes with expand=requiresPermissions.
	topics, err = n.AvailableTopics(ctx, "requiresPermissions")
	if err != nil || len(topics) == 0 || len(topics[0].RequiresPermissions) == 0 {
		t.Fatalf("AvailableTopics(requiresPermissions) = %+v, %v", topics, err)
	}
}

// lenv runs a Listener against the fake and reports what it sees.
type lenv struct {
	g        *genesystest.Server
	c        *genesys.Client
	l        *genesys.Listener
	events   chan genesys.Notification
	connects chan genesys.ConnectInfo
	done     chan error
	cancel   context.CancelFunc
}

func startListener(t *testing.T, topics []string, edit func(*genesys.ListenerOptions), prep func(*genesystest.Server, *genesys.Client)) *lenv {
	t.Helper()
	g, c := notificationsFake(t)
	if prep != nil {
		prep(g, c)
	}
	e := &lenv{g: g, c: c, events: make(chan genesys.Notification, 1000), connects: make(chan genesys.ConnectInfo, 100), done: make(chan error, 1)}
	o := genesys.ListenerOptions{
		Handle:       func(_ context.Context, n genesys.Notification) { e.events <- n },
		OnConnected:  func(ci genesys.ConnectInfo) { e.connects <- ci },
		ReconnectMin: 10 * time.Millisecond, ReconnectMax: 100 * time.Millisecond,
	}
	if edit != nil {
		edit(&o)
	}
	l, err := c.Notifications().NewListener(o)
	if err != nil {
		t.Fatal(err)
	}
	e.l = l
	l.SetTopics(topics)
	ctx, cancel := context.WithCancel(context.Background())
	e.cancel = cancel
	go func() { e.done <- l.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-e.done:
		case <-time.After(5 * time.Second):
			t.Error("Listener.Run did not return after cancel")
		}
	})
	return e
}

func (e *lenv) connected(t *testing.T, reason string) genesys.ConnectInfo {
	t.Helper()
	select {
	case ci := <-e.connects:
		if ci.Reason != reason {
			t.Fatalf("connected with reason %q; want %q", ci.Reason, reason)
		}
		return ci
	case err := <-e.done:
		t.Fatalf("listener stopped: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatalf("no %s connection within 5s", reason)
	}
	return genesys.ConnectInfo{}
}

// event waits for the next conversation event of conversation id.
func (e *lenv) event(t *testing.T, id string) (genesys.Notification, *genesys.Conversation) {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		select {
		case n := <-e.events:
			if ev := conversationEvent(t, n); ev.ID == id {
				return n, ev.Conversation()
			}
		case <-deadline:
			t.Fatalf("no event for conversation %s within 5s", id)
		}
	}
}

func conversationEvent(t *testing.T, n genesys.Notification) genesys.ConversationEvent {
	t.Helper()
	var ev genesys.ConversationEvent
	if err := json.Unmarshal(n.EventBody, &ev); err != nil {
		t.Fatalf("event body: %v", err)
	}
	return ev
}

func TestListenerDeliversConversationEvents(t *testing.T) {
	e := startListener(t, []string{genesys.QueueConversationsTopic(nQueue)}, nil, nil)
	e.connected(t, "start")
	conv := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: nQueue, AgentID: nAnn})
	n, c := e.event(t, conv.ID)
	if n.TopicName != genesys.QueueConversationsTopic(nQueue) || genesys.TopicKind(n.TopicName) != "queue_conversations" {
		t.Fatalf("topic = %q", n.TopicName)
	}
	var cust, agent *genesys.Participant
	for i := range c.Participants {
		switch c.Participants[i].Purpose {
		case "customer":
			cust = &c.Participants[i]
		case "agent":
			agent = &c.Participants[i]
		}
	}
	if cust == nil || cust.Ani != "tel:+14155550101" || cust.Dnis != "tel:+18005550100" || agent == nil || agent.UserID != nAnn {
		t.Fatalf("conversation from the event = %+v", c)
	}
	if c.StartTime.IsZero() || !c.EndTime.IsZero() {
		t.Fatalf("start %v end %v; want a start and no end while connected", c.StartTime, c.EndTime)
	}
	if err := e.g.DisconnectCall(conv.ID); err != nil {
		t.Fatal(err)
	}
	_, c = e.event(t, conv.ID)
	if c.EndTime.IsZero() {
		t.Fatal("after disconnect the event's conversation has no end")
	}
	if err := e.g.WrapUpCall(conv.ID, nAnn, "w1", "done"); err != nil {
		t.Fatal(err)
	}
	_, c = e.event(t, conv.ID)
	for _, p := range c.Participants {
		if p.UserID == nAnn && (p.Wrapup == nil || p.Wrapup.Code != "w1" || p.Wrapup.Notes != "done") {
			t.Fatalf("agent wrap-up = %+v", p.Wrapup)
		}
	}
	// A topic added while running is subscribed on the same channel.
	e.l.SetTopics([]string{genesys.QueueConversationsTopic(nQueue), genesys.QueueConversationsTopic(nQueue2)})
	waitFor(t, func() bool {
		chs := e.g.NotificationChannels()
		return len(chs) == 1 && len(chs[0].Topics) == 2
	})
	other := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550102", To: "+18005550100", QueueID: nQueue2, AgentID: nBen})
	e.event(t, other.ID)
	if e.g.ChannelsCreated() != 1 {
		t.Fatalf("channels created = %d; want 1", e.g.ChannelsCreated())
	}
}

// waitFor polls cond (state in the fake, not an event order) until a deadline.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestListenerReconnectsAfterDropAndSocketClosing(t *testing.T) {
	e := startListener(t, []string{genesys.UserConversationsTopic(nAnn)}, nil, nil)
	first := e.connected(t, "start")
	e.g.DropSockets()
	again := e.connected(t, "reconnect")
	if again.ChannelID != first.ChannelID || e.g.ChannelsCreated() != 1 {
		t.Fatalf("reconnect used channel %s (created %d); want the same channel %s", again.ChannelID, e.g.ChannelsCreated(), first.ChannelID)
	}
	e.g.SocketClosing(time.Minute)
	e.connected(t, "socket_closing")
	conv := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: nQueue, AgentID: nAnn})
	n, _ := e.event(t, conv.ID)
	if genesys.TopicKind(n.TopicName) != "user_conversations" {
		t.Fatalf("topic kind = %q", genesys.TopicKind(n.TopicName))
	}
	if st := e.l.Status(); st.Reconnects != 2 || len(st.Channels) != 1 || !st.Channels[0].Connected {
		t.Fatalf("status = %+v; want 2 reconnects and one connected channel", st)
	}
}

func TestListenerReconnectsWhenHeartbeatsStop(t *testing.T) {
	e := startListener(t, []string{genesys.UserConversationsTopic(nAnn)},
		func(o *genesys.ListenerOptions) { o.HeartbeatTimeout = 300 * time.Millisecond },
		func(g *genesystest.Server, _ *genesys.Client) { g.SetHeartbeatInterval(50 * time.Millisecond) })
	e.connected(t, "start")
	e.g.SetNotificationFaults(genesystest.NotificationFaults{Silent: true})
	e.connected(t, "reconnect")
	e.g.SetNotificationFaults(genesystest.NotificationFaults{})
	// The reconnected socket opened while the fake was still silent: when
	// this goroutine is held up past the heartbeat timeout (a loaded machine)
	// the listener rightly reconnects once more, and an event sent meanwhile
	// is lost, as events are not durable (OnConnected is the caller's cue to
	// catch up). A call is placed again only after such a reconnect; with no
	// reconnect, the first call's event must come.
	deadline := time.After(5 * time.Second)
	for attempt := 1; ; attempt++ {
		conv := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: nQueue, AgentID: nAnn})
		if e.eventOrReconnect(t, conv.ID, deadline) {
			return
		}
		if attempt == 3 {
			t.Fatal("the listener reconnected three more times after heartbeats came back")
		}
	}
}

// eventOrReconnect waits for an event of conversation id (true) or for the
// listener to connect again first (false), failing the test at deadline.
func (e *lenv) eventOrReconnect(t *testing.T, id string, deadline <-chan time.Time) bool {
	t.Helper()
	for {
		select {
		case n := <-e.events:
			if conversationEvent(t, n).ID == id {
				return true
			}
		case ci := <-e.connects:
			t.Logf("the listener connected again (%s) before conversation %s's event", ci.Reason, id)
			return false
		case <-deadline:
			t.Fatalf("no event for conversation %s within 5s of heartbeats coming back", id)
		}
	}
}

func TestListenerRenewsChannelBeforeExpiry(t *testing.T) {
	e := startListener(t, []string{genesys.UserConversationsTopic(nAnn)},
		func(o *genesys.ListenerOptions) { o.RenewBefore = 1500 * time.Millisecond },
		func(g *genesystest.Server, _ *genesys.Client) { g.SetChannelTTL(2 * time.Second) })
	first := e.connected(t, "start")
	renewed := e.connected(t, "renewal")
	if renewed.ChannelID == first.ChannelID {
		t.Fatal("renewal kept the old channel")
	}
	// The old channel was still alive when the new one took over.
	chs := e.g.NotificationChannels()
	if len(chs) != 2 {
		t.Fatalf("channels right after renewal = %d; want the old one (not yet expired) and the new one", len(chs))
	}
	conv := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: nQueue, AgentID: nAnn})
	e.event(t, conv.ID)
	if st := e.l.Status(); len(st.Channels) != 1 || st.Channels[0].ID != renewed.ChannelID {
		t.Fatalf("status = %+v; want the renewed channel", st)
	}
}

func TestListenerSplitsTopicsOverChannels(t *testing.T) {
	topics := make([]string, 1500)
	for i := range topics {
		topics[i] = genesys.UserConversationsTopic(fmt.Sprintf("u1000000-0000-4000-8000-%012d", i+3))
	}
	topics[1499] = genesys.UserConversationsTopic(nBen) // sorts last: on the second channel
	e := startListener(t, topics, nil, nil)
	e.connected(t, "start")
	e.connected(t, "start")
	chs := e.g.NotificationChannels()
	if len(chs) != 2 || len(chs[0].Topics)+len(chs[1].Topics) != 1500 || max(len(chs[0].Topics), len(chs[1].Topics)) != 1000 {
		t.Fatalf("channels: %d; want 2 holding 1000 and 500 topics", len(chs))
	}
	conv := e.g.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: nQueue, AgentID: nBen})
	e.event(t, conv.ID)
}

func TestListenerRefusesToEvictAChannel(t *testing.T) {
	e := startListener(t, []string{genesys.UserConversationsTopic(nAnn)}, nil, func(g *genesystest.Server, c *genesys.Client) {
		for range genesys.MaxChannelsPerApp {
			if _, err := c.Notifications().CreateChannel(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
	})
	select {
	case err := <-e.done:
		e.done <- err // for the cleanup
		var le *genesys.ChannelLimitError
		if !errors.Is(err, genesys.ErrChannelLimit) || !errors.As(err, &le) || le.Existing != 20 || !strings.Contains(err.Error(), "genesys.clientId") {
			t.Fatalf("Run = %v; want a ChannelLimitError naming the fix", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not fail at the channel limit")
	}
	if got := e.g.ChannelsCreated(); got != genesys.MaxChannelsPerApp {
		t.Fatalf("channels created = %d; want %d (none evicted)", got, genesys.MaxChannelsPerApp)
	}
}
