// Package loadonce caches values that are slow or costly to fetch: each
// entry has its own lifetime, failures can be remembered briefly, and
// concurrent callers that miss share one fetch. The fetch runs on its own
// bounded context, so the first caller giving up does not fail the others.
package loadonce

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"dcmconnect/internal/deadline"
)

// Forever keeps an entry until it is dropped, replaced or evicted.
const Forever time.Duration = -1

// DefaultTimeout bounds one shared fetch when Options.Timeout is zero.
const DefaultTimeout = 30 * time.Second

// Func fetches the value of key. keep says how long the answer (value and
// error alike) is served from the cache: 0 not at all, Forever until dropped.
// Returning an error with keep > 0 is the brief failure memory that keeps a
// broken upstream from being asked by every caller.
type Func[K comparable, V any] func(ctx context.Context, key K) (v V, keep time.Duration, err error)

// Options tune a Cache. Zero values take the defaults noted.
type Options struct {
	// Timeout bounds one shared fetch. Default DefaultTimeout.
	Timeout time.Duration
	// Now is the clock entries expire by. Default time.Now.
	Now func() time.Time
	// MaxEntries caps the entries kept; 0: no cap. When full, expired
	// entries are dropped first; then the least recently used one goes if
	// EvictWhenFull, or else the new answer is served without being kept.
	MaxEntries    int
	EvictWhenFull bool
}

// Cache is a load-once cache. The zero value is not usable; call New.
type Cache[K comparable, V any] struct {
	fetch Func[K, V]
	o     Options

	mu      sync.RWMutex
	entries map[K]*entry[V]
	flights map[K]*flight[V]
	sweepAt int // entry count at which expired entries are next swept out
}

// minSweep is the entry count below which expired entries are left to be
// replaced; above it they are swept whenever the count doubles, so memory
// stays within about twice the live entries at amortised constant cost.
const minSweep = 1024

type entry[V any] struct {
	val   V
	err   error
	at    time.Time // when it was stored
	until time.Time // zero: Forever
	used  atomic.Int64
}

type flight[V any] struct {
	done chan struct{}
	val  V
	err  error
}

// New returns a cache that fills itself with fetch (nil: only Load fetches).
func New[K comparable, V any](fetch Func[K, V], o Options) *Cache[K, V] {
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Cache[K, V]{fetch: fetch, o: o, entries: map[K]*entry[V]{}, flights: map[K]*flight[V]{}, sweepAt: minSweep}
}

// Get returns the answer for key: from the cache while it is fresh, else
// from one fetch shared with every concurrent caller. hit reports that no
// wait on a fetch was needed. When ctx ends first, Get returns ctx.Err()
// and the fetch carries on for the others (and the cache).
func (c *Cache[K, V]) Get(ctx context.Context, key K) (v V, hit bool, err error) {
	// A hit makes no fetch closure: building one costs an allocation per
	// call, on the path every request takes.
	if v, err, ok := c.cached(key); ok {
		return v, true, err
	}
	return c.Load(ctx, key, func(ctx context.Context) (V, time.Duration, error) { return c.fetch(ctx, key) })
}

// cached is the fresh answer for key, if there is one.
func (c *Cache[K, V]) cached(key K) (v V, err error, ok bool) {
	now := c.o.Now()
	c.mu.RLock()
	e := c.entries[key]
	c.mu.RUnlock()
	if !e.fresh(now) {
		return v, nil, false
	}
	e.used.Store(now.UnixNano())
	return e.val, e.err, true
}

// Load is Get with the fetch given by the caller, for fetches that need more
// than the key (the token a hash stands for, say). Of concurrent callers, the
// first one's fetch runs; the others share its answer.
func (c *Cache[K, V]) Load(ctx context.Context, key K, fetch func(context.Context) (V, time.Duration, error)) (v V, hit bool, err error) {
	if v, err, ok := c.cached(key); ok {
		return v, true, err
	}
	c.mu.Lock()
	// Look again under the lock: a fetch may have finished since the read
	// above, and asking upstream again for what just arrived is the bug this
	// package exists to avoid. Entries and flights change together under mu,
	// so a caller either finds the answer or joins the flight bringing it.
	// Read the clock again too: a caller that stalled before the lock would
	// see an entry stored meanwhile as from the future and fetch it again.
	now := c.o.Now()
	if e := c.entries[key]; e.fresh(now) {
		c.mu.Unlock()
		e.used.Store(now.UnixNano())
		return e.val, true, e.err
	}
	f, ok := c.flights[key]
	if !ok {
		f = &flight[V]{done: make(chan struct{})}
		c.flights[key] = f
		go c.run(deadline.Detach(ctx), key, fetch, f)
	}
	c.mu.Unlock()
	// A deadline handed down as a value (internal/deadline) ends the wait
	// too; a hit above never waits, so it sets no timer.
	ctx, cancel := deadline.Bound(ctx)
	defer cancel()
	select {
	case <-f.done:
		return f.val, false, f.err
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
}

// run performs one shared fetch and publishes its answer.
func (c *Cache[K, V]) run(ctx context.Context, key K, fetch func(context.Context) (V, time.Duration, error), f *flight[V]) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	v, keep, err := safeFetch(ctx, key, fetch)
	c.mu.Lock()
	c.storeLocked(key, v, keep, err)
	delete(c.flights, key)
	f.val, f.err = v, err
	c.mu.Unlock()
	close(f.done)
}

// safeFetch turns a panic into an error: on the fetch goroutine it would
// otherwise end the process, outside any request's recovery.
func safeFetch[K comparable, V any](ctx context.Context, key K, fetch func(context.Context) (V, time.Duration, error)) (v V, keep time.Duration, err error) {
	defer func() {
		if p := recover(); p != nil {
			var zero V
			v, keep, err = zero, 0, fmt.Errorf("loadonce: refresh failed (key %v): panic: %v", key, p)
		}
	}()
	return fetch(ctx)
}

// Peek returns the answer for key if a fresh one is cached, without
// fetching (a use, as a hit of Get is).
func (c *Cache[K, V]) Peek(key K) (v V, err error, ok bool) { return c.cached(key) }

// Last returns the last answer stored for key, fresh or not (ok false: none,
// or it was evicted). It lets a fetch fall back on an older value.
func (c *Cache[K, V]) Last(key K) (v V, err error, at time.Time, ok bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e := c.entries[key]
	if e == nil {
		return v, nil, time.Time{}, false
	}
	return e.val, e.err, e.at, true
}

// Set stores v for key for keep, as a fetch would (a value learnt elsewhere).
func (c *Cache[K, V]) Set(key K, v V, keep time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.storeLocked(key, v, keep, nil)
}

// Drop forgets key's answer if stale reports it is the one to forget (nil:
// whatever it is). Matching on the value lets many callers that saw one bad
// token drop it once, not drop its replacement too.
func (c *Cache[K, V]) Drop(key K, stale func(V) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[key]; e != nil && (stale == nil || stale(e.val)) {
		delete(c.entries, key)
	}
}

func (c *Cache[K, V]) storeLocked(key K, v V, keep time.Duration, err error) {
	if keep == 0 {
		delete(c.entries, key)
		return
	}
	now := c.o.Now()
	if len(c.entries) >= c.sweepAt {
		c.sweepLocked(now)
		c.sweepAt = max(minSweep, 2*len(c.entries))
	}
	if _, ok := c.entries[key]; !ok && c.o.MaxEntries > 0 && len(c.entries) >= c.o.MaxEntries && !c.makeRoomLocked(now) {
		return // full of live answers: served, not kept
	}
	e := &entry[V]{val: v, err: err, at: now}
	if keep > 0 {
		e.until = now.Add(keep)
	}
	e.used.Store(now.UnixNano())
	c.entries[key] = e
}

// makeRoomLocked drops expired entries, then (if allowed) the least recently
// used one; it reports whether there is room for one more.
func (c *Cache[K, V]) makeRoomLocked(now time.Time) bool {
	c.sweepLocked(now)
	if len(c.entries) < c.o.MaxEntries {
		return true
	}
	if !c.o.EvictWhenFull {
		return false
	}
	var oldest K
	var at int64
	first := true
	for k, e := range c.entries {
		if u := e.used.Load(); first || u < at {
			oldest, at, first = k, u, false
		}
	}
	delete(c.entries, oldest)
	return true
}

func (c *Cache[K, V]) sweepLocked(now time.Time) {
	for k, e := range c.entries {
		if !e.fresh(now) {
			delete(c.entries, k)
		}
	}
}

// fresh: stored, not expired, and not from the future (a clock set back
// must not pin an answer).
func (e *entry[V]) fresh(now time.Time) bool {
	if e == nil {
		return false
	}
	if e.until.IsZero() {
		return true
	}
	return !now.Before(e.at) && now.Before(e.until)
}
