package interactions

import (
	"context"
	"maps"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// connected is the listener's OnConnected: events may have been missed
// before it, so a backfill is due from the last event handled so far
// (captured now, before events of the new socket move it on). Gaps that
// come while one is pending merge into it.
func (c *EventConsumer) connected(ci genesys.ConnectInfo) {
	c.mu.Lock()
	last, open := c.last, maps.Clone(c.open)
	c.mu.Unlock()
	g := gap{from: last, open: open, reason: ci.Reason}
	for {
		select {
		case c.gaps <- g:
			return
		default:
		}
		select {
		case old := <-c.gaps:
			g = g.merge(old)
		default:
		}
	}
}

// gap is a backfill to do: conversations started since from, and the open
// ones by id.
type gap struct {
	from   time.Time // zero: unknown (a start): from the stored mark
	open   map[string]time.Time
	reason string
}

func (g gap) merge(o gap) gap {
	if o.from.IsZero() || (!g.from.IsZero() && o.from.Before(g.from)) {
		g.from = o.from
	}
	for id, t := range o.open {
		g.open[id] = t
	}
	return g
}

// backfillGap logs from analytics what the events may have missed.
func (c *EventConsumer) backfillGap(ctx context.Context, g gap) {
	now := c.o.Now()
	from := g.from
	if from.IsZero() {
		from = c.loadMark(ctx, now)
	}
	from = from.Add(-c.o.BackfillOverlap)
	if floor := now.Add(-c.s.o.QueryWindow); from.Before(floor) {
		from = floor // older gaps are the periodic sync's (it keeps its own watermark)
	}
	sum, err := c.s.backfill(ctx, from, g.open)
	written := sum.Final + sum.AwaitingWrapup + sum.StuckOpen
	c.m.backfilled.Add(float64(written))
	c.m.backfills.WithLabelValues(map[bool]string{true: "ok", false: "error"}[err == nil]).Inc()
	c.setStatus(func(st *EventStatus) {
		st.LastBackfill, st.Backfilled = now, st.Backfilled+written
		if err != nil {
			st.LastError = err.Error()
		}
	})
	if err != nil {
		c.o.Logger.Warn("interactions: events: backfill failed; the periodic sync covers the gap", "reason", g.reason, "err", err)
	} else {
		c.o.Logger.Info("interactions: events: backfilled", "reason", g.reason, "from", from, "conversations", sum.Conversations, "written", written)
	}
	if c.onBackfill != nil {
		c.onBackfill(sum, err)
	}
}

// loadMark reads the last-event time a previous process (or replica)
// stored; without one the backfill reaches InitialBackfill back.
func (c *EventConsumer) loadMark(ctx context.Context, now time.Time) time.Time {
	sctx, cancel := context.WithTimeout(ctx, c.s.o.WriteTimeout)
	raw, found, err := c.svc.opts.SJ.GetSyncState(sctx, c.o.StateName)
	cancel()
	c.svc.count(SystemServiceJourney, appbase.OpGetSyncState, err)
	if err == nil && found {
		if t, perr := time.Parse(time.RFC3339Nano, raw); perr == nil {
			return t
		}
		c.o.Logger.Warn("interactions: events: stored last-event time is not an ISO-8601 time; backfilling from interactions.events initial backfill", "name", c.o.StateName)
	}
	return now.Add(-c.o.InitialBackfill)
}

// storeMark keeps the last-event time in ServiceJourney, at most every
// MarkInterval unless force.
func (c *EventConsumer) storeMark(ctx context.Context, force bool) {
	c.mu.Lock()
	last, stored := c.last, c.stored
	c.mu.Unlock()
	if last.IsZero() || !last.After(stored) || (!force && last.Sub(stored) < c.o.MarkInterval && !stored.IsZero()) {
		return
	}
	sctx, cancel := context.WithTimeout(ctx, c.s.o.WriteTimeout)
	err := c.svc.opts.SJ.SetSyncState(sctx, c.o.StateName, last.UTC().Format(appbase.TimeLayout))
	cancel()
	c.svc.count(SystemServiceJourney, appbase.OpSetSyncState, err)
	if err != nil {
		c.o.Logger.Warn("interactions: events: could not store the last-event time", "err", err)
		return
	}
	c.mu.Lock()
	if last.After(c.stored) {
		c.stored = last
	}
	c.mu.Unlock()
}

// backfill logs the conversations that started in [from, now), plus the
// given open ones and the sync job's pending ones by id, with the job's own
// record building and fingerprints. It never stores the job's state: the
// periodic run owns the watermark. It waits for a run in progress.
func (s *Syncer) backfill(ctx context.Context, from time.Time, open map[string]time.Time) (SyncSummary, error) {
	release, err := s.job.Hold(ctx)
	if err != nil {
		return SyncSummary{}, err
	}
	defer release()
	now := s.o.Now()
	sum := SyncSummary{Started: now, From: from, To: now}
	if s.svc.opts.Agents.Report() == nil {
		return sum, &SyncError{Stage: "usermap", Err: ErrNoUserMap}
	}
	byID := maps.Clone(open)
	if byID == nil {
		byID = map[string]time.Time{}
	}
	sctx, cancel := context.WithTimeout(ctx, s.o.WriteTimeout)
	raw, found, err := s.svc.opts.SJ.GetSyncState(sctx, s.o.StateName)
	cancel()
	s.svc.count(SystemServiceJourney, appbase.OpGetSyncState, err)
	if err == nil && found && raw != "" {
		if st, derr := decodeState(s.o.StateName, raw); derr == nil {
			for id, t := range st.Pending {
				byID[id] = t
			}
		}
	}
	// A millisecond past now: the interval is half-open and a conversation
	// may have started this very millisecond.
	convs, err := s.query(ctx, from, now.Add(time.Millisecond), byID)
	if err != nil {
		return sum, &SyncError{Stage: "genesys", Err: err}
	}
	sum.Conversations = len(convs)
	run := catchUp{now: now, pending: map[string]time.Time{}, unchecked: map[string]time.Time{}}
	s.process(ctx, convs, &run, &sum)
	sum.Finished = s.o.Now()
	sum.OK = sum.Failed == 0
	return sum, nil
}
