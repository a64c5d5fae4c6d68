package usermap

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// metric reads one sample (counter or gauge) from a registry; 0 when absent.
func metric(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			for k, v := range labels {
				if !hasLabel(m, k, v) {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

func hasLabel(m *dto.Metric, k, v string) bool {
	for _, l := range m.GetLabel() {
		if l.GetName() == k && l.GetValue() == v {
			return true
		}
	}
	return false
}

func TestStoreEmptyMisses(t *testing.T) {
	g := &fakeGenesys{users: []GenesysUser{gu("g1", "a@x.com")}}
	st := NewStore(StoreOptions{Genesys: g})
	if _, ok := st.Lookup(t.Context(), "g1"); ok || st.Report() != nil {
		t.Fatal("an empty store must miss")
	}
	if g.calls("g1") != 0 {
		t.Fatal("no targeted lookup without a map to match against")
	}
	if err := st.Set("12", "g1"); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("Set on empty store: %v", err)
	}
}

func TestStoreHitAndReplaceWhole(t *testing.T) {
	reg := prometheus.NewRegistry()
	st := NewStore(StoreOptions{Registerer: reg})
	st.Replace(Build([]GenesysUser{gu("g1", "a@x.com"), gu("g2", "b@x.com")}, []SJUser{su("12", "a@x.com", "")}))
	e, ok := st.Lookup(t.Context(), "G1")
	if !ok || e.Status != StatusEmail || e.SJUser.ID != "12" {
		t.Fatalf("lookup g1: %v %+v", ok, e)
	}
	if e, ok := st.Lookup(t.Context(), "g2"); !ok || e.Status != StatusUnmatched {
		t.Fatalf("an unmatched user is found, with its status: %v %+v", ok, e)
	}
	if got := metric(t, reg, "dcmconnect_usermap_users", map[string]string{"system": "genesys", "status": "unmatched"}); got != 1 {
		t.Fatalf("users gauge = %v", got)
	}
	st.Replace(Build([]GenesysUser{gu("g2", "b@x.com")}, []SJUser{su("13", "b@x.com", "")}))
	if _, ok := st.Lookup(t.Context(), "g1"); ok {
		t.Fatal("g1 is gone from the new map")
	}
	if e, _ := st.Lookup(t.Context(), "g2"); e.Status != StatusEmail {
		t.Fatalf("g2 after replace: %+v", e)
	}
	if got := metric(t, reg, "dcmconnect_usermap_lookups_total", map[string]string{"result": "hit"}); got != 3 {
		t.Fatalf("hits = %v, want 3", got)
	}
	if got := metric(t, reg, "dcmconnect_usermap_lookups_total", map[string]string{"result": "miss"}); got != 1 {
		t.Fatalf("misses = %v, want 1 (no directory for targeted lookups)", got)
	}
}

// A user who appeared after the sync: one targeted lookup shared by all
// concurrent callers, matched against the map's ServiceJourney users, cached.
func TestStoreMissOneTargetedLookupThenCached(t *testing.T) {
	g := &fakeGenesys{gate: make(chan struct{}), entered: make(chan string, 100)}
	reg := prometheus.NewRegistry()
	st := NewStore(StoreOptions{Genesys: g, Registerer: reg})
	st.Replace(Build([]GenesysUser{gu("g1", "a@x.com")}, []SJUser{su("12", "a@x.com", ""), su("13", "new@x.com", "")}))
	g.set(gu("g1", "a@x.com"), gu("gNew", "NEW@x.com"))

	const callers = 20
	var wg, started sync.WaitGroup
	results := make(chan Entry, callers)
	started.Add(callers)
	for range callers {
		wg.Go(func() {
			started.Done()
			e, ok := st.Lookup(context.Background(), "gNew")
			if !ok {
				t.Error("new user not found")
			}
			results <- e
		})
	}
	<-g.entered // the one flight is held in the directory
	started.Wait()
	close(g.gate) // callers not yet on the flight find its answer cached

	wg.Wait()
	close(results)
	for e := range results {
		if e.Status != StatusEmail || e.SJUser.ID != "13" {
			t.Fatalf("targeted match: %+v", e)
		}
	}
	if n := g.calls("gNew"); n != 1 {
		t.Fatalf("%d directory calls for %d concurrent callers, want 1", n, callers)
	}
	if e, ok := st.Lookup(t.Context(), "gNew"); !ok || e.SJUser.ID != "13" || g.calls("gNew") != 1 {
		t.Fatalf("second lookup should come from the cache: %v %+v calls=%d", ok, e, g.calls("gNew"))
	}
	if st.Report().GenesysUsers != 1 {
		t.Fatal("a targeted lookup must not change the published report")
	}
	// A new map forgets what the old one learnt.
	st.Replace(Build([]GenesysUser{gu("g1", "a@x.com")}, []SJUser{su("13", "new@x.com", "")}))
	st.Lookup(t.Context(), "gNew")
	if n := g.calls("gNew"); n != 2 {
		t.Fatalf("after Replace: %d calls, want 2", n)
	}
	if got := metric(t, reg, "dcmconnect_usermap_lookups_total", map[string]string{"result": "lookup_found"}); got != 2 {
		t.Fatalf("lookup_found = %v", got)
	}
}

func TestStoreNegativeCachedBriefly(t *testing.T) {
	clk := newClock()
	g := &fakeGenesys{}
	st := NewStore(StoreOptions{Genesys: g, Now: clk.Now, NegativeTTL: time.Minute})
	st.Replace(Build(nil, []SJUser{su("12", "a@x.com", "")}))
	for range 3 {
		if _, ok := st.Lookup(t.Context(), "ghost"); ok {
			t.Fatal("unknown id found")
		}
	}
	if n := g.calls("ghost"); n != 1 {
		t.Fatalf("%d calls for a repeated unknown id, want 1", n)
	}
	clk.Add(59 * time.Second)
	st.Lookup(t.Context(), "ghost")
	if n := g.calls("ghost"); n != 1 {
		t.Fatalf("within the TTL: %d calls", n)
	}
	clk.Add(time.Second)
	g.set(gu("ghost", "a@x.com")) // the user now exists
	e, ok := st.Lookup(t.Context(), "ghost")
	if !ok || e.Status != StatusEmail || g.calls("ghost") != 2 {
		t.Fatalf("after the TTL the lookup is retried: %v %+v calls=%d", ok, e, g.calls("ghost"))
	}
}

func TestStoreInactiveOrFailingLookupIsNegative(t *testing.T) {
	g := &fakeGenesys{users: []GenesysUser{{ID: "gOld", Email: "a@x.com", State: "inactive"}}}
	st := NewStore(StoreOptions{Genesys: g})
	st.Replace(Build(nil, []SJUser{su("12", "a@x.com", "")}))
	if _, ok := st.Lookup(t.Context(), "gOld"); ok {
		t.Fatal("an inactive Genesys user must not be mapped")
	}
	g.mu.Lock()
	g.gate = make(chan struct{})
	g.mu.Unlock()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	if _, ok := st.Lookup(ctx, "gSlow"); ok {
		t.Fatal("a lookup cut short by the caller's context is a miss")
	}
}

func TestStoreLookupTimeoutIsEnforced(t *testing.T) {
	g := &fakeGenesys{gate: make(chan struct{})} // never opens
	st := NewStore(StoreOptions{Genesys: g, LookupTimeout: 20 * time.Millisecond})
	st.Replace(Build(nil, nil))
	done := make(chan bool)
	go func() {
		_, ok := st.Lookup(context.Background(), "gHang")
		done <- ok
	}()
	select {
	case ok := <-done:
		if ok {
			t.Fatal("hung lookup reported found")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Lookup hung past LookupTimeout")
	}
}

func TestSetExplicitResolvesConflictImmediately(t *testing.T) {
	sj := &fakeSJ{users: []SJUser{su("12", "a@b.com", ""), su("40", "a@b.com", "")}}
	st := NewStore(StoreOptions{})
	st.Replace(Build([]GenesysUser{gu("g1", "a@b.com")}, sj.users))
	if e, _ := st.Lookup(t.Context(), "g1"); e.ConflictKind != ConflictDuplicateSJEmail {
		t.Fatalf("setup: %+v", e)
	}
	if err := st.SetExplicit(t.Context(), sj, "40", "G1"); err != nil {
		t.Fatal(err)
	}
	if w := sj.writeLog(); len(w) != 1 || w[0] != "40=g1" {
		t.Fatalf("writes %v, want [40=g1] (id as in Genesys)", w)
	}
	e, _ := st.Lookup(t.Context(), "g1")
	if e.Status != StatusExplicit || e.SJUser.ID != "40" {
		t.Fatalf("after fix: %+v", e)
	}
	if e, _ := st.Report().BySJID("12"); e.Status != StatusUnmatched {
		t.Fatalf("the other user: %+v", e)
	}
	// Clearing it brings the conflict back.
	if err := st.SetExplicit(t.Context(), sj, "40", ""); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.Lookup(t.Context(), "g1"); e.ConflictKind != ConflictDuplicateSJEmail {
		t.Fatalf("after clearing: %+v", e)
	}
}

func TestSetExplicitValidates(t *testing.T) {
	sj := &fakeSJ{users: []SJUser{su("12", "a@b.com", "")}, setErr: map[string]error{}}
	st := NewStore(StoreOptions{})
	if err := st.SetExplicit(t.Context(), sj, "12", "g1"); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("before any sync: %v", err)
	}
	st.Replace(Build([]GenesysUser{gu("g1", "z@b.com")}, sj.users))
	before := st.Report()
	var ue *UnknownUserError
	if err := st.SetExplicit(t.Context(), sj, "99", "g1"); !errors.As(err, &ue) || ue.System != "ServiceJourney" || !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown SJ id: %v", err)
	}
	if err := st.SetExplicit(t.Context(), sj, "12", "nobody"); !errors.As(err, &ue) || ue.System != "Genesys" {
		t.Fatalf("unknown Genesys id: %v", err)
	}
	sj.setErr["12"] = errors.New("rule SETUSERMAPPING: ERRORCODE 120")
	if err := st.SetExplicit(t.Context(), sj, "12", "g1"); err == nil || !errors.Is(err, sj.setErr["12"]) {
		t.Fatalf("write failure: %v", err)
	}
	if len(sj.writeLog()) != 0 || st.Report() != before {
		t.Fatal("a rejected or failed fix must not write or change the map")
	}
}

// A Genesys user found by a targeted lookup can be the target of a fix.
func TestSetExplicitAcceptsUserFoundSinceSync(t *testing.T) {
	g := &fakeGenesys{users: []GenesysUser{gu("gNew", "")}}
	sj := &fakeSJ{users: []SJUser{su("12", "", "")}}
	st := NewStore(StoreOptions{Genesys: g})
	st.Replace(Build(nil, sj.users))
	if e, ok := st.Lookup(t.Context(), "gNew"); !ok || e.Status != StatusUnmatched {
		t.Fatalf("setup: %v %+v", ok, e)
	}
	if err := st.SetExplicit(t.Context(), sj, "12", "gNew"); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.Lookup(t.Context(), "gNew"); e.Status != StatusExplicit || e.SJUser.ID != "12" {
		t.Fatalf("after fix: %+v", e)
	}
}

// A sync whose data was read before a fix must not undo it; a sync that read
// after the fix is authoritative again.
func TestReplaceKeepsFixesNewerThanItsData(t *testing.T) {
	clk := newClock()
	sj := &fakeSJ{users: []SJUser{su("12", "x@b.com", "")}}
	g := []GenesysUser{gu("g1", "a@b.com")}
	st := NewStore(StoreOptions{Now: clk.Now})
	old := Build(g, sj.users) // data as read before the fix
	old.GeneratedAt = clk.Now()
	st.Replace(old)
	clk.Add(time.Second)
	if err := st.SetExplicit(t.Context(), sj, "12", "g1"); err != nil {
		t.Fatal(err)
	}
	stale := Build(g, []SJUser{su("12", "x@b.com", "")})
	stale.GeneratedAt = old.GeneratedAt
	st.Replace(stale)
	if e, _ := st.Lookup(t.Context(), "g1"); e.Status != StatusExplicit {
		t.Fatalf("stale sync undid the fix: %+v", e)
	}
	clk.Add(time.Second)
	fresh := Build(g, []SJUser{su("12", "x@b.com", "")}) // someone cleared it in SJ since
	fresh.GeneratedAt = clk.Now()
	st.Replace(fresh)
	if e, _ := st.Lookup(t.Context(), "g1"); e.Status != StatusUnmatched {
		t.Fatalf("a sync newer than the fix is authoritative: %+v", e)
	}
}

func TestStoresShareOneRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	a, b := NewStore(StoreOptions{Registerer: reg}), NewStore(StoreOptions{Registerer: reg})
	a.Replace(Build(nil, nil))
	b.Lookup(t.Context(), "x")
	if got := metric(t, reg, "dcmconnect_usermap_lookups_total", map[string]string{"result": "no_map"}); got != 1 {
		t.Fatalf("no_map = %v", got)
	}
}

func TestStoreCacheIsCapped(t *testing.T) {
	clk := newClock()
	g := &fakeGenesys{}
	st := NewStore(StoreOptions{Genesys: g, Now: clk.Now, MaxCached: 2, NegativeTTL: time.Minute})
	st.Replace(Build(nil, nil))
	for _, id := range []string{"x1", "x2", "x3", "x3"} {
		st.Lookup(t.Context(), id)
	}
	if g.calls("x3") != 2 {
		t.Fatalf("with the cache full, x3 is looked up each time: %d calls", g.calls("x3"))
	}
	clk.Add(time.Minute) // x1, x2 expire and make room
	st.Lookup(t.Context(), "x3")
	st.Lookup(t.Context(), "x3")
	if g.calls("x3") != 3 {
		t.Fatalf("expired entries must be evicted to make room: %d calls", g.calls("x3"))
	}
}

func TestUnknownUserErrorSaysWhatToDo(t *testing.T) {
	err := error(&UnknownUserError{System: "Genesys", ID: "abc"})
	if msg := err.Error(); !strings.Contains(msg, `Genesys user id "abc"`) || !strings.Contains(msg, "run a sync") {
		t.Fatalf("message %q", msg)
	}
}
