package loadonce

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/internal/deadline"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// counter is a fetch that counts its calls and answers key+"!".
func counter(keep time.Duration, err error) (Func[string, string], *atomic.Int32) {
	var n atomic.Int32
	return func(_ context.Context, k string) (string, time.Duration, error) {
		n.Add(1)
		if err != nil {
			return "", keep, err
		}
		return k + "!", keep, nil
	}, &n
}

func TestManyCallersOneFetch(t *testing.T) {
	fetch, n := counter(time.Minute, nil)
	c := New(fetch, Options{})
	var wg sync.WaitGroup
	for range 500 {
		wg.Go(func() {
			if v, _, err := c.Get(t.Context(), "k"); v != "k!" || err != nil {
				t.Errorf("Get = %q, %v", v, err)
			}
		})
	}
	wg.Wait()
	if got := n.Load(); got != 1 {
		t.Fatalf("fetches = %d, want 1", got)
	}
}

func TestFirstCallerLeavingDoesNotCancelTheFetch(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	fetchErr := make(chan error, 1)
	var n atomic.Int32
	c := New(func(ctx context.Context, _ string) (string, time.Duration, error) {
		n.Add(1)
		close(started)
		<-release
		fetchErr <- ctx.Err()
		return "v", time.Minute, nil
	}, Options{})

	ctx, cancel := context.WithCancel(t.Context())
	first := make(chan error, 1)
	go func() { _, _, err := c.Get(ctx, "k"); first <- err }()
	<-started
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Fatalf("first caller err = %v, want context.Canceled", err)
	}
	second := make(chan string, 1)
	go func() { v, _, _ := c.Get(t.Context(), "k"); second <- v }()
	close(release)
	if err := <-fetchErr; err != nil {
		t.Fatalf("the fetch saw its context end: %v", err)
	}
	if v := <-second; v != "v" {
		t.Fatalf("second caller got %q", v)
	}
	if v, hit, _ := c.Get(t.Context(), "k"); v != "v" || !hit {
		t.Fatalf("after the flight: %q hit=%v", v, hit)
	}
	if n.Load() != 1 {
		t.Fatalf("fetches = %d", n.Load())
	}
}

// A deadline handed down as a value (internal/deadline) ends the caller's
// wait like its context's own; the shared fetch neither sees it nor ends.
func TestPassedDeadlineEndsTheWaitNotTheFetch(t *testing.T) {
	release := make(chan struct{})
	fetched := make(chan error, 1)
	c := New(func(ctx context.Context, _ string) (string, time.Duration, error) {
		_, passed := deadline.Passed(ctx)
		<-release
		if passed {
			fetched <- errors.New("the fetch carries the first caller's passed deadline")
		} else {
			fetched <- ctx.Err()
		}
		return "v", time.Minute, nil
	}, Options{})
	waited := make(chan error, 1)
	go func() {
		_, _, err := c.Get(deadline.Pass(t.Context(), time.Now().Add(50*time.Millisecond)), "k")
		waited <- err
	}()
	select {
	case err := <-waited:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v, want the passed deadline", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the wait went on 10s past a 50ms passed deadline")
	}
	close(release)
	if err := <-fetched; err != nil {
		t.Fatal(err)
	}
}

func TestFetchRunsOnABoundedContext(t *testing.T) {
	type ctxKey struct{}
	c := New(func(ctx context.Context, _ string) (string, time.Duration, error) {
		dl, ok := ctx.Deadline()
		if !ok {
			return "", 0, errors.New("no deadline")
		}
		if ctx.Value(ctxKey{}) != "kept" {
			return "", 0, errors.New("caller's values lost")
		}
		if d := time.Until(dl); d <= 0 || d > 5*time.Second {
			return "", 0, errors.New("deadline not from Options.Timeout")
		}
		return "v", 0, nil
	}, Options{Timeout: 5 * time.Second})
	ctx := context.WithValue(t.Context(), ctxKey{}, "kept")
	if _, _, err := c.Get(ctx, "k"); err != nil {
		t.Fatal(err)
	}
}

func TestFailureIsRememberedForItsKeep(t *testing.T) {
	clk := newClock()
	boom := errors.New("boom")
	fetch, n := counter(10*time.Second, boom)
	c := New(fetch, Options{Now: clk.Now})
	for range 3 {
		if _, _, err := c.Get(t.Context(), "k"); !errors.Is(err, boom) {
			t.Fatalf("err = %v", err)
		}
	}
	if n.Load() != 1 {
		t.Fatalf("a remembered failure fetched %d times", n.Load())
	}
	clk.Add(10 * time.Second)
	c.Get(t.Context(), "k")
	if n.Load() != 2 {
		t.Fatalf("after the failure memory: %d fetches, want 2", n.Load())
	}
}

func TestUnkeptAnswersFetchEachTime(t *testing.T) {
	fetch, n := counter(0, errors.New("not cached"))
	c := New(fetch, Options{})
	c.Get(t.Context(), "k")
	c.Get(t.Context(), "k")
	if n.Load() != 2 {
		t.Fatalf("fetches = %d, want 2", n.Load())
	}
}

func TestExpiry(t *testing.T) {
	clk := newClock()
	fetch, n := counter(time.Minute, nil)
	c := New(fetch, Options{Now: clk.Now})
	c.Get(t.Context(), "k")
	clk.Add(time.Minute - time.Nanosecond)
	if _, hit, _ := c.Get(t.Context(), "k"); !hit {
		t.Fatal("fresh entry missed")
	}
	clk.Add(time.Nanosecond)
	if _, hit, _ := c.Get(t.Context(), "k"); hit || n.Load() != 2 {
		t.Fatalf("expired entry served: hit=%v fetches=%d", hit, n.Load())
	}
	clk.Add(-time.Hour) // clock set back: the entry is from the future
	if _, hit, _ := c.Get(t.Context(), "k"); hit {
		t.Fatal("entry from the future served")
	}
}

func TestForeverAndDrop(t *testing.T) {
	clk := newClock()
	fetch, n := counter(Forever, nil)
	c := New(fetch, Options{Now: clk.Now})
	c.Get(t.Context(), "k")
	clk.Add(1000 * time.Hour)
	if _, hit, _ := c.Get(t.Context(), "k"); !hit {
		t.Fatal("Forever entry expired")
	}
	c.Drop("k", func(v string) bool { return v == "other" })
	if _, _, ok := c.Peek("k"); !ok {
		t.Fatal("Drop removed a value that did not match")
	}
	c.Drop("k", func(v string) bool { return v == "k!" })
	if _, _, ok := c.Peek("k"); ok {
		t.Fatal("Drop kept the matching value")
	}
	c.Get(t.Context(), "k")
	if n.Load() != 2 {
		t.Fatalf("fetches = %d", n.Load())
	}
}

func TestSetPeekLast(t *testing.T) {
	clk := newClock()
	fetch, n := counter(time.Minute, nil)
	c := New(fetch, Options{Now: clk.Now})
	c.Set("k", "seeded", time.Minute)
	if v, _, _ := c.Get(t.Context(), "k"); v != "seeded" || n.Load() != 0 {
		t.Fatalf("Get after Set = %q (%d fetches)", v, n.Load())
	}
	clk.Add(time.Minute)
	if _, _, ok := c.Peek("k"); ok {
		t.Fatal("Peek served an expired entry")
	}
	if v, _, at, ok := c.Last("k"); !ok || v != "seeded" || !at.Equal(clk.Now().Add(-time.Minute)) {
		t.Fatalf("Last = %q %v %v", v, at, ok)
	}
}

func TestFullCacheServesUnkept(t *testing.T) {
	clk := newClock()
	fetch, n := counter(time.Minute, nil)
	c := New(fetch, Options{Now: clk.Now, MaxEntries: 2})
	for _, k := range []string{"a", "b", "c", "c"} {
		c.Get(t.Context(), k)
	}
	if n.Load() != 4 {
		t.Fatalf("with the cache full, c must be fetched each time: %d fetches", n.Load())
	}
	clk.Add(time.Minute) // a, b expire and make room
	c.Get(t.Context(), "c")
	c.Get(t.Context(), "c")
	if n.Load() != 5 {
		t.Fatalf("expired entries must make room: %d fetches", n.Load())
	}
}

func TestFullCacheEvictsLeastUsed(t *testing.T) {
	clk := newClock()
	fetch, n := counter(time.Minute, nil)
	c := New(fetch, Options{Now: clk.Now, MaxEntries: 2, EvictWhenFull: true})
	c.Get(t.Context(), "a")
	clk.Add(time.Second)
	c.Get(t.Context(), "b")
	clk.Add(time.Second)
	c.Get(t.Context(), "a") // a used more recently than b
	c.Get(t.Context(), "c") // evicts b
	if _, _, ok := c.Peek("b"); ok {
		t.Fatal("least recently used entry kept")
	}
	if _, _, ok := c.Peek("a"); !ok {
		t.Fatal("recently used entry evicted")
	}
	if n.Load() != 3 {
		t.Fatalf("fetches = %d", n.Load())
	}
}

func TestPanicBecomesError(t *testing.T) {
	c := New(func(context.Context, string) (string, time.Duration, error) { panic("bad") }, Options{})
	if _, _, err := c.Get(t.Context(), "k"); err == nil || !strings.Contains(err.Error(), "bad") {
		t.Fatalf("err = %v", err)
	}
}

func TestExpiredEntriesAreSwept(t *testing.T) {
	clk := newClock()
	c := New(func(_ context.Context, k int) (int, time.Duration, error) { return k, time.Minute, nil }, Options{Now: clk.Now})
	for k := range minSweep {
		c.Get(t.Context(), k)
	}
	clk.Add(time.Minute)
	c.Get(t.Context(), -1)
	c.mu.RLock()
	n := len(c.entries)
	c.mu.RUnlock()
	if n != 1 {
		t.Fatalf("%d entries kept, want only the live one", n)
	}
}

func TestLoadUsesTheCallersFetch(t *testing.T) {
	c := New[string, string](nil, Options{})
	v, _, err := c.Load(t.Context(), "hash", func(context.Context) (string, time.Duration, error) { return "secret-derived", time.Minute, nil })
	if v != "secret-derived" || err != nil {
		t.Fatalf("%q %v", v, err)
	}
	if v, _, _ := c.Load(t.Context(), "hash", nil); v != "secret-derived" {
		t.Fatalf("cached answer not served: %q", v)
	}
}

// A hit allocates nothing: it is on the path of every request (the
// client-credentials token, every page call's verification).
func TestHitAllocatesNothing(t *testing.T) {
	fetch, _ := counter(time.Hour, nil)
	c := New(fetch, Options{})
	ctx := context.Background()
	if _, _, err := c.Get(ctx, "k"); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { c.Get(ctx, "k") }); n != 0 {
		t.Fatalf("Get on a hit: %v allocations, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { c.Peek("k") }); n != 0 {
		t.Fatalf("Peek on a hit: %v allocations, want 0", n)
	}
}
