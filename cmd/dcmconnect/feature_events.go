package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/interactions"
	"dcmconnect/internal/leader"
)

// eventsRetry is how long a leader waits before listening again after the
// listener gave up (a notification channel limit): the cause is usually
// another app on the same OAuth client, which may go away.
const eventsRetry = time.Minute

// events is the real-time listener as the app runs it: the event consumer
// under the election, so one replica at a time listens.
type events struct {
	consumer *interactions.EventConsumer
	elector  *leader.Elector
	// running is set while the election loop runs (after the first user map).
	running atomic.Bool
	// lastErr is the listener's last fatal error while leading ("" after a
	// clean start).
	lastErr atomic.Value // string
}

// addEvents wires events.*: when enabled, serve runs the Genesys
// notifications listener (interactions.EventConsumer) on the replica that
// leads (events.leader.mode), beside the HTTP server, and stops it on
// shutdown. Its state is in /readyz, /metrics and the supervisor page.
func addEvents(a *app) error {
	cfg := a.cfg.Events
	if !cfg.Enabled {
		return nil
	}
	topics, err := interactions.ParseTopicMode(cfg.Topics)
	if err != nil {
		return err
	}
	queues := append([]string(nil), cfg.QueueIDs...)
	consumer, err := interactions.NewEventConsumer(interactions.EventOptions{
		Syncer: a.interactionSync, Topics: topics,
		QueueIDs:   func(context.Context) ([]string, error) { return queues, nil },
		Registerer: a.reg, Logger: a.log.With("component", "events"),
	})
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	elector, err := leader.New(leader.Options{Mode: cfg.Leader.Mode, Namespace: cfg.Leader.LeaseNamespace, Name: cfg.Leader.LeaseName,
		Registerer: a.reg, Logger: a.log.With("component", "leader")})
	if err != nil {
		return fmt.Errorf("events: %w", err)
	}
	ev := &events{consumer: consumer, elector: elector}
	ev.lastErr.Store("")
	a.events = ev
	a.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "dcmconnect_interactions_events_last_event_age_seconds",
		Help: "Seconds since the event listener handled its last conversation event; -1 before the first one or on a standby.",
	}, ev.lastEventAge))
	a.jobs = append(a.jobs, func(ctx context.Context) error {
		// Records name the agent's ServiceJourney user, and the users topics
		// are the mapped agents: listen once the first user map is in.
		if err := waitForUserMap(ctx, a, time.Second); err != nil {
			return nil // shutting down
		}
		ev.running.Store(true)
		defer ev.running.Store(false)
		return elector.Run(ctx, ev.listen)
	})
	a.jobStatus["events"] = func() any { return ev.status() }
	return nil
}

// listen runs the consumer while this replica leads; a listener that gives
// up is started again after eventsRetry, as long as the lead lasts.
func (ev *events) listen(ctx context.Context) {
	for {
		ev.lastErr.Store("")
		err := ev.consumer.Run(ctx)
		if err == nil || ctx.Err() != nil {
			return
		}
		ev.lastErr.Store(err.Error())
		select {
		case <-ctx.Done():
			return
		case <-time.After(eventsRetry):
		}
	}
}

// eventsStatus is the listener's state on the supervisor page (as a job:
// running, lastError, the rest as details) and in /readyz.
type eventsStatus struct {
	Running           bool      `json:"running"`
	LastError         string    `json:"lastError,omitempty"`
	Mode              string    `json:"mode"`
	Leading           bool      `json:"leading"`
	Leader            string    `json:"leader,omitempty"`
	Topics            int       `json:"topics"`
	Channels          int       `json:"channels"`
	ChannelsConnected int       `json:"channelsConnected"`
	Reconnects        int       `json:"reconnects"`
	LastEvent         time.Time `json:"lastEvent,omitzero"`
	LastBackfill      time.Time `json:"lastBackfill,omitzero"`
	Backfilled        int       `json:"backfilled"`
}

func (ev *events) status() eventsStatus {
	st := ev.consumer.Status()
	out := eventsStatus{Running: ev.running.Load(), Mode: ev.elector.Mode(), Leading: ev.elector.Leading(), Leader: ev.elector.Leader(),
		Topics: st.Topics, Channels: len(st.Listener.Channels), Reconnects: st.Listener.Reconnects,
		LastEvent: st.LastEvent, LastBackfill: st.LastBackfill, Backfilled: st.Backfilled}
	for _, ch := range st.Listener.Channels {
		if ch.Connected {
			out.ChannelsConnected++
		}
	}
	if out.Leading {
		out.LastError = ev.lastErr.Load().(string)
		if st.LastError != "" {
			out.LastError = st.LastError
		}
	}
	return out
}

// health is the supervisor page's check: a standby is healthy; the leader
// is when a channel is connected.
func (ev *events) health(context.Context) error {
	st := ev.status()
	switch {
	case !st.Running:
		return errors.New("the event listener has not started (it waits for the first user map)")
	case !st.Leading:
		return nil
	case st.LastError != "":
		return errors.New("the event listener reports: " + st.LastError)
	case st.Topics == 0:
		return errors.New("no topics to listen to: no queue in events.queueIds and no mapped agent")
	case st.ChannelsConnected == 0:
		return errors.New("leading, but no notification channel is connected yet")
	}
	return nil
}

func (ev *events) lastEventAge() float64 {
	last := ev.consumer.Status().LastEvent
	if last.IsZero() || !ev.elector.Leading() {
		return -1
	}
	return time.Since(last).Seconds()
}

// readyDetail is what /readyz tells about the listener: counts and flags only.
func (ev *events) readyDetail() map[string]any {
	st := ev.status()
	age := -1.0
	if !st.LastEvent.IsZero() {
		age = time.Since(st.LastEvent).Round(time.Second).Seconds()
	}
	return map[string]any{"running": st.Running, "leading": st.Leading, "channelsConnected": st.ChannelsConnected,
		"lastEventAgeSeconds": age, "backfilled": st.Backfilled}
}
