package interactions

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
)

// genesysLimitConvsPerSec is what the Genesys limit allows the sync job:
// 300 requests a minute for the client-credentials token, 100 conversations
// per synchronous details page: 300 × 100 / 60 = 500 conversations/s.
const genesysLimitConvsPerSec = 300 * 100 / 60.0

// BenchmarkSyncWriters logs 400 ended conversations with every ServiceJourney
// call delayed 60 ms, for several Writers; "distinct" callers cost
// FINDPARTIES + UPSERTINTERACTION each, "repeat" callers (one number, the
// party cached) one call. It reports conversations/s, the share of
// genesysLimitConvsPerSec, the share of what the latency allows and the CPU
// a conversation cost (the sync and both fakes).
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
				start, cpu0 := time.Now(), processCPU()
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
				// The latency bound: each writer has one 60 ms call open at a
				// time, two per conversation for a first-time caller. Near 1,
				// the run waited on ServiceJourney; well below, on the CPU.
				calls := map[string]float64{"distinct": 2, "repeat": 1}[callers]
				b.ReportMetric(rate/(float64(writers)/(calls*0.060)), "x-latency-bound")
				b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(convs), "cpu-us/conv")
			})
		}
	}
}

// BenchmarkSyncRecord is the sync job's own CPU per conversation, without
// the HTTP calls: the record built from the analytics view (both numbers
// parsed, the agent mapped, names and fields), mapped and fingerprinted,
// one conversation an op. "distinct" callers use more numbers than the
// phone book remembers (every ANI parsed), "repeat" one number.
func BenchmarkSyncRecord(b *testing.B) {
	for _, callers := range []string{"distinct", "repeat"} {
		b.Run(callers, func(b *testing.B) {
			w := newWorld(b)
			T := time.Now().UTC().Truncate(time.Second)
			w.g.AddConversation(finished("b1", annID, aliceNum, T.Add(-time.Hour), time.Minute, resolved))
			cs, err := w.gc.Analytics.QueryAllConversationDetails(context.Background(), &genesys.ConversationQuery{
				Interval: T.Add(-2*time.Hour).Format(appbase.TimeLayout) + "/" + T.Format(appbase.TimeLayout)})
			if err != nil || len(cs) != 1 {
				b.Fatalf("%d conversations, %v", len(cs), err)
			}
			c := &cs[0]
			var ani *string
			for i := range c.Participants {
				if c.Participants[i].Purpose == "customer" {
					ani = &c.Participants[i].Sessions[0].Ani
				}
			}
			nums := []string{*ani}
			if callers == "distinct" {
				nums = nums[:0]
				for i := range 3 * phoneBookSize {
					nums = append(nums, fmt.Sprintf("tel:+1415%07d", 5550000+i))
				}
			}
			ctx := context.Background()
			var i int
			cpu0 := processCPU()
			for b.Loop() {
				*ani = nums[i%len(nums)]
				i++
				r := w.svc.fromAnalytics(ctx, c)
				r.in.Fields = w.svc.mapFields(r.in, r.src)
				if fingerprint(r.in) == 0 || r.e164 == "" {
					b.Fatalf("no record: %+v", r.in)
				}
			}
			// CPU time (garbage collection included), not wall time, which a
			// busy machine inflates.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/float64(b.N), "cpu-us/conv")
		})
	}
}
