package interactions

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strings"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// maxOpen caps the conversations remembered as seen-but-not-final (they are
// fetched by id in the next backfill); beyond it the backfill's time window
// and the periodic sync still cover them.
const maxOpen = 10000

// enqueue is the listener's Handle: conversation events go to the worker of
// their conversation (so each conversation's events keep their order).
func (c *EventConsumer) enqueue(ctx context.Context, n genesys.Notification) {
	kind := genesys.TopicKind(n.TopicName)
	if !genesys.IsConversationTopic(n.TopicName) {
		c.m.events.WithLabelValues(kind, "ignored").Inc()
		return
	}
	var ev genesys.ConversationEvent
	if err := json.Unmarshal(n.EventBody, &ev); err != nil || ev.ID == "" {
		c.m.events.WithLabelValues(kind, "malformed").Inc()
		c.o.Logger.Warn("interactions: events: a conversation event could not be read", "kind", kind, "err", err)
		return
	}
	h := fnv.New32a()
	h.Write([]byte(ev.ID))
	q := c.queues[int(h.Sum32()%uint32(len(c.queues)))]
	select {
	case q <- job{n: n, ev: &ev}:
	case <-ctx.Done():
	}
}

// handle writes the record of one conversation event, as the page would at
// that moment, through the same record building (fromConversation) and the
// same idempotent UPSERTINTERACTION. A record equal to the last one written
// (by the events or the sync job) is skipped.
func (c *EventConsumer) handle(ctx context.Context, n genesys.Notification, ev *genesys.ConversationEvent) {
	kind := genesys.TopicKind(n.TopicName)
	conv := ev.Conversation()
	agent := handlingAgent(conv)
	final := eventFinal(conv)
	defer c.track(conv.ID, conv.StartTime, final, n.Received)
	if agent == nil {
		// Still in the IVR or queue: the record starts when an agent answers.
		c.m.events.WithLabelValues(kind, "no_agent").Inc()
		return
	}
	sjUserID := ""
	if sj, err := c.svc.agent(ctx, agent.UserID); err == nil {
		sjUserID = sj.ID
	}
	in := c.svc.fromConversation(ctx, conv, agent.UserID, sjUserID)
	moment := EventConnect
	switch {
	case in.WrapupCode != "":
		moment = EventWrapup
	case !conv.EndTime.IsZero() || participantEnded(agent):
		moment = EventDisconnect
	}
	src := c.svc.conversationSource(ctx, conv)
	in.Fields = c.svc.mapFields(in, src) // in the fingerprint: a changed attribute is written
	fp := fingerprint(in)
	if v, ok := c.s.sent.Get(conv.ID); ok && v.(uint64) == fp {
		c.m.events.WithLabelValues(kind, "unchanged").Inc()
		return
	}
	c.link(ctx, conv, &in)
	clears := c.svc.markClears(&in)
	in.Fields = c.svc.mapFields(in, src) // again, with the party and case
	wctx, cancel := context.WithTimeout(ctx, c.s.o.WriteTimeout)
	_, err := c.svc.opts.SJ.UpsertInteraction(wctx, in)
	cancel()
	c.svc.count(SystemServiceJourney, appbase.OpUpsertInteraction, err)
	if err != nil {
		final = false // stays open: the next backfill fetches it by id
		c.svc.m.writes.WithLabelValues("events", string(moment), "error").Inc()
		c.m.events.WithLabelValues(kind, "error").Inc()
		c.o.Logger.Warn("interactions: events: could not log a conversation; the next backfill retries it", "conversation", conv.ID, "err", err)
		return
	}
	c.s.sent.SetDefault(conv.ID, fp)
	c.svc.clearsWritten(in, clears)
	if moment == EventWrapup || final {
		c.svc.afterWrapup(ctx, conv.ID, in.MediaType)
	}
	c.svc.m.writes.WithLabelValues("events", string(moment), "ok").Inc()
	c.m.events.WithLabelValues(kind, "written").Inc()
	if !n.Received.IsZero() {
		c.m.lag.Observe(time.Since(n.Received).Seconds())
	}
	if c.onWrite != nil {
		c.onWrite(in, n.Received)
	}
}

// track remembers the last event handled and which conversations are still
// to be finished (for the next backfill).
func (c *EventConsumer) track(id string, start time.Time, final bool, received time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if received.After(c.last) {
		c.last = received
	}
	if final {
		delete(c.open, id)
	} else if _, ok := c.open[id]; ok || len(c.open) < maxOpen {
		c.open[id] = start
	}
}

// link sets the party (and case) as the sync job does: the record the page
// popped or the agent chose (none after "not this customer"), else the one
// party with the customer's number; looked up once per conversation.
func (c *EventConsumer) link(ctx context.Context, conv *genesys.Conversation, in *appbase.Interaction) {
	if ids, ok := c.svc.chosen(conv.ID); ok {
		in.PartyID, in.CaseID = ids.PartyID, ids.CaseID
		return
	}
	if v, ok := c.links.Get(conv.ID); ok {
		ids := v.(RecordIDs)
		in.PartyID, in.CaseID = ids.PartyID, ids.CaseID
		return
	}
	r := analyticsRecord{in: *in}
	if e, err := NormalizePhone(customerNumber(CustomerParticipant(conv), in.Direction), c.svc.opts.DefaultCountry); err == nil {
		r.e164 = e
	}
	c.s.linkRecords(ctx, conv.ID, &r)
	in.PartyID, in.CaseID = r.in.PartyID, r.in.CaseID
	ttl := 12 * time.Hour
	if in.PartyID == "" && in.CaseID == "" {
		ttl = time.Minute // a party may be created meanwhile
	}
	c.links.Set(conv.ID, RecordIDs{PartyID: in.PartyID, CaseID: in.CaseID}, ttl)
}

// handlingAgent is the last agent (or user) who was connected: after a
// transfer, the one who took over, as the sync job names.
func handlingAgent(c *genesys.Conversation) *genesys.Participant {
	for i := len(c.Participants) - 1; i >= 0; i-- {
		p := &c.Participants[i]
		if p.UserID == "" || !(strings.EqualFold(p.Purpose, "agent") || strings.EqualFold(p.Purpose, "user")) {
			continue
		}
		if !p.ConnectedTime.IsZero() {
			return p
		}
		for _, call := range p.Calls {
			if !call.ConnectedTime.IsZero() {
				return p
			}
		}
		for _, legs := range [][]genesys.MediaSession{p.Chats, p.Emails, p.Messages, p.Callbacks} {
			for _, m := range legs {
				if !m.ConnectedTime.IsZero() {
					return p
				}
			}
		}
	}
	return nil
}

// eventFinal: the conversation ended and every connected agent who owes a
// wrap-up has given it.
func eventFinal(c *genesys.Conversation) bool {
	if c.EndTime.IsZero() {
		return false
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		if strings.EqualFold(p.Purpose, "agent") && p.WrapupRequired && !p.WrapupSkipped && !p.ConnectedTime.IsZero() && wrapupOf(p) == nil {
			return false
		}
	}
	return true
}
