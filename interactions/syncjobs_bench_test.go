package interactions

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
)

// replayUpserts serves the fake ServiceJourney, except that after the first
// UPSERTINTERACTION (which the fake answers) every other is answered with
// that first answer's bytes and not stored: a million records would not fit
// the fake's memory. It counts the upserts it answered.
func replayUpserts(b testing.TB, h http.Handler, n *atomic.Int64) string {
	var mu sync.Mutex
	var answer []byte
	var header http.Header
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, "UPSERTINTERACTION") {
			h.ServeHTTP(w, r)
			return
		}
		n.Add(1)
		mu.Lock()
		a, hd := answer, header
		mu.Unlock()
		if a != nil {
			_, _ = io.Copy(io.Discard, r.Body)
			for k, v := range hd {
				w.Header()[k] = v
			}
			_, _ = w.Write(a)
			return
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code == http.StatusOK {
			mu.Lock()
			answer, header = rec.Body.Bytes(), rec.Header().Clone()
			mu.Unlock()
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}))
	b.Cleanup(p.Close)
	return p.URL
}

// BenchmarkBackfillThroughJobs backfills n ended conversations spread over
// 10 days (one 24h job window a day) through analytics jobs against the
// fakes, every one written once (the ServiceJourney fake answers the
// upserts at once; see replayUpserts). The conversations are generated a
// results page at a time (genesystest.GeneratedConversations), so neither
// side holds them all. It reports conversations/s on this machine, the
// Genesys requests a thousand conversations cost (the synchronous query
// costs 10: 100 a page) and the minutes the Genesys limit (300 requests a
// minute) allows the backfill at the least, against the synchronous
// query's, the CPU time a conversation costs (the job and both fakes) and
// the heap in use after the run.
func BenchmarkBackfillThroughJobs(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("conversations=%d", n), func(b *testing.B) {
			w := newWorld(b)
			T := time.Now().UTC().Truncate(time.Second)
			const days = 10
			mark := backlog(w, T, days)
			every := days * 24 * time.Hour / time.Duration(n)
			w.g.AddGeneratedConversations(genesystest.GeneratedConversations{
				First: mark.Add(time.Millisecond), Every: every, N: n, Longest: time.Minute,
				Make: func(i int, start time.Time) genesystest.Conversation {
					return finished(fmt.Sprintf("b%07d-0000-4000-8000-000000000000", i), annID, aliceNum, start, time.Minute, resolved)
				},
			})
			var upserts atomic.Int64
			url := replayUpserts(b, w.sj, &upserts)
			// Generous client timeouts: a loaded machine is slow, not broken.
			ao := w.sj.ClientOptions()
			ao.URL, ao.Timeout, ao.MaxRetries, ao.Logger = url, time.Minute, -1, slog.New(slog.DiscardHandler)
			ab, err := appbase.New(ao)
			if err != nil {
				b.Fatal(err)
			}
			gc, err := genesys.New(genesys.Options{APIURL: w.g.URL(), LoginURL: w.g.URL(), ClientID: ccID, ClientSecret: ccSecret,
				Timeout: time.Minute, RequestsPerMinute: -1, MaxRetries: -1})
			if err != nil {
				b.Fatal(err)
			}
			w.gc = gc
			svc := w.service(b, ab)
			var convs int
			cpu0 := processCPU()
			start := time.Now()
			for b.Loop() {
				// A new job each time: nothing remembered, the state back at the start.
				backlog(w, T, days)
				s := w.syncer(b, svc, &clock{t: T}, func(o *SyncOptions) { o.MaxWindowsPerRun, o.Registerer = -1, nil })
				sum, err := s.RunOnce(context.Background())
				if err != nil || sum.Final != n {
					b.Fatalf("%v\n%s", err, sum)
				}
				convs += sum.Final
			}
			wall, cpu := time.Since(start), processCPU()-cpu0
			if got := upserts.Load(); got != int64(convs) {
				b.Fatalf("%d upserts for %d conversations", got, convs)
			}
			var reqs int
			for _, r := range []string{jobsRoute, jobStatus, jobResults, detailsQuery, "GET /api/v2/analytics/conversations/details/jobs/availability", "DELETE /api/v2/analytics/conversations/details/jobs/{jobId}"} {
				reqs += w.g.Requests(r)
			}
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			perK := float64(reqs) / float64(convs) * 1000
			b.ReportMetric(float64(convs)/wall.Seconds(), "convs/s")
			// CPU (all threads: sync job and both fakes) is the figure to
			// trust on a busy machine, where wall time is inflated.
			b.ReportMetric(float64(cpu.Microseconds())/float64(convs), "cpu-us/conv")
			b.ReportMetric(perK, "genesys-reqs/1k-convs")
			b.ReportMetric(float64(reqs)/float64(convs/n)/300, "limit-min-jobs")
			b.ReportMetric(float64(n)/100/300, "limit-min-query")
			b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
		})
	}
}

// processCPU is the user + system CPU time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
