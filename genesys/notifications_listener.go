package genesys

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// Listener defaults.
const (
	// DefaultRenewBefore: a channel is replaced this long before its 24 h
	// life ends, so there is time to retry.
	DefaultRenewBefore = time.Hour
	// DefaultHeartbeatTimeout: Genesys sends a heartbeat every 30 s; three
	// missed mean the socket is dead even if TCP has not noticed.
	DefaultHeartbeatTimeout = 90 * time.Second
	DefaultReconnectMin     = time.Second
	DefaultReconnectMax     = time.Minute
	// maxNotificationBytes caps one message; a large conversation event is
	// tens of KiB.
	maxNotificationBytes = 4 << 20
)

// ErrChannelLimit: creating one more notification channel would exceed the
// per-user+app limit, and Genesys would evict the oldest channel (perhaps
// another replica's or another app's). The Listener refuses instead.
var ErrChannelLimit = errors.New("genesys: notification channel limit reached")

// ChannelLimitError says how many channels exist and what to do.
type ChannelLimitError struct {
	Existing, Limit int
	// Needed is set when the topic set alone needs more channels than Limit.
	Needed int
}

func (e *ChannelLimitError) Error() string {
	if e.Needed > 0 {
		return fmt.Sprintf("genesys: the topic set needs %d notification channels (%d topics each), above the limit of %d per OAuth client; subscribe fewer queues or users (events.topics, events.queueIds)", e.Needed, MaxTopicsPerChannel, e.Limit)
	}
	return fmt.Sprintf("genesys: %d notification channels already exist for this OAuth client (limit %d); one more would make Genesys evict the oldest, which may be another replica's or another app's. Give dcmconnect an OAuth client of its own (genesys.clientId) or wait for unused channels to expire (24 h)", e.Existing, e.Limit)
}

func (e *ChannelLimitError) Is(target error) bool { return target == ErrChannelLimit }

// ListenerOptions configure a Listener. Only Handle is required.
type ListenerOptions struct {
	// Handle receives every notification except heartbeats and system
	// messages, in order per channel. A slow Handle delays that channel.
	Handle func(ctx context.Context, n Notification)
	// OnConnected is called each time a channel is subscribed and its socket
	// open: at start, after a reconnect, after a renewal. Events may have
	// been missed before each of these, so the caller backfills.
	OnConnected func(ConnectInfo)
	// RenewBefore: a new channel replaces the old one this long before the
	// old one expires (default 1h).
	RenewBefore time.Duration
	// HeartbeatTimeout: a socket silent this long is closed and reopened
	// (default 90s).
	HeartbeatTimeout time.Duration
	// MaxTopicsPerChannel (default 1,000) and MaxChannels (default 20) are
	// the platform limits; tests lower them.
	MaxTopicsPerChannel, MaxChannels int
	// ReconnectMin and ReconnectMax bound the jittered, doubling wait between
	// failed connection attempts (defaults 1s and 1m).
	ReconnectMin, ReconnectMax time.Duration
	Logger                     *slog.Logger
	// Now is the clock for channel expiry (test hook).
	Now func() time.Time
}

// ConnectInfo describes one (re)connection.
type ConnectInfo struct {
	ChannelID string
	// Reason: "start", "reconnect", "renewal" or "socket_closing".
	Reason string
	Topics int
}

// ListenerStatus is what the supervisor page shows about the listener.
type ListenerStatus struct {
	Topics     int             `json:"topics"`
	Channels   []ChannelStatus `json:"channels"`
	Reconnects int             `json:"reconnects"`
	LastError  string          `json:"lastError,omitempty"`
	LastEvent  time.Time       `json:"lastEvent,omitzero"`
}

// ChannelStatus is one channel of the listener.
type ChannelStatus struct {
	ID        string    `json:"id"`
	Topics    int       `json:"topics"`
	Connected bool      `json:"connected"`
	Expires   time.Time `json:"expires,omitzero"`
}

// Listener keeps the notification channels for a set of topics: it creates
// them, subscribes (at most MaxTopicsPerChannel per channel, more channels
// beyond), reads their WebSockets, watches the heartbeats, reconnects with
// backoff, follows v2.system.socket_closing and replaces each channel
// before its 24 h life ends. Events are not durable: every OnConnected is a
// possible gap for the caller to backfill.
type Listener struct {
	c *Client
	o ListenerOptions
	m *listenerMetrics

	mu      sync.Mutex
	want    map[string]bool
	shards  []*shard
	changed chan struct{}
	status  ListenerStatus
}

// shard is one channel and the topics assigned to it.
type shard struct {
	topics map[string]bool // guarded by Listener.mu
	wake   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
	st     ChannelStatus // guarded by Listener.mu
}

// NewListener checks o and builds a Listener for c (which must act with
// the client-credentials token). It contacts nothing; call SetTopics and Run.
func (s *NotificationsService) NewListener(o ListenerOptions) (*Listener, error) {
	if o.Handle == nil {
		return nil, errors.New("genesys: ListenerOptions.Handle is nil; pass the function that takes each notification")
	}
	if o.RenewBefore < 0 || o.HeartbeatTimeout < 0 || o.ReconnectMin < 0 || o.ReconnectMax < 0 || o.MaxTopicsPerChannel < 0 || o.MaxChannels < 0 {
		return nil, errors.New("genesys: ListenerOptions durations and limits must not be negative; use 0 for the defaults")
	}
	if o.RenewBefore == 0 {
		o.RenewBefore = DefaultRenewBefore
	}
	if o.HeartbeatTimeout == 0 {
		o.HeartbeatTimeout = DefaultHeartbeatTimeout
	}
	if o.ReconnectMin == 0 {
		o.ReconnectMin = DefaultReconnectMin
	}
	if o.ReconnectMax == 0 {
		o.ReconnectMax = DefaultReconnectMax
	}
	if o.MaxTopicsPerChannel == 0 || o.MaxTopicsPerChannel > MaxTopicsPerChannel {
		o.MaxTopicsPerChannel = MaxTopicsPerChannel
	}
	if o.MaxChannels == 0 || o.MaxChannels > MaxChannelsPerApp {
		o.MaxChannels = MaxChannelsPerApp
	}
	if o.Logger == nil {
		o.Logger = s.client.core.opts.Logger
	}
	if o.Now == nil {
		o.Now = s.client.core.opts.Now
	}
	return &Listener{c: s.client, o: o, m: newListenerMetrics(s.client.core.opts.Registerer),
		want: map[string]bool{}, changed: make(chan struct{}, 1)}, nil
}

// SetTopics replaces the topic set; a running listener subscribes the
// difference without dropping its sockets. Safe at any time.
func (l *Listener) SetTopics(topics []string) {
	want := make(map[string]bool, len(topics))
	for _, t := range topics {
		if t != "" {
			want[t] = true
		}
	}
	l.mu.Lock()
	l.want = want
	l.status.Topics = len(want)
	l.mu.Unlock()
	l.m.topics.Set(float64(len(want)))
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

// Status reports the channels and the last error.
func (l *Listener) Status() ListenerStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := l.status
	st.Channels = nil
	for _, sh := range l.shards {
		st.Channels = append(st.Channels, sh.st)
	}
	return st
}

// Run keeps the channels until ctx ends (then it returns nil) or a limit
// makes it impossible (an error matching ErrChannelLimit). Connection
// failures are retried with backoff, never returned.
func (l *Listener) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	fatal := make(chan error, 1)
	defer func() {
		cancel()
		l.mu.Lock()
		shards := l.shards
		l.shards = nil
		l.mu.Unlock()
		for _, sh := range shards {
			<-sh.done
		}
		l.m.channels.Set(0)
	}()
	for {
		if err := l.assign(ctx, fatal); err != nil {
			l.fail(err)
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case err := <-fatal:
			l.fail(err)
			return err
		case <-l.changed:
		}
	}
}

func (l *Listener) fail(err error) {
	l.o.Logger.Error("genesys notifications: listener stopped", "err", err)
	l.mu.Lock()
	l.status.LastError = err.Error()
	l.mu.Unlock()
}

// assign spreads the wanted topics over the shards. Assignment is sticky
// (a topic stays on its channel) so a change never resubscribes the rest.
func (l *Listener) assign(ctx context.Context, fatal chan<- error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	have := map[string]bool{}
	for _, sh := range l.shards {
		for t := range sh.topics {
			if !l.want[t] {
				delete(sh.topics, t)
				poke(sh.wake)
			} else {
				have[t] = true
			}
		}
	}
	var add []string
	for t := range l.want {
		if !have[t] {
			add = append(add, t)
		}
	}
	sort.Strings(add)
	needed := (len(l.want) + l.o.MaxTopicsPerChannel - 1) / l.o.MaxTopicsPerChannel
	if needed > l.o.MaxChannels {
		return &ChannelLimitError{Limit: l.o.MaxChannels, Needed: needed}
	}
	for _, sh := range l.shards {
		for len(add) > 0 && len(sh.topics) < l.o.MaxTopicsPerChannel {
			sh.topics[add[0]] = true
			add = add[1:]
			poke(sh.wake)
		}
	}
	for len(add) > 0 {
		n := min(len(add), l.o.MaxTopicsPerChannel)
		sh := &shard{topics: map[string]bool{}, wake: make(chan struct{}, 1), done: make(chan struct{})}
		for _, t := range add[:n] {
			sh.topics[t] = true
		}
		add = add[n:]
		sctx, cancel := context.WithCancel(ctx)
		sh.cancel = cancel
		l.shards = append(l.shards, sh)
		go func() {
			defer close(sh.done)
			if err := l.runShard(sctx, sh); err != nil {
				select {
				case fatal <- err:
				default:
				}
			}
		}()
	}
	// Shards left without topics stop; their channels expire on their own.
	l.shards = slices.DeleteFunc(l.shards, func(sh *shard) bool {
		if len(sh.topics) == 0 {
			sh.cancel()
			return true
		}
		return false
	})
	return nil
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

func (l *Listener) shardTopics(sh *shard) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]string, 0, len(sh.topics))
	for t := range sh.topics {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

func (l *Listener) setShard(sh *shard, fn func(*ChannelStatus)) {
	l.mu.Lock()
	fn(&sh.st)
	n := 0
	for _, s := range l.shards {
		if s.st.Connected {
			n++
		}
	}
	l.mu.Unlock()
	l.m.channels.Set(float64(n))
}

// socket is one open channel WebSocket with its reader.
type socket struct {
	ch     *Channel
	conn   *websocket.Conn
	msgs   chan Notification
	errc   chan error
	cancel context.CancelFunc
}

func (k *socket) close() {
	k.cancel()
	_ = k.conn.CloseNow()
}

// runShard keeps one channel connected until ctx ends. Only a channel
// limit is returned; every other failure is retried.
func (l *Listener) runShard(ctx context.Context, sh *shard) error {
	var ch *Channel
	reason := "start"
	for attempt := 0; ctx.Err() == nil; {
		k, err := l.connect(ctx, sh, ch, false)
		if errors.Is(err, ErrChannelLimit) {
			return err
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			l.noteError(err)
			wait := l.backoff(attempt)
			attempt++
			l.o.Logger.Warn("genesys notifications: cannot connect; retrying", "wait", wait, "err", err)
			if sleepContext(ctx, wait) != nil {
				return nil
			}
			ch = nil // start over with a fresh channel check
			continue
		}
		attempt = 0
		ch = k.ch
		l.connected(sh, k, reason)
		var next string
		k, next, err = l.serve(ctx, sh, k)
		if k != nil {
			ch = k.ch
			k.close()
		}
		l.setShard(sh, func(st *ChannelStatus) { st.Connected = false })
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, ErrChannelLimit) {
			return err
		}
		l.m.reconnects.WithLabelValues(next).Inc()
		l.mu.Lock()
		l.status.Reconnects++
		l.mu.Unlock()
		if err != nil {
			l.noteError(err)
			l.o.Logger.Warn("genesys notifications: socket ended; reconnecting", "reason", next, "err", err)
		}
		reason = "reconnect"
		if next == "socket_closing" {
			reason = next
		}
	}
	return nil
}

func (l *Listener) connected(sh *shard, k *socket, reason string) {
	topics := len(l.shardTopics(sh))
	l.setShard(sh, func(st *ChannelStatus) {
		st.ID, st.Connected, st.Expires, st.Topics = k.ch.ID, true, k.ch.Expires, topics
	})
	l.o.Logger.Info("genesys notifications: channel connected", "channel", k.ch.ID, "reason", reason, "topics", topics)
	if l.o.OnConnected != nil {
		l.o.OnConnected(ConnectInfo{ChannelID: k.ch.ID, Reason: reason, Topics: topics})
	}
}

func (l *Listener) noteError(err error) {
	l.mu.Lock()
	l.status.LastError = err.Error()
	l.mu.Unlock()
}

// backoff is the jittered wait before attempt n+1: ReconnectMin doubling
// up to ReconnectMax, each in [d/2, d).
func (l *Listener) backoff(attempt int) time.Duration {
	d := l.o.ReconnectMin << min(attempt, 20)
	if d <= 0 || d > l.o.ReconnectMax {
		d = l.o.ReconnectMax
	}
	return d/2 + rand.N(d/2+1)
}

// connect subscribes a channel to the shard's topics and opens its socket.
// It reuses ch while it exists and is not due for renewal; otherwise (or
// with fresh) it creates one, refusing when that would evict another.
func (l *Listener) connect(ctx context.Context, sh *shard, ch *Channel, fresh bool) (*socket, error) {
	n := l.c.Notifications()
	if ch != nil && !fresh && l.renewAt(ch).After(l.o.Now()) {
		ok, err := n.ChannelExists(ctx, ch.ID)
		if err != nil {
			return nil, err
		}
		if !ok {
			ch = nil
		}
	} else {
		ch = nil
	}
	if ch == nil {
		existing, err := n.ListChannels(ctx, true)
		if err != nil {
			return nil, err
		}
		live := 0
		for _, c := range existing {
			if c.Expires.IsZero() || c.Expires.After(l.o.Now()) {
				live++
			}
		}
		if live >= l.o.MaxChannels {
			return nil, &ChannelLimitError{Existing: live, Limit: l.o.MaxChannels}
		}
		if ch, err = n.CreateChannel(ctx); err != nil {
			return nil, err
		}
		if ch.Expires.IsZero() {
			ch.Expires = l.o.Now().Add(ChannelLifetime)
		}
	}
	topics := l.shardTopics(sh)
	got, err := n.SetSubscriptions(ctx, ch.ID, topics)
	if err != nil {
		return nil, err
	}
	for _, t := range got {
		if t.State != "" && t.State != "Permitted" {
			l.o.Logger.Warn("genesys notifications: topic not permitted", "kind", TopicKind(t.ID), "state", t.State,
				"reason", t.RejectionReason, "missingPermissions", t.MissingPermissions)
		}
	}
	return l.dial(ctx, ch)
}

func (l *Listener) renewAt(ch *Channel) time.Time { return ch.Expires.Add(-l.o.RenewBefore) }

// dial opens the channel's WebSocket. Errors never carry the connectUri.
func (l *Listener) dial(ctx context.Context, ch *Channel) (*socket, error) {
	dctx, cancel := context.WithTimeout(ctx, l.c.core.opts.Timeout)
	defer cancel()
	conn, resp, err := websocket.Dial(dctx, ch.ConnectURI, &websocket.DialOptions{HTTPClient: l.c.core.opts.HTTPClient})
	if err != nil {
		cause := err
		var ue *url.Error
		if errors.As(err, &ue) {
			cause = ue.Err
		} else if resp != nil {
			cause = fmt.Errorf("handshake answered %d", resp.StatusCode)
		}
		host := ""
		if u, perr := url.Parse(ch.ConnectURI); perr == nil {
			host = u.Host
		}
		return nil, &TransportError{Host: host, Method: "GET", Route: "notifications websocket", Err: cause}
	}
	conn.SetReadLimit(maxNotificationBytes)
	rctx, rcancel := context.WithCancel(context.Background())
	k := &socket{ch: ch, conn: conn, msgs: make(chan Notification, 64), errc: make(chan error, 1), cancel: rcancel}
	go k.read(rctx)
	return k, nil
}

// read decodes messages until the socket fails.
func (k *socket) read(ctx context.Context) {
	for {
		_, data, err := k.conn.Read(ctx)
		if err != nil {
			k.errc <- err
			return
		}
		var n Notification
		if err := json.Unmarshal(data, &n); err != nil || n.TopicName == "" {
			continue // not a notification; Genesys adds message kinds over time
		}
		n.Received = time.Now()
		select {
		case k.msgs <- n:
		case <-ctx.Done():
			return
		}
	}
}

// serve reads the socket until it must be replaced. It returns the socket
// to close (it may have renewed it meanwhile), why it ended and the error.
func (l *Listener) serve(ctx context.Context, sh *shard, k *socket) (*socket, string, error) {
	heartbeat := time.NewTimer(l.o.HeartbeatTimeout)
	defer heartbeat.Stop()
	renew := time.NewTimer(max(l.renewAt(k.ch).Sub(l.o.Now()), 0))
	defer renew.Stop()
	for {
		select {
		case <-ctx.Done():
			return k, "", nil
		case err := <-k.errc:
			return k, "dropped", err
		case <-heartbeat.C:
			return k, "heartbeat", fmt.Errorf("genesys notifications: no heartbeat for %s", l.o.HeartbeatTimeout)
		case <-sh.wake:
			if _, err := l.c.Notifications().SetSubscriptions(ctx, k.ch.ID, l.shardTopics(sh)); err != nil {
				return k, "resubscribe", err
			}
			topics := len(l.shardTopics(sh))
			l.setShard(sh, func(st *ChannelStatus) { st.Topics = topics })
		case <-renew.C:
			// Open the new channel before closing the old one, so events
			// keep flowing; a failure leaves the old one in service and
			// retries later (RenewBefore leaves time for that).
			nk, err := l.connect(ctx, sh, nil, true)
			if errors.Is(err, ErrChannelLimit) {
				return k, "renewal", err
			}
			if err != nil {
				l.noteError(err)
				l.o.Logger.Warn("genesys notifications: channel renewal failed; keeping the old channel", "err", err)
				renew.Reset(min(l.o.RenewBefore/4, time.Minute))
				continue
			}
			k.close()
			k = nk
			l.m.reconnects.WithLabelValues("renewal").Inc()
			l.connected(sh, k, "renewal")
			heartbeat.Reset(l.o.HeartbeatTimeout)
			renew.Reset(max(l.renewAt(k.ch).Sub(l.o.Now()), 0))
		case n := <-k.msgs:
			heartbeat.Reset(l.o.HeartbeatTimeout)
			kind := TopicKind(n.TopicName)
			l.m.received.WithLabelValues(kind).Inc()
			switch {
			case n.TopicName == TopicSocketClosing:
				return k, "socket_closing", nil
			case kind == "metadata", kind == "system":
				continue
			}
			l.mu.Lock()
			l.status.LastEvent = n.Received
			l.mu.Unlock()
			l.o.Handle(ctx, n)
		}
	}
}
