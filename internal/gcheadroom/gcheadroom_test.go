package gcheadroom

import (
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// The tests change the process's one collector: none runs in parallel.

func read(names ...string) []uint64 {
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	out := make([]uint64, len(s))
	for i := range s {
		out[i] = s[i].Value.Uint64()
	}
	return out
}

func gogc() uint64 { return read("/gc/gogc:percent")[0] }

func TestPercentGivesASmallHeapTheHeadroomAndABigOneGOGC100(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, stack, globals, headroom uint64
		want                           int
	}{
		{live: 3 * mb, headroom: 32 * mb, want: 875},            // 4 MB minimum x 8.75 = 35 MB = live + headroom
		{live: 8 * mb, headroom: 32 * mb, want: 400},            // 8 + 8 x 4 = 40
		{live: 7 * mb, stack: mb, headroom: 32 * mb, want: 400}, // the stack is scanned too: 7 + 8 x 4 = 39
		{live: 0, headroom: 32 * mb, want: 800},                 // before the first cycle: the minimum is the goal
		{live: 32 * mb, headroom: 32 * mb, want: 100},
		{live: 700 * mb, headroom: 32 * mb, want: 100}, // a big heap: Go's default
	} {
		got := Percent(c.live, c.stack, c.globals, c.headroom)
		if got != c.want {
			t.Errorf("Percent(live %d MB, stack %d, globals %d, headroom %d MB) = %d, want %d",
				c.live/mb, c.stack, c.globals, c.headroom/mb, got, c.want)
		}
		// Whatever the percent, the runtime's goal stays within the headroom
		// while live is smaller than it.
		scan := c.live + c.stack + c.globals
		goal := max(c.live+scan*uint64(got)/100, heapMinimum*uint64(got)/100)
		if c.live < c.headroom && goal > c.live+c.headroom {
			t.Errorf("live %d MB: goal %d MB passes live+headroom", c.live/mb, goal/mb)
		}
	}
}

func TestStartStepsAsideWhenTheOperatorSetsGOGCOrGOMEMLIMIT(t *testing.T) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		env := func(k string) string {
			if k == v {
				return "200"
			}
			return ""
		}
		before := gogc()
		p := start(env, 16<<20, func(int) { t.Errorf("%s set: the policy tuned the collector", v) })
		runtime.GC()
		if p.Headroom != 0 || p.Skipped != v || gogc() != before {
			t.Errorf("%s set: policy %+v, GOGC %d (was %d); want it skipped and the collector left alone", v, p, gogc(), before)
		}
		if !strings.Contains(p.String(), v) {
			t.Errorf("%s set: %q does not say why", v, p.String())
		}
		p.Stop() // a no-op
	}
}

func TestStartKeepsAFixedHeadroomUntilTheHeapOutgrowsIt(t *testing.T) {
	const headroom = 24 << 20
	// Each tuning with the number of cycles finished when it ran: a cycle
	// the test did not ask for (an allocation can start one) tunes too.
	type tuning struct {
		percent int
		cycles  uint64
	}
	tuned := make(chan tuning, 256)
	p := start(func(string) string { return "" }, headroom, func(pc int) {
		tuned <- tuning{pc, read("/gc/cycles/total:gc-cycles")[0]}
	})
	defer p.Stop()
	if p.Headroom != headroom || !strings.Contains(p.String(), "24 MB") {
		t.Fatalf("policy %+v (%s), want a 24 MB headroom", p, p)
	}
	<-tuned // Start's own setting
	// cycle runs a GC and waits for the tuner to have seen it, then returns
	// the percent, the live heap and the goal the runtime now has.
	//
	// A tuning that runs while that GC is marking (the finalizer of the
	// previous cycle's sentinel, queued as the GC began) arms a sentinel
	// the GC keeps, as it keeps everything allocated while it marks: the
	// next tuning then comes only after the next cycle, which nothing else
	// starts. So when no tuning has seen the cycle within a second, cycle
	// collects again and waits for one that has seen that cycle. (At
	// GOMAXPROCS=1 under the race detector 7 of 24 runs failed so, each
	// after the 64 MB allocation below had started a cycle of its own.)
	cycle := func(what string) (percent int, live, goal uint64) {
		t.Helper()
		runtime.GC()
		n := read("/gc/cycles/total:gc-cycles")[0]
		deadline := time.After(10 * time.Second)
		for done := false; !done; {
			select {
			case tu := <-tuned:
				percent, done = tu.percent, tu.cycles >= n
			case <-time.After(time.Second):
				runtime.GC()
				n = read("/gc/cycles/total:gc-cycles")[0]
			case <-deadline:
				t.Fatalf("%s: no tuning after GC cycle %d", what, n)
			}
		}
		v := read("/gc/heap/live:bytes", "/gc/heap/goal:bytes", "/gc/gogc:percent")
		if v[2] != uint64(percent) {
			t.Fatalf("%s: the tuner set %d, the runtime has GOGC %d", what, percent, v[2])
		}
		return percent, v[0], v[1]
	}

	pc, live, goal := cycle("small heap")
	if pc <= 100 || goal > live+headroom || goal < live+headroom*9/10 {
		t.Errorf("small heap: GOGC %d, live %d KB, goal %d KB; want a goal of about live + %d KB", pc, live>>10, goal>>10, headroom>>10)
	}

	big := make([]byte, 64<<20) // live and bigger than the headroom
	pc, live, goal = cycle("big heap")
	if pc != 100 || goal < 2*live-live/10 {
		t.Errorf("big heap: GOGC %d, live %d MB, goal %d MB; want GOGC=100 (goal about twice live)", pc, live>>20, goal>>20)
	}
	runtime.KeepAlive(big)

	pc, live, goal = cycle("small again")
	if pc <= 100 || goal > live+headroom {
		t.Errorf("small again: GOGC %d, live %d MB, goal %d MB; want the headroom back", pc, live>>20, goal>>20)
	}

	p.Stop()
	if g := gogc(); g != 100 {
		t.Errorf("after Stop: GOGC %d, want 100", g)
	}
}
