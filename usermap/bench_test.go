package usermap

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"runtime/debug"
	"syscall"
	"testing"
	"time"
)

// benchWorld builds n Genesys and n ServiceJourney users with a realistic mix:
// ~45% explicit, ~40% e-mail, ~8% unmatched on each side, and conflicts of
// every kind (~5%), plus some inactive SJ users. Ids look like the real ones
// (Genesys UUIDs, numeric SJ ids) so map hashing costs what it will in service.
func benchWorld(n int) ([]GenesysUser, []SJUser) {
	rng := rand.New(rand.NewPCG(42, 7))
	g := make([]GenesysUser, n)
	for i := range g {
		g[i] = GenesysUser{
			ID:       fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), i&0xffff, i%4096, rng.IntN(4096), rng.Uint64()&0xffffffffffff),
			Name:     fmt.Sprintf("Agent %d", i),
			Email:    fmt.Sprintf("agent.%d@example.com", i),
			Username: fmt.Sprintf("agent.%d@example.com", i),
			State:    "active",
		}
	}
	s := make([]SJUser, n)
	for i := range s {
		u := SJUser{ID: fmt.Sprint(1000 + i), Code: fmt.Sprintf("U%d", i), Login: fmt.Sprintf("agent%d", i),
			Name: fmt.Sprintf("Agent %d", i), Status: "Active"}
		switch p := rng.IntN(100); {
		case p < 45: // explicit, same e-mail
			u.PureCloudUserID, u.Email = g[i].ID, g[i].Email
		case p < 85: // e-mail, different case and spaces
			u.Email = fmt.Sprintf(" Agent.%d@Example.com", i)
		case p < 92: // unmatched on both sides
			u.Email = fmt.Sprintf("someone.%d@example.org", i)
		case p < 93: // duplicate SJ e-mail (shares with the next Genesys user)
			u.Email = g[(i+1)%n].Email
		case p < 94: // duplicate explicit (claims the previous Genesys user)
			u.PureCloudUserID = g[(i+n-1)%n].ID
		case p < 95: // explicit id naming no one
			u.PureCloudUserID, u.Email = "not-a-user", g[i].Email
		case p < 96: // explicit id and e-mail pointing at different people
			u.PureCloudUserID, u.Email = g[i].ID, g[(i+2)%n].Email
		case p < 97: // duplicate Genesys e-mail
			g[i].Email = g[(i+3)%n].Email
			u.Email = g[i].Email
		case p < 98: // inactive
			u.Status, u.Email = "Inactive", g[i].Email
		default: // no e-mail at all
		}
		s[i] = u
	}
	return g, s
}

func BenchmarkBuild100k(b *testing.B) {
	g, s := benchWorld(100_000)
	r := Build(g, s)
	b.Logf("counts %v (Genesys %v, SJ %v)", r.Counts, r.GenesysCounts, r.SJCounts)
	b.ReportAllocs()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		Build(g, s)
		n++
	}
	// CPU time (all threads, GC included) is the figure to trust when the
	// shared test machine is busy and wall time (ns/op) is inflated.
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(n), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkBuild100kPeakMemory measures heap use of one Build with the
// garbage collector off, so nothing is reclaimed mid-build: HeapInuse growth is
// then an upper bound of the peak. live-MB is what the finished report keeps.
func BenchmarkBuild100kPeakMemory(b *testing.B) {
	g, s := benchWorld(100_000)
	var before, after runtime.MemStats
	for b.Loop() {
		runtime.GC()
		runtime.ReadMemStats(&before)
		old := debug.SetGCPercent(-1)
		r := Build(g, s)
		runtime.ReadMemStats(&after)
		debug.SetGCPercent(old)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "peak-MB")
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/(1<<20), "live-MB")
		runtime.KeepAlive(r)
	}
}

func BenchmarkLookupHit(b *testing.B) {
	g, s := benchWorld(100_000)
	st := NewStore(StoreOptions{})
	st.Replace(Build(g, s))
	ctx := b.Context()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, ok := st.Lookup(ctx, g[i%len(g)].ID); !ok {
			b.Fatal("miss")
		}
		i++
	}
}

// BenchmarkTargetedMatch100k: the cost of matching one new Genesys user
// against a 100k map (the work behind a miss, without the directory call).
func BenchmarkTargetedMatch100k(b *testing.B) {
	g, s := benchWorld(100_000)
	r := Build(g[1:], s)
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := r.idx.matchNew(g[0]); !ok {
			b.Fatal("not matched")
		}
	}
}
