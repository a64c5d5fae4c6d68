package interactions

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
)

// genesysLimitConvsPerSec is what the Genesys limit allows the sync job:
// 300 requests a minute for the client-credentials token, 100 conversations
// per synchronous details page: 300 × 100 / 60 = 500 conversations/s.
const genesysLimitConvsPerSec = 300 * 100 / 60.0

// BenchmarkSyncWriters logs 400 ended conversations with every ServiceJourney
// call delayed 60 ms, for several Writers; "distinct" callers cost
// FINDPARTIES + UPSERTINTERACTION each, "repeat" callers (one number, the
// party cached) one call. It reports conversations/s and the share of
// genesysLimitConvsPerSec.
func BenchmarkSyncWriters(b *testing.B) {
	const n = 400
	for _, callers := range []string{"distinct", "repeat"} {
		for _, writers := range []int{1, 4, 8, 16, 32, 64} {
			if writers == 1 && callers == "distinct" {
				continue // 48 s a run; the 4-writer figure scales from it
			}
			b.Run(fmt.Sprintf("%s/writers=%d", callers, writers), func(b *testing.B) {
				w := newWorld(b)
				T := time.Now().UTC().Truncate(time.Second)
				for i := range n {
					num := aliceNum
					if callers == "distinct" {
						num = fmt.Sprintf("+1415556%04d", i)
					}
					w.g.AddConversation(finished(fmt.Sprint("b", i), annID, num, T.Add(-time.Hour+time.Duration(i)*time.Second), time.Second, resolved))
				}
				w.sj.Fault(appbasetest.AnyTarget, appbasetest.Fault{Latency: 60 * time.Millisecond})
				clk := &clock{t: T}
				var convs int
				b.ResetTimer()
				start := time.Now()
				for b.Loop() {
					// A new job each time: nothing remembered, all written.
					s := w.syncer(b, w.svc, clk, func(o *SyncOptions) { o.Writers, o.Registerer = writers, nil })
					sum, err := s.RunSince(context.Background(), 2*time.Hour)
					if err != nil || sum.Final != n {
						b.Fatalf("%v\n%s", err, sum)
					}
					convs += sum.Final
				}
				rate := float64(convs) / time.Since(start).Seconds()
				b.ReportMetric(rate, "convs/s")
				b.ReportMetric(100*rate/genesysLimitConvsPerSec, "%genesys-limit")
			})
		}
	}
}
