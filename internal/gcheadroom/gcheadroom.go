// Package gcheadroom gives a small heap a fixed garbage-collection headroom
// instead of Go's proportional one, and leaves a big heap at Go's default.
//
// With GOGC=100 the collector runs whenever the heap has grown by as much as
// was live after the last cycle (at least 4 MB). dcmconnect's live heap is
// small (~3 MB, mostly the phone-number metadata the phonenumbers library
// builds at start-up, ~31k objects full of pointers) while serving pages
// allocates steadily, so it collected every ~4 MB and marked that metadata
// each time: several microseconds of CPU per request. A fixed headroom
// (the heap may grow by Headroom before a cycle) makes cycles rarer by the
// ratio of the two while live is small; once live reaches Headroom the
// proportional rule is the larger and applies unchanged, so a big heap
// (a user map of a million users) peaks as it did.
//
// The operator decides: with GOGC or GOMEMLIMIT in the environment the
// policy steps aside and the runtime does what they say.
package gcheadroom

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// DefaultHeadroom is what a small heap may grow by between cycles. It bounds
// what the policy adds to the process's memory (RSS grows by up to this much
// over Go's default while live is small); 32 MB makes cycles ~8x rarer at
// dcmconnect's live heap.
const DefaultHeadroom = 32 << 20

// heapMinimum is the runtime's minimum heap goal at GOGC=100; it scales with
// GOGC (runtime/mgcpacer.go, defaultHeapMinimum), so a high percent raises it.
const heapMinimum = 4 << 20

// Policy is what Start did, for the start-up log.
type Policy struct {
	// Headroom is the fixed headroom in bytes; 0 when the policy stepped aside.
	Headroom uint64
	// Skipped names the environment variable that made it step aside.
	Skipped string

	t *tuner
}

func (p Policy) String() string {
	if p.Headroom == 0 {
		return "Go runtime defaults (" + p.Skipped + " is set)"
	}
	return fmt.Sprintf("fixed headroom %d MB while the live heap is smaller, then GOGC=100 (set GOGC or GOMEMLIMIT to choose otherwise)", p.Headroom>>20)
}

// Stop returns the collector to GOGC=100 and stops tuning it.
func (p Policy) Stop() {
	if p.t != nil {
		p.t.stop()
	}
}

// Start applies a fixed headroom of headroom bytes unless getenv (os.Getenv)
// has GOGC or GOMEMLIMIT. The percent is recomputed after every cycle from
// the heap the cycle found live; a process has one collector, so call it
// once, from main.
func Start(getenv func(string) string, headroom uint64) Policy {
	return start(getenv, headroom, nil)
}

// start is Start; tuned, when not nil (tests), gets each percent set.
func start(getenv func(string) string, headroom uint64, tuned func(int)) Policy {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if getenv(v) != "" {
			return Policy{Skipped: v}
		}
	}
	t := &tuner{headroom: headroom, tuned: tuned, samples: []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/gc/scan/stack:bytes"},
		{Name: "/gc/scan/globals:bytes"},
	}}
	t.cycle()
	return Policy{Headroom: headroom, t: t}
}

// Percent is the GOGC that gives a heap of live bytes, with stack and
// globals bytes to scan, a goal of live+headroom, never below 100. The
// runtime's goal is live + (live+stack+globals)*GOGC/100, and at least
// 4 MB*GOGC/100; both are kept at or under live+headroom.
func Percent(live, stack, globals, headroom uint64) int {
	scan := max(live+stack+globals, 1)
	p := headroom * 100 / scan
	p = min(p, (live+headroom)*100/heapMinimum)
	return int(max(p, 100))
}

// tuner sets the percent after each cycle: a sentinel object with a
// finalizer is dropped at once, so the finalizer runs after every cycle and
// arms the next sentinel. A sentinel armed while a cycle marks outlives that
// cycle (it is allocated marked), so that cycle's percent is set after the
// next one.
type tuner struct {
	headroom uint64
	mu       sync.Mutex
	stopped  bool
	percent  int
	samples  []metrics.Sample
	tuned    func(int)
}

type sentinel struct {
	t *tuner // a pointer, so the object is never tiny-allocated beside others
}

func (t *tuner) cycle() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.stopped {
		return
	}
	metrics.Read(t.samples)
	p := Percent(t.samples[0].Value.Uint64(), t.samples[1].Value.Uint64(), t.samples[2].Value.Uint64(), t.headroom)
	if p != t.percent {
		debug.SetGCPercent(p)
		t.percent = p
	}
	if t.tuned != nil {
		t.tuned(p)
	}
	runtime.SetFinalizer(&sentinel{t}, func(s *sentinel) { s.t.cycle() })
}

func (t *tuner) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.stopped {
		t.stopped = true
		debug.SetGCPercent(100)
	}
}
