package interactions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/patrickmn/go-cache"
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// TopicMode chooses the notification topics the event consumer listens to
// (config events.topics).
type TopicMode string

const (
	// TopicsQueues: v2.routing.queues.{id}.conversations for each of
	// EventOptions.QueueIDs (every conversation routed through them).
	TopicsQueues TopicMode = "queues"
	// TopicsUsers: v2.users.{id}.conversations for each mapped agent (also
	// direct and outbound calls that touch no queue).
	TopicsUsers TopicMode = "users"
	// TopicsBoth listens to both; a conversation seen twice is written once.
	TopicsBoth TopicMode = "both"
)

// ParseTopicMode accepts queues, users or both (any case).
func ParseTopicMode(s string) (TopicMode, error) {
	switch m := TopicMode(strings.ToLower(strings.TrimSpace(s))); m {
	case TopicsQueues, TopicsUsers, TopicsBoth:
		return m, nil
	case "":
		return TopicsQueues, nil
	}
	return "", &InputError{Field: "events.topics", Problem: "must be queues, users or both, not \"" + clip(s) + "\""}
}

// EventOptions configure the event consumer. Field comments name config keys.
type EventOptions struct {
	// Syncer is the interaction sync job: the consumer writes through the
	// same record building and backfills through its analytics path and
	// stored state. Required.
	Syncer *Syncer
	// Topics is events.topics (default queues).
	Topics TopicMode
	// QueueIDs returns the queues to listen to (events.queueIds); asked again
	// every TopicRefresh, so a changed list needs no restart. Required for
	// queues and both.
	QueueIDs func(ctx context.Context) ([]string, error)
	// StateName is the GETSYNCSTATE/SETSYNCSTATE NAME under which the time of
	// the last handled event is kept, so a restart or a standby taking over
	// backfills from there (default "interactions.events").
	StateName string
	// MarkInterval: the last-event time is stored at most this often (default 15s).
	MarkInterval time.Duration
	// TopicRefresh: how often the topic set is recomputed from the user map
	// and QueueIDs (default 1m).
	TopicRefresh time.Duration
	// BackfillOverlap: a backfill starts this long before the last handled
	// event (default 2m), so a conversation that started just before it is
	// looked at again.
	BackfillOverlap time.Duration
	// InitialBackfill: how far back the first backfill reaches when no
	// last-event time is stored (default 1h; the periodic sync covers more).
	InitialBackfill time.Duration
	// Workers handle events in parallel, one conversation always on the
	// same worker so its events stay in order (default 4).
	Workers int
	// Listener tunes the notification channels (renewal, heartbeats, limits);
	// Handle and OnConnected are set by the consumer.
	Listener   genesys.ListenerOptions
	Registerer prometheus.Registerer
	Logger     *slog.Logger
	Now        func() time.Time
}

// EventConsumer turns conversation notifications into the interaction log
// writes the agent page makes: UPSERTINTERACTION keyed by the conversation
// id at connect, transfer, disconnect, after-call work and wrap-up, so a
// record appears within seconds with no page open. WebSocket events are not
// durable: after every (re)connection (start, reconnect, channel renewal,
// a standby taking over) it backfills from analytics from the last event it
// handled, through the sync job. The periodic sync stays the safety net.
type EventConsumer struct {
	o   EventOptions
	s   *Syncer
	svc *Service
	m   *eventMetrics
	l   *genesys.Listener

	queues  []chan job
	links   *cache.Cache // conversation id -> RecordIDs found by phone
	gaps    chan gap
	workers sync.WaitGroup

	mu     sync.Mutex
	last   time.Time            // receive time of the last handled event
	stored time.Time            // last value stored under StateName
	open   map[string]time.Time // conversations seen and not final -> start
	status EventStatus

	// onWrite (tests, benchmarks) is called after each event's upsert.
	onWrite func(in appbase.Interaction, received time.Time)
	// onBackfill (tests) is called after each backfill.
	onBackfill func(SyncSummary, error)
}

type job struct {
	n  genesys.Notification
	ev *genesys.ConversationEvent
}

// EventStatus is what the supervisor page shows about the listener.
type EventStatus struct {
	Running      bool                   `json:"running"`
	Topics       int                    `json:"topics"`
	LastEvent    time.Time              `json:"lastEvent,omitzero"`
	LastBackfill time.Time              `json:"lastBackfill,omitzero"`
	Backfilled   int                    `json:"backfilled"`
	LastError    string                 `json:"lastError,omitempty"`
	Listener     genesys.ListenerStatus `json:"listener"`
}

// NewEventConsumer checks o and builds the consumer. It contacts nothing.
func NewEventConsumer(o EventOptions) (*EventConsumer, error) {
	if o.Syncer == nil {
		return nil, errors.New("interactions: EventOptions.Syncer is nil; pass the interaction sync job (interactions.NewSyncer)")
	}
	if o.Topics == "" {
		o.Topics = TopicsQueues
	}
	if _, err := ParseTopicMode(string(o.Topics)); err != nil {
		return nil, err
	}
	if o.Topics != TopicsUsers && o.QueueIDs == nil {
		return nil, &InputError{Field: "events.queueIds", Problem: "is empty; list the queues to listen to, or set events.topics to users"}
	}
	for name, d := range map[string]time.Duration{"MarkInterval": o.MarkInterval, "TopicRefresh": o.TopicRefresh,
		"BackfillOverlap": o.BackfillOverlap, "InitialBackfill": o.InitialBackfill} {
		if d < 0 {
			return nil, fmt.Errorf("interactions: EventOptions.%s is %v; it must not be negative (0 takes the default)", name, d)
		}
	}
	def := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	if o.StateName == "" {
		o.StateName = "interactions.events"
	}
	def(&o.MarkInterval, 15*time.Second)
	def(&o.TopicRefresh, time.Minute)
	def(&o.BackfillOverlap, 2*time.Minute)
	def(&o.InitialBackfill, time.Hour)
	if o.Workers <= 0 {
		o.Workers = 4
	}
	if o.Logger == nil {
		o.Logger = o.Syncer.o.Logger
	}
	if o.Now == nil {
		o.Now = o.Syncer.o.Now
	}
	c := &EventConsumer{o: o, s: o.Syncer, svc: o.Syncer.svc, m: newEventMetrics(o.Registerer),
		links: cache.New(12*time.Hour, time.Hour), gaps: make(chan gap, 1), open: map[string]time.Time{}}
	lo := o.Listener
	lo.Handle = c.enqueue
	lo.OnConnected = c.connected
	if lo.Logger == nil {
		lo.Logger = o.Logger
	}
	l, err := c.svc.opts.Genesys.Notifications().NewListener(lo)
	if err != nil {
		return nil, err
	}
	c.l = l
	return c, nil
}

// Run listens until ctx ends (it returns nil) or the listener cannot go on
// (a notification channel limit). It stores the last-event time on the way out.
func (c *EventConsumer) Run(ctx context.Context) error {
	c.setStatus(func(st *EventStatus) { st.Running, st.LastError = true, "" })
	defer c.setStatus(func(st *EventStatus) { st.Running = false })
	if err := c.refreshTopics(ctx); err != nil {
		c.o.Logger.Warn("interactions: events: could not build the topic set; retrying at the next refresh", "err", err)
	}
	wctx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	c.queues = make([]chan job, c.o.Workers)
	for i := range c.queues {
		q := make(chan job, 256)
		c.queues[i] = q
		c.workers.Add(1)
		go func() {
			defer c.workers.Done()
			for j := range q {
				c.handle(wctx, j.n, j.ev) // queued events finish even as the listener stops
			}
		}()
	}
	lctx, stopListener := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.l.Run(lctx) }()
	var bg sync.WaitGroup
	bg.Add(1)
	go func() { defer bg.Done(); c.background(lctx) }()

	err := <-done
	stopListener()
	bg.Wait()
	for _, q := range c.queues {
		close(q)
	}
	c.workers.Wait()
	stopWorkers()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.s.o.WriteTimeout)
	c.storeMark(sctx, true)
	cancel()
	if err != nil {
		c.setStatus(func(st *EventStatus) { st.LastError = err.Error() })
		return err
	}
	return nil
}

// background refreshes the topic set, stores the last-event time and runs
// the backfills, until ctx ends.
func (c *EventConsumer) background(ctx context.Context) {
	refresh := time.NewTicker(c.o.TopicRefresh)
	defer refresh.Stop()
	mark := time.NewTicker(c.o.MarkInterval)
	defer mark.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh.C:
			if err := c.refreshTopics(ctx); err != nil {
				c.o.Logger.Warn("interactions: events: topic refresh failed; keeping the current topics", "err", err)
			}
		case <-mark.C:
			c.storeMark(ctx, false)
		case g := <-c.gaps:
			c.backfillGap(ctx, g)
		}
	}
}

// Topics computes the topic set: the configured queues and/or the agents
// the user map maps (explicitly or by e-mail).
func (c *EventConsumer) Topics(ctx context.Context) ([]string, error) {
	var out []string
	if c.o.Topics != TopicsUsers {
		ids, err := c.o.QueueIDs(ctx)
		if err != nil {
			return nil, fmt.Errorf("interactions: events: listing the queues: %w", err)
		}
		for _, id := range ids {
			if id = strings.TrimSpace(id); id != "" {
				out = append(out, genesys.QueueConversationsTopic(id))
			}
		}
	}
	if c.o.Topics != TopicsQueues {
		rep := c.svc.opts.Agents.Report()
		if rep == nil {
			return nil, fmt.Errorf("interactions: events: %w", ErrNoUserMap)
		}
		for _, e := range rep.Entries {
			if e.GenesysUser != nil && e.SJUser != nil && (e.Status == usermap.StatusExplicit || e.Status == usermap.StatusEmail) {
				out = append(out, genesys.UserConversationsTopic(e.GenesysUser.ID))
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func (c *EventConsumer) refreshTopics(ctx context.Context) error {
	topics, err := c.Topics(ctx)
	if err != nil {
		return err
	}
	c.l.SetTopics(topics)
	c.setStatus(func(st *EventStatus) { st.Topics = len(topics) })
	return nil
}

// Status reports the consumer and its channels.
func (c *EventConsumer) Status() EventStatus {
	c.mu.Lock()
	st := c.status
	st.LastEvent = c.last
	c.mu.Unlock()
	st.Listener = c.l.Status()
	return st
}

func (c *EventConsumer) setStatus(fn func(*EventStatus)) {
	c.mu.Lock()
	fn(&c.status)
	c.mu.Unlock()
}
