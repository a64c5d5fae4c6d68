package usermap

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/loadonce"
)

// StoreOptions configures a Store. Zero values take the defaults noted.
type StoreOptions struct {
	// Genesys answers the targeted lookup for a user who appeared since the
	// last sync. Nil disables targeted lookups (misses stay misses).
	Genesys GenesysDirectory
	// NegativeTTL: how long "no such active user" (or a failed lookup) is
	// remembered. Default 1 minute.
	NegativeTTL time.Duration
	// LookupTimeout bounds one targeted lookup. Default 10 s.
	LookupTimeout time.Duration
	// WriteTimeout bounds SetExplicit's write to ServiceJourney. Default 30 s.
	WriteTimeout time.Duration
	// MaxCached caps remembered targeted lookups per map. Default 10,000.
	MaxCached  int
	Now        func() time.Time
	Registerer prometheus.Registerer
	Logger     *slog.Logger
}

// Store serves the user map from memory. Readers never lock: the map is one
// immutable snapshot behind an atomic pointer, replaced whole.
type Store struct {
	opts StoreOptions
	m    *storeMetrics
	cur  atomic.Pointer[snapshot]

	mu        sync.Mutex // serialises Replace and Set
	overrides []override // explicit mappings written since the data in cur was read

	// change serialises the changes people ask for (SetExplicit and the
	// confirmed, ignore and clear forms): each checks the map in service for
	// links it takes away, writes, and puts the result in service before the
	// next one checks, so two supervisors confirming different take-overs
	// at once cannot both pass a check the other one invalidates.
	change sync.Mutex
	// changeWaits, when set (tests), is called as a change starts to wait
	// for s.change.
	changeWaits func()
}

// snapshot is one published map plus what was learnt about users who appeared
// after it was built. A new snapshot starts with an empty cache.
type snapshot struct {
	report *Report
	cache  *loadonce.Cache[string, cached] // normalised Genesys id
}

type cached struct {
	entry Entry
	found bool
}

// override is an explicit mapping written through Set, re-applied to a sync
// whose data was read before the write.
type override struct {
	sjID      string // as in the snapshot
	genesysID string // "" clears
	extra     *GenesysUser
	at        time.Time
}

// NewStore returns an empty Store: every Lookup misses until Replace.
func NewStore(opts StoreOptions) *Store {
	if opts.NegativeTTL <= 0 {
		opts.NegativeTTL = time.Minute
	}
	if opts.LookupTimeout <= 0 {
		opts.LookupTimeout = 10 * time.Second
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = 30 * time.Second
	}
	if opts.MaxCached <= 0 {
		opts.MaxCached = 10_000
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Store{opts: opts, m: newStoreMetrics(opts.Registerer)}
}

// Report returns the map in service, nil before the first Replace.
func (s *Store) Report() *Report {
	if snap := s.cur.Load(); snap != nil {
		return snap.report
	}
	return nil
}

// Lookup returns the entry of a Genesys user. The bool is false when the map
// knows no active Genesys user with this id (or no sync has succeeded yet);
// an unmatched or conflicting user is found, with that status.
//
// A user missing from the map gets one targeted lookup (GenesysDirectory.User
// matched against the map's ServiceJourney users), shared by concurrent
// callers and remembered until the next map; "not found" and failures are
// remembered for NegativeTTL.
func (s *Store) Lookup(ctx context.Context, genesysUserID string) (Entry, bool) {
	snap := s.cur.Load()
	if snap == nil {
		s.m.lookups.noMap.Inc()
		return Entry{}, false
	}
	if e, ok := snap.report.ByGenesysID(genesysUserID); ok {
		s.m.lookups.hit.Inc()
		return e, true
	}
	k := key(genesysUserID)
	if k == "" || s.opts.Genesys == nil {
		s.m.lookups.miss.Inc()
		return Entry{}, false
	}
	c, hit, err := snap.cache.Load(ctx, k, func(ctx context.Context) (cached, time.Duration, error) {
		return s.targeted(ctx, snap, genesysUserID)
	})
	if err != nil { // the caller gave up waiting
		return Entry{}, false
	}
	if hit {
		s.m.lookups.cached.Inc()
	}
	return c.entry, c.found
}

// targeted runs the one lookup for a miss, on the cache's own bounded
// context (other callers may be waiting on it). A user found is kept until
// the next map; "not found" and failures for NegativeTTL.
func (s *Store) targeted(ctx context.Context, snap *snapshot, id string) (cached, time.Duration, error) {
	negative := s.opts.NegativeTTL
	u, err := s.opts.Genesys.User(ctx, id)
	switch {
	case errors.Is(err, ErrNotFound):
		s.m.lookups.notFound.Inc()
		return cached{}, negative, nil
	case err != nil:
		s.m.lookups.failed.Inc()
		s.opts.Logger.Warn("usermap: targeted Genesys user lookup failed", "genesysUserId", id, "err", err)
		return cached{}, negative, nil
	}
	e, ok := snap.report.idx.matchNew(u)
	if !ok || key(u.ID) != key(id) {
		s.m.lookups.notFound.Inc()
		return cached{}, negative, nil
	}
	s.m.lookups.found.Inc()
	return cached{entry: e, found: true}, loadonce.Forever, nil
}

// Replace puts a freshly built report in service, whole. Explicit mappings
// written through Set after r.GeneratedAt (when its data was read) are applied
// on top, so a sync that raced a supervisor's fix does not undo it.
func (s *Store) Replace(r *Report) {
	if r == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := s.overrides[:0]
	for _, o := range s.overrides {
		if !r.GeneratedAt.IsZero() && !o.at.Before(r.GeneratedAt) {
			keep = append(keep, o)
		}
	}
	s.overrides = keep
	if len(keep) > 0 {
		r = withOverrides(r, keep)
	}
	s.publish(r)
}

func (s *Store) publish(r *Report) {
	s.cur.Store(&snapshot{report: r, cache: loadonce.New[string, cached](nil, loadonce.Options{
		Timeout: s.opts.LookupTimeout, Now: s.opts.Now, MaxEntries: s.opts.MaxCached,
	})})
	for _, st := range Statuses {
		s.m.users.WithLabelValues("genesys", string(st)).Set(float64(r.GenesysCounts[st]))
		s.m.users.WithLabelValues("servicejourney", string(st)).Set(float64(r.SJCounts[st]))
	}
	s.m.users.WithLabelValues("servicejourney", string(StatusIgnored)).Set(float64(r.SJCounts[StatusIgnored]))
}

// Set records that ServiceJourney user sjUserID now has PureCloud_UserId
// genesysUserID ("" clears it) and rebuilds the map in service, so the change
// and its knock-on effects (a resolved conflict, say) show at once. Call it
// after the write succeeded; SetExplicit does both.
func (s *Store) Set(sjUserID, genesysUserID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	snap := s.cur.Load()
	if snap == nil {
		return ErrNoSnapshot
	}
	o, err := s.validate(snap, sjUserID, genesysUserID)
	if err != nil {
		return err
	}
	o.at = s.opts.Now()
	s.overrides = append(s.overrides, o)
	s.publish(withOverrides(snap.report, []override{o}))
	return nil
}

// validate checks both ids against the map in service (and, for Genesys,
// users found by targeted lookups since).
func (s *Store) validate(snap *snapshot, sjUserID, genesysUserID string) (override, error) {
	x := snap.report.idx
	si, ok := x.sByID[key(sjUserID)]
	if !ok {
		return override{}, &UnknownUserError{System: "ServiceJourney", ID: sjUserID}
	}
	o := override{sjID: x.s[si].ID}
	if key(genesysUserID) == "" {
		return o, nil
	}
	if v := IgnoreValue(o.sjID); key(genesysUserID) == key(v) {
		o.genesysID = v
		return o, nil
	}
	if gi, ok := x.gByID[key(genesysUserID)]; ok {
		o.genesysID = x.g[gi].ID
		return o, nil
	}
	if c, _, ok := snap.cache.Peek(key(genesysUserID)); ok && c.found {
		u := *c.entry.GenesysUser
		o.genesysID, o.extra = u.ID, &u
		return o, nil
	}
	return override{}, &UnknownUserError{System: "Genesys", ID: genesysUserID}
}

// SetExplicit is the supervisor's fix: it checks both ids against the map in
// service, writes the mapping to ServiceJourney, then updates the map so the
// user shows "explicit" (or whatever the new id leads to) immediately. An
// empty genesysUserID clears the explicit mapping.
func (s *Store) SetExplicit(ctx context.Context, sj SJDirectory, sjUserID, genesysUserID string) error {
	s.change.Lock()
	defer s.change.Unlock()
	return s.setExplicit(ctx, sj, sjUserID, genesysUserID)
}

// setExplicit is SetExplicit; the caller holds s.change.
func (s *Store) setExplicit(ctx context.Context, sj SJDirectory, sjUserID, genesysUserID string) error {
	snap := s.cur.Load()
	if snap == nil {
		return ErrNoSnapshot
	}
	o, err := s.validate(snap, sjUserID, genesysUserID)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, s.opts.WriteTimeout)
	defer cancel()
	if err := sj.SetMapping(wctx, o.sjID, o.genesysID); err != nil {
		return fmt.Errorf("usermap: writing PureCloud_UserId %q for ServiceJourney user %s: %w", o.genesysID, o.sjID, err)
	}
	return s.Set(o.sjID, o.genesysID)
}

// withOverrides rebuilds r with the overrides applied to its inputs. It keeps
// r's GeneratedAt: the data is still as old as the sync that read it.
func withOverrides(r *Report, os []override) *Report {
	x := r.idx
	genesys := make([]GenesysUser, 0, len(x.g)+len(x.gInactive)+len(os))
	genesys = append(genesys, x.g...)
	for _, u := range x.gInactive {
		genesys = append(genesys, *u)
	}
	sj := append([]SJUser(nil), x.s...)
	for _, o := range os {
		if si, ok := x.sByID[key(o.sjID)]; ok {
			sj[si].PureCloudUserID = o.genesysID
		}
		if o.extra != nil {
			if _, known := x.gByID[key(o.extra.ID)]; !known {
				genesys = append(genesys, *o.extra)
			}
		}
	}
	nr := Build(genesys, sj)
	nr.GeneratedAt = r.GeneratedAt
	return nr
}
