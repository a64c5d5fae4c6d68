package interactions

import (
	"context"
	"sort"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys/genesystest"
)

// eventsBench runs a consumer against the world's fakes (loopback, no
// injected latency) and returns a channel of socket-to-upsert lags.
func eventsBench(b *testing.B) (*world, chan time.Duration) {
	w := newWorld(b)
	s, err := NewSyncer(SyncOptions{Service: w.svc, Registerer: w.reg})
	if err != nil {
		b.Fatal(err)
	}
	c, err := NewEventConsumer(EventOptions{Syncer: s, Topics: TopicsUsers, Registerer: w.reg})
	if err != nil {
		b.Fatal(err)
	}
	lags := make(chan time.Duration, b.N+16)
	c.onWrite = func(_ appbase.Interaction, received time.Time) { lags <- time.Since(received) }
	backfilled := make(chan struct{}, 16)
	c.onBackfill = func(SyncSummary, error) { backfilled <- struct{}{} }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	b.Cleanup(func() { cancel(); <-done })
	select {
	case <-backfilled:
	case <-time.After(10 * time.Second):
		b.Fatal("the consumer did not connect")
	}
	return w, lags
}

func report(b *testing.B, lags []time.Duration) {
	sort.Slice(lags, func(i, j int) bool { return lags[i] < lags[j] })
	b.ReportMetric(float64(lags[len(lags)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lags[len(lags)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkEventsThroughput emits b.N conversation events (one new call
// each, so each is a write) as fast as the fake can, and reports events
// handled per second end to end. The lags include the queueing.
func BenchmarkEventsThroughput(b *testing.B) {
	w, lags := eventsBench(b)
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		w.g.ConnectCall(genesystest.InboundCall{From: nobody, To: "+18005550100", QueueID: supportQ, AgentID: annID})
	}
	got := collect(b, lags, b.N)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
	b.StopTimer()
	report(b, got)
}

// BenchmarkEventLatency emits one event at a time, waiting for its upsert:
// the event-to-upsert latency with no queue in front.
func BenchmarkEventLatency(b *testing.B) {
	w, lags := eventsBench(b)
	got := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w.g.ConnectCall(genesystest.InboundCall{From: nobody, To: "+18005550100", QueueID: supportQ, AgentID: annID})
		got = append(got, collect(b, lags, 1)...)
	}
	b.StopTimer()
	report(b, got)
}

func collect(b *testing.B, lags chan time.Duration, n int) []time.Duration {
	got := make([]time.Duration, 0, n)
	deadline := time.After(time.Minute)
	for len(got) < n {
		select {
		case d := <-lags:
			got = append(got, d)
		case <-deadline:
			b.Fatalf("%d of %d events upserted within a minute", len(got), n)
		}
	}
	return got
}
