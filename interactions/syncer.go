package interactions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/patrickmn/go-cache"
	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/internal/loadonce"
	"dcmconnect/internal/periodic"
)

// SyncOptions configure the interaction sync job.
type SyncOptions struct {
	// Service supplies the clients, the user map and the record building. Required.
	Service *Service
	// StateName is the GETSYNCSTATE/SETSYNCSTATE NAME (default "interactions").
	StateName string
	// InitialLookback is how far back the first run reaches, when ServiceJourney
	// holds no state yet (interactions.initialLookback, default 24h).
	InitialLookback time.Duration
	// Lag keeps the newest minutes out of a run: analytics shows a
	// conversation shortly after it starts, and one missing from the query
	// must not fall behind the watermark (default 2m).
	Lag time.Duration
	// Overlap: each run queries again the last Overlap before the stored
	// watermark, so a conversation analytics shows only after the watermark
	// passed its start is still logged (and counted in SyncSummary.Late).
	// Upserts make re-logging the overlap harmless, and records unchanged
	// since this process wrote them are skipped (interactions.syncLag,
	// default 10m; negative: no overlap).
	Overlap time.Duration
	// WrapupGrace is how long an ended conversation waits for its ACD agents'
	// wrap-up before it is logged as final without one (default 1h).
	WrapupGrace time.Duration
	// MaxPending caps the conversations listed by id in the stored state
	// (default 50, about 3,500 characters); beyond it the watermark stays
	// back instead. The ServiceJourney VALUE column must hold that much.
	MaxPending int
	// MaxPendingAge drops a pending conversation analytics no longer returns
	// once it started this long ago (default 7 days), with a warning.
	MaxPendingAge time.Duration
	// MaxOpenAge: a conversation still open this long after it started is
	// taken as stuck (Genesys leaves some without an end). It is logged as it
	// stands, not final, and no longer waited for, so it cannot hold the
	// watermark back for ever (interactions.maxOpenAge, default 48h).
	MaxOpenAge time.Duration
	// QueryWindow is the longest interval one analytics query covers; longer
	// catch-ups are split (default 24h).
	QueryWindow time.Duration
	// Writers is how many conversations are logged at once (each is one or
	// two AppBase calls: FINDPARTIES unless popped or cached, then
	// UPSERTINTERACTION). Default 32: at 60 ms a call that allows 266
	// first-time callers a second (53 % of the 500 the Genesys limit lets the
	// query read) and 533 repeat ones; 16 would allow 27 %, too little margin
	// for the 25 % goal, and 64 doubles what ServiceJourney serves at once
	// for no need. BenchmarkSyncWriters measured 32 writers at 113-255
	// conversations/s on a quiet machine. interactions.syncWriters; the
	// configuration allows at most 64 (config.MaxSyncWriters).
	Writers int
	// PartyCacheTTL is how long the party found for a phone number (or that
	// none or several were) is reused (default 5m; negative: not cached).
	PartyCacheTTL time.Duration
	// MaxWriteFailures: after this many failed writes in a row the run stops
	// writing (ServiceJourney is down), keeps the rest of the window pending,
	// stores the state and ends (default 3).
	MaxWriteFailures int
	// MaxWindowsPerRun caps the QueryWindow chunks one run works through, so
	// a long catch-up (after an outage) cannot keep one run going for hours;
	// the state is stored after every window and the next run goes on from
	// there (SyncSummary.More; Run then waits only RetryInterval). Default 7
	// (a week of 24h windows); negative: no limit.
	MaxWindowsPerRun int
	// JobsAfter: a run reaching back further than this (a catch-up after an
	// outage, or a --since backfill) reads each window whose data analytics
	// jobs already hold through an asynchronous details job: 1,000
	// conversations a page instead of 100, logged and stored page by page
	// (default 24h; negative: never, always the synchronous query).
	JobsAfter time.Duration
	// JobPoll is the wait between status polls of a job (default 5s);
	// JobTimeout bounds how long a job may stay QUEUED or PENDING (default
	// 15m): past it the run fails with a genesys error and the next run
	// submits it again.
	JobPoll, JobTimeout time.Duration
	// QueryTimeout bounds one analytics query, all pages (default 5m);
	// WriteTimeout one ServiceJourney call (default 30s).
	QueryTimeout, WriteTimeout time.Duration
	// RetryInterval is the wait after a failed run in Run, when shorter than
	// the interval (default 1m).
	RetryInterval time.Duration
	Registerer    prometheus.Registerer
	Logger        *slog.Logger
	Now           func() time.Time
	// After waits between runs in Run; tests inject a channel they control.
	After func(time.Duration) <-chan time.Time
}

// Syncer is the interaction sync job (see the package doc for its design).
type Syncer struct {
	o    SyncOptions
	svc  *Service
	m    *syncMetrics
	job  *periodic.Job[SyncSummary]
	sent *cache.Cache // conversation id -> fingerprint of the last record written
	// parties: E.164 number -> the one party with it ("" for none or
	// several); concurrent writers share one FINDPARTIES per number.
	parties *loadonce.Cache[string, string]

	mu sync.Mutex // guards queriedFrom and queriedTo

	// [queriedFrom, queriedTo) are the starts this process has queried by
	// time and stored the state after (zero: none yet): a conversation found
	// there by a later overlap, that this process neither wrote nor kept
	// pending, was late in analytics.
	queriedFrom, queriedTo time.Time

	// onWindow, when set (tests), is called after each window is logged
	// with its interval and the number of conversations it held.
	onWindow func(lo, hi time.Time, held int)
	// pollAfter waits between job status polls (time.After; tests make it
	// answer at once). jobPage is the results page size (jobPageSize).
	pollAfter func(time.Duration) <-chan time.Time
	jobPage   int
}

// NewSyncer checks o and builds the job. It contacts nothing.
func NewSyncer(o SyncOptions) (*Syncer, error) {
	if o.Service == nil {
		return nil, errors.New("interactions: SyncOptions.Service is nil; pass the Service built by interactions.New")
	}
	for name, d := range map[string]time.Duration{"InitialLookback": o.InitialLookback, "Lag": o.Lag, "WrapupGrace": o.WrapupGrace, "JobPoll": o.JobPoll, "JobTimeout": o.JobTimeout,
		"MaxPendingAge": o.MaxPendingAge, "MaxOpenAge": o.MaxOpenAge, "QueryWindow": o.QueryWindow, "QueryTimeout": o.QueryTimeout, "WriteTimeout": o.WriteTimeout, "RetryInterval": o.RetryInterval} {
		if d < 0 {
			return nil, fmt.Errorf("interactions: SyncOptions.%s is %v; it must not be negative (0 takes the default)", name, d)
		}
	}
	if o.MaxPending < 0 || o.MaxWriteFailures < 0 || o.Writers < 0 {
		return nil, errors.New("interactions: SyncOptions.MaxPending, MaxWriteFailures and Writers must not be negative (0 takes the default)")
	}
	if o.Writers == 0 {
		o.Writers = 32
	}
	def := func(p *time.Duration, v time.Duration) {
		if *p == 0 {
			*p = v
		}
	}
	if o.StateName == "" {
		o.StateName = "interactions"
	}
	def(&o.InitialLookback, 24*time.Hour)
	def(&o.Lag, 2*time.Minute)
	def(&o.Overlap, 10*time.Minute)
	if o.Overlap < 0 {
		o.Overlap = 0
	}
	def(&o.WrapupGrace, time.Hour)
	def(&o.MaxPendingAge, 7*24*time.Hour)
	def(&o.MaxOpenAge, 48*time.Hour)
	def(&o.QueryWindow, 24*time.Hour)
	def(&o.QueryTimeout, 5*time.Minute)
	def(&o.WriteTimeout, 30*time.Second)
	def(&o.RetryInterval, time.Minute)
	def(&o.PartyCacheTTL, 5*time.Minute)
	def(&o.JobsAfter, 24*time.Hour)
	def(&o.JobPoll, 5*time.Second)
	def(&o.JobTimeout, 15*time.Minute)
	if o.MaxPending == 0 {
		o.MaxPending = 50
	}
	if o.MaxWriteFailures == 0 {
		o.MaxWriteFailures = 3
	}
	if o.MaxWindowsPerRun == 0 {
		o.MaxWindowsPerRun = 7
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.After == nil {
		o.After = time.After
	}
	return &Syncer{o: o, svc: o.Service, m: newSyncMetrics(o.Registerer), job: periodic.New[SyncSummary](o.Now),
		sent:      cache.New(24*time.Hour, time.Hour),
		parties:   loadonce.New[string, string](nil, loadonce.Options{Timeout: o.WriteTimeout, Now: o.Now, MaxEntries: 100_000, EvictWhenFull: true}),
		pollAfter: time.After, jobPage: jobPageSize}, nil
}

// SyncStatus is what the supervisor page shows about the job.
type SyncStatus = periodic.Status[SyncSummary]

// SyncError says which stage of a run failed: "usermap", "state" (reading
// or saving the watermark), "genesys" (the analytics query) or
// "servicejourney" (writing records).
type SyncError struct {
	Stage string
	Err   error
}

func (e *SyncError) Error() string { return "interaction sync (" + e.Stage + "): " + e.Err.Error() }
func (e *SyncError) Unwrap() error { return e.Err }

// RunOnce runs one sync from the stored watermark. Calls wait for a run in
// progress rather than overlapping it.
func (s *Syncer) RunOnce(ctx context.Context) (SyncSummary, error) { return s.RunSince(ctx, 0) }

// RunSince runs one sync that also re-logs every conversation started within
// since (0: from the watermark only), e.g. `dcmconnect sync interactions
// --since 2h`. When that window starts after the watermark, the run only
// adds records and leaves the watermark where it is, so nothing before the
// window is skipped.
func (s *Syncer) RunSince(ctx context.Context, since time.Duration) (SyncSummary, error) {
	if since < 0 {
		return SyncSummary{}, &InputError{Field: "--since", Problem: fmt.Sprintf("is %v; give a positive duration such as 2h", since)}
	}
	started, err := s.job.Begin(ctx)
	if err != nil {
		return SyncSummary{}, err
	}
	sum := SyncSummary{Started: started, Since: since}
	err = s.run(ctx, &sum)

	sum.Finished = s.o.Now()
	sum.DurationSeconds = sum.Finished.Sub(sum.Started).Seconds()
	sum.OK = err == nil
	if err != nil {
		sum.Error = err.Error()
	}
	s.record(sum, err)
	return sum, err
}

func (s *Syncer) run(ctx context.Context, sum *SyncSummary) error {
	if s.svc.opts.Agents.Report() == nil {
		return &SyncError{Stage: "usermap", Err: ErrNoUserMap}
	}
	now := sum.Started
	// Millisecond precision: that is what the stored state and the query
	// interval carry, so the next run starts exactly where this one ended.
	to := now.Add(-s.o.Lag).Truncate(time.Millisecond)

	sctx, cancel := context.WithTimeout(ctx, s.o.WriteTimeout)
	raw, found, err := s.svc.opts.SJ.GetSyncState(sctx, s.o.StateName)
	cancel()
	s.svc.count(SystemServiceJourney, appbase.OpGetSyncState, err)
	if err != nil {
		return &SyncError{Stage: "state", Err: &UpstreamError{System: SystemServiceJourney, Op: appbase.OpGetSyncState, Err: err}}
	}
	st := syncState{Watermark: now.Add(-s.o.InitialLookback).UTC(), Pending: map[string]time.Time{}}
	if found && raw != "" {
		if st, err = decodeState(s.o.StateName, raw); err != nil {
			return &SyncError{Stage: "state", Err: err}
		}
	}
	sum.PreviousWatermark = st.Watermark

	// The interval queried by start time; a --since window that starts after
	// the watermark must not move it (what lies between was not looked at).
	from, save := st.Watermark, true
	if sum.Since > 0 {
		if f := now.Add(-sum.Since); f.After(st.Watermark) {
			from, save = f, false
		} else {
			from = f
		}
	}
	// The first window reaches Overlap further back, for conversations
	// analytics showed late; the windows after it keep their boundaries.
	start := from
	if sum.Since == 0 {
		start = from.Add(-s.o.Overlap)
	}
	sum.From, sum.To = start, start

	c := catchUp{
		now: now, stored: raw, found: found, mark: st.Watermark,
		pending:   maps.Clone(st.Pending),
		unchecked: maps.Clone(st.Pending),
		stale:     st.Pending,
	}
	if s.o.JobsAfter > 0 && to.Sub(from) > s.o.JobsAfter { // the overlap does not count
		c.jobsUntil = s.jobsAvailable(ctx)
		// A backfill: remember written records only where the next run's
		// overlap looks again, so a long one does not fill memory.
		c.recent = to.Add(-s.o.Overlap)
	}
	s.mu.Lock()
	c.seenFrom, c.seenTo = s.queriedFrom, earliest(s.queriedTo, st.Watermark)
	s.mu.Unlock()
	// Window by window: query, log, store the state. Only one window's
	// conversations are held at a time, and a failure (or a slow window)
	// costs at most the window in progress: the next run starts from the
	// last stored state.
	var stop error
	for lo, first := from, true; first || lo.Before(to); first = false {
		if !first && s.o.MaxWindowsPerRun > 0 && sum.Windows >= s.o.MaxWindowsPerRun {
			sum.More = true
			break
		}
		if !first && ctx.Err() != nil {
			stop = ctx.Err()
			break
		}
		hi := earliest(lo.Add(s.o.QueryWindow), to)
		qlo := lo
		var byID map[string]time.Time
		if first {
			byID = st.Pending // pending ones are fetched by id once, with the first window
			qlo = sum.From
		}
		if stop = s.window(ctx, &c, qlo, hi, byID, save, sum); stop != nil {
			break
		}
		if c.stopped(ctx, s.o.MaxWriteFailures) {
			stop = ctx.Err() // nil when ServiceJourney failed: the write error says so
			break
		}
		lo = hi
	}
	if sum.Failed > 0 {
		s.m.convs.WithLabelValues("failed").Add(float64(sum.Failed))
		if c.lastErr == nil {
			c.lastErr = ctx.Err()
		}
		// The stop reason first: it names the stage the run ended in.
		return errors.Join(stop, &SyncError{Stage: "servicejourney", Err: fmt.Errorf("%d conversation(s) could not be logged and stay pending for the next run: %w", sum.Failed,
			&UpstreamError{System: SystemServiceJourney, Op: appbase.OpUpsertInteraction, Err: c.lastErr})})
	}
	return stop
}

// catchUp is what one run carries from window to window.
type catchUp struct {
	now time.Time
	// stored is the state as ServiceJourney holds it (found: it holds one).
	stored string
	found  bool
	// mark is the watermark read at the start: a window never moves it back.
	mark time.Time
	// hold is where MaxPending held the watermark back in this run (zero:
	// not held); later windows may not move it past that point, since the
	// conversations left out of the pending list start after it.
	hold time.Time
	// pending is the pending set as it stands after the windows so far;
	// unchecked the stored pending ones no window has covered yet.
	pending, unchecked map[string]time.Time
	// failures counts failed writes in a row, across windows.
	failures int
	lastErr  error
	// stale is the pending set as stored at the start; [seenFrom, seenTo)
	// the starts this process queried by time in earlier runs. Found there,
	// neither written by this process nor stale, a conversation is late.
	stale            map[string]time.Time
	seenFrom, seenTo time.Time
	// recent: final records of conversations started before it are not
	// remembered (a backfill through analytics jobs sets it; zero: all are).
	recent time.Time
	// jobsUntil: windows ending by then are read through analytics jobs
	// (zero: none are).
	jobsUntil time.Time
}

// late: analytics did not return c when this process queried its start.
func (s *Syncer) late(run *catchUp, c *genesys.AnalyticsConversation) bool {
	if c.ConversationStart.Before(run.seenFrom) || !c.ConversationStart.Before(run.seenTo) {
		return false
	}
	if _, ok := run.stale[c.ConversationID]; ok {
		return false
	}
	_, sent := s.sent.Get(c.ConversationID)
	return !sent
}

// stopped: writing stopped (ServiceJourney is down, or we are shutting down).
func (c *catchUp) stopped(ctx context.Context, maxFailures int) bool {
	return ctx.Err() != nil || c.failures >= maxFailures
}

// window queries the conversations that started in [lo, hi) (plus byID, the
// stored pending ones that started before lo), logs them and, if save,
// stores the state with the watermark at hi (or where MaxPending holds it).
// A non-nil error stops the run.
func (s *Syncer) window(ctx context.Context, c *catchUp, lo, hi time.Time, byID map[string]time.Time, save bool, sum *SyncSummary) error {
	if !c.jobsUntil.IsZero() && !hi.After(c.jobsUntil) {
		return s.jobWindow(ctx, c, lo, hi, byID, save, sum)
	}
	convs, err := s.query(ctx, lo, hi, byID)
	if err != nil {
		return &SyncError{Stage: "genesys", Err: err}
	}
	sum.Conversations += len(convs)
	s.process(ctx, convs, c, sum)
	if s.onWindow != nil {
		s.onWindow(lo, hi, len(convs))
	}
	sum.Windows++
	return s.checkpoint(ctx, c, lo, hi, save, sum)
}

// checkpoint stores the state once the conversations that started in [lo,
// hi) are logged: the watermark at hi (or where MaxPending holds it), if
// save. A job window checkpoints after each page too.
func (s *Syncer) checkpoint(ctx context.Context, c *catchUp, lo, hi time.Time, save bool, sum *SyncSummary) error {
	// Stored pending conversations this window covered but analytics did not
	// return stay pending unless they are too old to ever come back.
	covered := hi
	if lo.After(covered) {
		covered = lo // the first window also covers everything fetched by id
	}
	for id, start := range c.unchecked {
		if !start.Before(covered) {
			continue
		}
		delete(c.unchecked, id)
		if _, ok := c.pending[id]; ok && c.now.Sub(start) > s.o.MaxPendingAge {
			delete(c.pending, id)
			sum.Dropped++
			s.m.convs.WithLabelValues("dropped").Inc()
			s.o.Logger.Warn("interactions: dropping a pending conversation analytics no longer returns", "conversation", id, "start", start)
		}
	}

	mark := c.mark
	if hi.After(mark) {
		mark = hi
	}
	next := syncState{Watermark: mark, Pending: c.pending}
	next.capPending(s.o.MaxPending) // drops only conversations after the watermark it sets
	if !c.hold.IsZero() {
		next.Watermark = earliest(next.Watermark, c.hold)
	}
	if next.Watermark.Before(mark) {
		c.hold = next.Watermark
	}
	sum.To = hi
	sum.Pending = len(next.Pending)
	if !save {
		return nil
	}
	if enc := next.encode(); !c.found || enc != c.stored {
		sctx, cancel := context.WithTimeout(ctx, s.o.WriteTimeout)
		err := s.svc.opts.SJ.SetSyncState(sctx, s.o.StateName, enc)
		cancel()
		s.svc.count(SystemServiceJourney, appbase.OpSetSyncState, err)
		if err != nil {
			// What this window wrote is redone by the next run, from the
			// state last stored.
			sum.StateSaved = false
			return &SyncError{Stage: "state", Err: &UpstreamError{System: SystemServiceJourney, Op: appbase.OpSetSyncState, Err: err}}
		}
		c.stored, c.found = enc, true
	}
	s.mu.Lock()
	if s.queriedFrom.IsZero() || lo.Before(s.queriedFrom) {
		s.queriedFrom = lo
	}
	if hi.After(s.queriedTo) {
		s.queriedTo = hi
	}
	s.mu.Unlock()
	sum.Watermark, sum.StateSaved = next.Watermark, true
	s.m.pending.Set(float64(len(next.Pending)))
	s.m.watermark.Set(float64(next.Watermark.UnixNano()) / 1e9)
	return nil
}

// query lists the conversations that started in [from, to), plus the pending
// ones (by id) that started before from. Sorted by start.
func (s *Syncer) query(ctx context.Context, from, to time.Time, pending map[string]time.Time) ([]genesys.AnalyticsConversation, error) {
	var out []genesys.AnalyticsConversation
	have := map[string]bool{}
	add := func(cs []genesys.AnalyticsConversation, lo, hi time.Time) {
		for _, c := range cs {
			// The API may return whole days touched by the interval (docs/upstreams.md):
			// keep only what started inside it, once.
			if c.ConversationStart.Before(lo) || !c.ConversationStart.Before(hi) || have[c.ConversationID] {
				continue
			}
			have[c.ConversationID] = true
			out = append(out, c)
		}
	}
	if from.Before(to) {
		cs, err := s.details(ctx, from, to, nil)
		if err != nil {
			return nil, err
		}
		add(cs, from, to)
	}
	var ids []string
	oldest := from
	for id, start := range pending {
		if start.Before(from) && !have[id] {
			ids = append(ids, id)
			oldest = earliest(oldest, start)
		}
	}
	sort.Strings(ids)
	// Ids go in "or" predicates; 50 a query keeps the body small (the API's
	// limit on predicates is not documented).
	for len(ids) > 0 {
		n := min(len(ids), 50)
		cs, err := s.details(ctx, oldest, from, ids[:n])
		if err != nil {
			return nil, err
		}
		add(cs, oldest, from)
		ids = ids[n:]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ConversationStart.Before(out[j].ConversationStart) })
	return out, nil
}

func (s *Syncer) details(ctx context.Context, from, to time.Time, ids []string) ([]genesys.AnalyticsConversation, error) {
	q := &genesys.ConversationQuery{
		Interval: from.UTC().Format(appbase.TimeLayout) + "/" + to.UTC().Format(appbase.TimeLayout),
		Order:    "asc", OrderBy: "conversationStart",
		Paging: &genesys.PagingSpec{PageSize: 100, PageNumber: 1},
	}
	if len(ids) > 0 {
		f := genesys.DetailFilter{Type: "or"}
		for _, id := range ids {
			f.Predicates = append(f.Predicates, genesys.DetailPredicate{Type: "dimension", Dimension: "conversationId", Operator: "matches", Value: id})
		}
		q.ConversationFilters = []genesys.DetailFilter{f}
	}
	qctx, cancel := context.WithTimeout(ctx, s.o.QueryTimeout)
	defer cancel()
	cs, err := s.svc.opts.Genesys.Analytics.QueryAllConversationDetails(qctx, q)
	s.svc.count(SystemGenesys, "analytics_details_query", err)
	if err != nil {
		return nil, &UpstreamError{System: SystemGenesys, Op: "analytics conversation details query", Err: err}
	}
	return cs, nil
}

// process logs one window's conversations and updates the pending set:
// each one leaves it unless it is still to be waited for. Up to Writers
// conversations are logged at once (their AppBase calls are the run's
// critical path); failed writes are counted in sum.Failed and run.failures.
func (s *Syncer) process(ctx context.Context, convs []genesys.AnalyticsConversation, run *catchUp, sum *SyncSummary) {
	var (
		mu sync.Mutex // guards run and sum while writers run
		wg sync.WaitGroup
	)
	slots := make(chan struct{}, s.o.Writers)
	for i := range convs {
		c := &convs[i]
		mu.Lock()
		if s.late(run, c) {
			sum.Late++
			s.m.convs.WithLabelValues("late").Inc()
			s.o.Logger.Info("interactions: conversation shown by analytics after the watermark passed its start; logging it now (interactions.syncLag covers this delay)",
				"conversation", c.ConversationID, "start", c.ConversationStart, "behindWatermark", run.mark.Sub(c.ConversationStart).String())
		}
		delete(run.unchecked, c.ConversationID)
		delete(run.pending, c.ConversationID)
		stopped := run.stopped(ctx, s.o.MaxWriteFailures)
		if stopped {
			// Stopped: ServiceJourney is down (or we are shutting down).
			run.pending[c.ConversationID] = c.ConversationStart
			sum.Failed++
		}
		mu.Unlock()
		if stopped {
			continue
		}
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-slots; wg.Done() }()
			s.logOne(ctx, c, run, sum, &mu)
		}()
	}
	wg.Wait()
}

// logOne logs one conversation; mu guards run and sum.
func (s *Syncer) logOne(ctx context.Context, c *genesys.AnalyticsConversation, run *catchUp, sum *SyncSummary, mu *sync.Mutex) {
	now := run.now
	keep := func() { run.pending[c.ConversationID] = c.ConversationStart }
	r := s.svc.fromAnalytics(ctx, c)
	stuck := r.open && now.Sub(c.ConversationStart) >= s.o.MaxOpenAge
	if r.open && !stuck {
		mu.Lock()
		keep()
		sum.Open++
		mu.Unlock()
		s.m.convs.WithLabelValues("open").Inc()
		return
	}
	if stuck {
		s.o.Logger.Warn("interactions: conversation open longer than interactions.maxOpenAge; logging it as it stands and no longer waiting for its end",
			"conversation", c.ConversationID, "start", c.ConversationStart)
	}
	final := !stuck && (!r.awaitingWrapup || now.Sub(c.ConversationEnd) >= s.o.WrapupGrace)
	unmapped := false
	if r.agentGenesysID != "" {
		if sj, err := s.svc.agent(ctx, r.agentGenesysID); err == nil {
			r.in.AgentUserID = sj.ID
		} else {
			unmapped = true
			// The agent may be mapped by a later user sync (or a lookup
			// failed for a moment): write what we have, but look again
			// on the next runs, within the same grace as a wrap-up.
			if final && !stuck && now.Sub(c.ConversationEnd) < s.o.WrapupGrace {
				final = false
			}
		}
	}
	held := !final && !stuck // stays pending whatever the write does
	mu.Lock()
	if unmapped {
		sum.UnmappedAgents++
	}
	if held {
		keep()
	}
	mu.Unlock()
	r.in.Fields = s.svc.mapFields(r.in, r.src) // in the fingerprint: a changed attribute is written
	fp := fingerprint(r.in)
	if v, ok := s.sent.Get(c.ConversationID); ok && v.(uint64) == fp {
		mu.Lock()
		sum.Unchanged++
		mu.Unlock()
		s.m.convs.WithLabelValues("unchanged").Inc()
		return
	}
	s.linkRecords(ctx, c.ConversationID, &r)
	r.in.Fields = s.svc.mapFields(r.in, r.src) // again, with the party and case
	wctx, cancel := context.WithTimeout(ctx, s.o.WriteTimeout)
	_, err := s.svc.opts.SJ.UpsertInteraction(wctx, r.in)
	cancel()
	s.svc.count(SystemServiceJourney, appbase.OpUpsertInteraction, err)
	kind := map[bool]string{true: "final", false: "partial"}[final]
	mu.Lock()
	defer mu.Unlock()
	if err != nil {
		s.svc.m.writes.WithLabelValues("sync", kind, "error").Inc()
		keep()
		run.failures++
		sum.Failed++
		run.lastErr = err
		s.o.Logger.Warn("interactions: could not log a conversation; it stays pending", "conversation", c.ConversationID, "err", err)
		return
	}
	run.failures = 0
	s.svc.m.writes.WithLabelValues("sync", kind, "ok").Inc()
	// Remembered only where a later run looks at it again (pending, or in
	// the next run's overlap), so a long backfill does not fill memory.
	if held || !c.ConversationStart.Before(run.recent) {
		s.sent.SetDefault(c.ConversationID, fp)
	}
	switch {
	case stuck:
		sum.StuckOpen++
		s.m.convs.WithLabelValues("stuck_open").Inc()
	case final:
		sum.Final++
		s.m.convs.WithLabelValues("final").Inc()
	default:
		sum.AwaitingWrapup++
		s.m.convs.WithLabelValues("awaiting_wrapup").Inc()
	}
}

// linkRecords sets the party (and case) the record belongs to: the one the
// agent page popped or chose in this process (none after "not this
// customer": ForgetRecord), else the single party with the
// customer's number. Several or none leave it empty, which the upsert does
// not write, so a choice the agent made on the page is kept. The answer for
// a number is kept for PartyCacheTTL, so a repeat caller costs one AppBase
// call (the upsert), not two.
func (s *Syncer) linkRecords(ctx context.Context, conversationID string, r *analyticsRecord) {
	if ids, decided := s.svc.chosen(conversationID); decided {
		r.in.PartyID, r.in.CaseID = ids.PartyID, ids.CaseID
		return
	}
	if r.e164 == "" {
		return
	}
	id, _, err := s.parties.Load(ctx, r.e164, func(fctx context.Context) (string, time.Duration, error) {
		parties, err := s.svc.opts.SJ.FindParties(fctx, appbase.PartyQuery{Phone: r.e164})
		s.svc.count(SystemServiceJourney, appbase.OpFindParties, err)
		if err != nil {
			return "", 0, err // not kept: the next conversation asks again
		}
		if len(parties) == 1 {
			return parties[0].ID, max(s.o.PartyCacheTTL, 0), nil
		}
		return "", max(s.o.PartyCacheTTL, 0), nil
	})
	if err == nil {
		r.in.PartyID = id
	}
}

// fingerprint identifies a record's content, to skip rewriting an unchanged
// one within a process (a pending conversation is seen every run). It hashes
// every input the upsert would send, in a fixed order, without building the
// parameter map: two records that would send different inputs differ.
func fingerprint(in appbase.Interaction) uint64 {
	h := uint64(fnvOffset64)
	for _, v := range [...]string{in.ConversationID, in.Direction, in.MediaType, in.ANI, in.DNIS, in.QueueID, in.QueueName,
		in.AgentUserID, in.WrapupCode, in.WrapupName, in.WrapupNotes, in.PartyID, in.CaseID} {
		h = fnvString(h, v)
	}
	for _, t := range [...]time.Time{in.Start, in.End} {
		ms := int64(0)
		if !t.IsZero() {
			ms = t.UnixMilli() // what the record stores (appbase.TimeLayout)
		}
		h = fnvUint(h, uint64(ms))
	}
	h = fnvUint(h, uint64(in.DurationSeconds))
	for _, b := range [...]bool{in.ClearPartyID, in.ClearCaseID} {
		v := uint64(0)
		if b {
			v = 1
		}
		h = fnvUint(h, v)
	}
	var buf [16]string
	keys := buf[:0]
	for k, v := range in.Fields {
		if v != "" { // empty fields are not sent
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		h = fnvString(fnvString(h, k), in.Fields[k])
	}
	return h
}

// FNV-1a, 64 bit, over strings and numbers without converting them to bytes.
const (
	fnvOffset64 = 14695981039346656037
	fnvPrime64  = 1099511628211
)

// fnvString hashes s's length, then its bytes, so ("ab", "") and ("a",
// "b") differ.
func fnvString(h uint64, s string) uint64 {
	h = fnvUint(h, uint64(len(s)))
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime64
	}
	return h
}

func fnvUint(h, v uint64) uint64 {
	for range 8 {
		h = (h ^ (v & 0xff)) * fnvPrime64
		v >>= 8
	}
	return h
}

func (s *Syncer) record(sum SyncSummary, err error) {
	outcome := "success"
	var se *SyncError
	switch {
	case err == nil:
	case errors.Is(err, context.Canceled):
		outcome = "canceled"
	case errors.As(err, &se) && se.Stage == "servicejourney" && sum.StateSaved:
		outcome = "partial" // some writes failed; they are pending, nothing is lost
	case errors.As(err, &se):
		outcome = se.Stage + "_error"
	default:
		outcome = "error"
	}
	s.m.runs.WithLabelValues(outcome).Inc()
	s.m.duration.Set(sum.DurationSeconds)
	s.job.End(sum, sum.Finished, err)
	switch {
	case err == nil:
		s.m.lastSuccess.Set(float64(sum.Finished.UnixNano()) / 1e9)
		s.o.Logger.Info("interactions: sync ok", "summary", sum.String())
	case outcome == "canceled":
		s.o.Logger.Info("interactions: sync canceled", "err", err)
	default:
		s.o.Logger.Error("interactions: sync failed", "outcome", outcome, "err", err, "summary", sum.String())
	}
}

// LastRun reports the job's state for the supervisor page.
func (s *Syncer) LastRun() SyncStatus { return s.job.Status() }

// Run syncs now and then every interval (from the end of one run to the start
// of the next, so runs never overlap) until ctx is done. After a failed run
// (or one that left a backlog for the next, SyncSummary.More) the next comes
// after RetryInterval when that is shorter.
func (s *Syncer) Run(ctx context.Context, interval time.Duration) error {
	if interval <= 0 {
		return fmt.Errorf("interactions: sync interval %v is not positive; set interactions.syncInterval, e.g. 5m", interval)
	}
	s.job.Every(ctx, s.o.After, func(ctx context.Context) time.Duration {
		sum, err := s.RunOnce(ctx)
		if err != nil || sum.More { // failed, or a catch-up stopped at MaxWindowsPerRun
			return min(interval, s.o.RetryInterval)
		}
		return interval
	})
	return nil
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
