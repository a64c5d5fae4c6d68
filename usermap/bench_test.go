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

// barePair is one match of bareMatch.
type barePair struct {
	g, s     int32
	explicit bool
}

// bareMatch is the anchor the issue measures Build against: the least any
// matcher does. It indexes the Genesys users by id and by normalised
// e-mail, then gives each active SJ user its Genesys user by explicit id,
// else by e-mail. No conflicts, no reasons, no report.
func bareMatch(g []GenesysUser, s []SJUser) []barePair {
	byID := make(map[string]int32, len(g))
	byEmail := make(map[string]int32, len(g))
	for i := range g {
		byID[key(g[i].ID)] = int32(i)
		if e := genesysEmail(&g[i]); e != "" {
			byEmail[e] = int32(i)
		}
	}
	out := make([]barePair, 0, len(s))
	for i := range s {
		u := &s[i]
		if !sjActive(u) {
			continue
		}
		if id := key(u.PureCloudUserID); id != "" {
			if gi, ok := byID[id]; ok {
				out = append(out, barePair{gi, int32(i), true})
			}
			continue
		}
		if gi, ok := byEmail[key(u.Email)]; ok {
			out = append(out, barePair{gi, int32(i), false})
		}
	}
	return out
}

// bareResult is one user's outcome in bareMapMatch.
type bareResult struct {
	status  Status
	partner string
}

// bareMapMatch answers the same question the plain way, with no reasons,
// no report and no conflict detail: users in maps of slices by id, e-mail
// and claimed id, then one outcome per user in a map by id. A claimed id
// (PureCloud_UserId) held by exactly one active SJ user links; otherwise a
// normalised e-mail held by exactly one Genesys and one active SJ user
// does; everything else is unmatched, or a conflict when a key is shared.
func bareMapMatch(g []GenesysUser, s []SJUser) (map[string]bareResult, map[string]bareResult) {
	gByID := make(map[string]int, len(g))
	gByEmail := make(map[string][]int, len(g))
	for i := range g {
		gByID[key(g[i].ID)] = i
		if e := genesysEmail(&g[i]); e != "" {
			gByEmail[e] = append(gByEmail[e], i)
		}
	}
	sByEmail := make(map[string][]int, len(s))
	claims := make(map[string][]int)
	for i := range s {
		if !sjActive(&s[i]) {
			continue
		}
		if id := key(s[i].PureCloudUserID); id != "" {
			claims[id] = append(claims[id], i)
		} else if e := key(s[i].Email); e != "" {
			sByEmail[e] = append(sByEmail[e], i)
		}
	}
	gRes := make(map[string]bareResult, len(g))
	sRes := make(map[string]bareResult, len(s))
	for i := range s {
		id := key(s[i].PureCloudUserID)
		switch {
		case !sjActive(&s[i]):
			sRes[s[i].ID] = bareResult{status: StatusUnmatched}
		case id != "":
			gi, ok := gByID[id]
			switch {
			case !ok:
				sRes[s[i].ID] = bareResult{status: StatusConflict}
			case len(claims[id]) > 1:
				sRes[s[i].ID] = bareResult{status: StatusConflict}
				gRes[g[gi].ID] = bareResult{status: StatusConflict}
			default:
				sRes[s[i].ID] = bareResult{status: StatusExplicit, partner: g[gi].ID}
				gRes[g[gi].ID] = bareResult{status: StatusExplicit, partner: s[i].ID}
			}
		default:
			e := key(s[i].Email)
			gs, ss := gByEmail[e], sByEmail[e]
			switch {
			case e == "" || len(gs) == 0:
				sRes[s[i].ID] = bareResult{status: StatusUnmatched}
			case len(gs) > 1 || len(ss) > 1:
				sRes[s[i].ID] = bareResult{status: StatusConflict}
			default:
				if _, taken := gRes[g[gs[0]].ID]; !taken && len(claims[key(g[gs[0]].ID)]) == 0 {
					sRes[s[i].ID] = bareResult{status: StatusEmail, partner: g[gs[0]].ID}
					gRes[g[gs[0]].ID] = bareResult{status: StatusEmail, partner: s[i].ID}
				} else {
					sRes[s[i].ID] = bareResult{status: StatusConflict}
				}
			}
		}
	}
	for i := range g {
		if _, ok := gRes[g[i].ID]; !ok {
			gRes[g[i].ID] = bareResult{status: StatusUnmatched}
		}
	}
	return gRes, sRes
}

// BenchmarkBuildVsBare100k builds the 100k × 100k world with Build and with
// each anchor in turn, every op, and reports Build's CPU time (all threads,
// GC included) and allocated bytes as multiples of each anchor's: "map" is
// bareMapMatch (the plain-map matcher; goal: both ≤ 2), "pairs" bareMatch
// (the least any matcher does).
func BenchmarkBuildVsBare100k(b *testing.B) {
	g, s := benchWorld(100_000)
	measure := func(fn func()) (time.Duration, uint64) {
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		c0 := cpuTime()
		fn()
		c := cpuTime() - c0
		runtime.ReadMemStats(&m1)
		return c, m1.TotalAlloc - m0.TotalAlloc
	}
	var cpu [3]time.Duration
	var bytes [3]uint64
	var sink any
	for b.Loop() {
		for i, fn := range []func(){
			func() { sink = Build(g, s) },
			func() { sink, _ = bareMapMatch(g, s) },
			func() { sink = bareMatch(g, s) },
		} {
			c, n := measure(fn)
			cpu[i], bytes[i] = cpu[i]+c, bytes[i]+n
		}
	}
	runtime.KeepAlive(sink)
	b.ReportMetric(float64(cpu[0])/float64(cpu[1]), "cpu-x-map")
	b.ReportMetric(float64(bytes[0])/float64(bytes[1]), "bytes-x-map")
	b.ReportMetric(float64(cpu[0])/float64(cpu[2]), "cpu-x-pairs")
	b.ReportMetric(float64(bytes[0])/float64(bytes[2]), "bytes-x-pairs")
	for i, name := range []string{"build", "map", "pairs"} {
		b.ReportMetric(float64(bytes[i])/float64(b.N)/(1<<20), name+"-MB/op")
	}
}
