package interactions

import (
	"context"
	"testing"
	"time"
)

// BenchmarkScreenPop is the resolver's server time per pop with both fakes
// at zero latency: conversation GET, user-map lookup, FINDPARTIES, URLs.
// What remains is our own cost plus two loopback HTTP round trips.
func BenchmarkScreenPop(b *testing.B) {
	for _, c := range []struct{ name, conv, number string }{
		{"one", convOne, aliceNum}, {"many", convMany, brownNum}, {"none", convNone, nobody},
	} {
		b.Run(c.name, func(b *testing.B) {
			w := newWorld(b)
			w.g.AddConversation(inbound(c.conv, annID, c.number, nil, time.Now()))
			ctx := context.Background()
			if _, err := w.svc.ScreenPop(ctx, c.conv, annID); err != nil { // warm token and login
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := w.svc.ScreenPop(ctx, c.conv, annID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkScreenPopParallel is the same under concurrent agents.
func BenchmarkScreenPopParallel(b *testing.B) {
	w := newWorld(b)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, time.Now()))
	ctx := context.Background()
	if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := w.svc.ScreenPop(ctx, convOne, annID); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkNormalizePhone is the E.164 step alone.
func BenchmarkNormalizePhone(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NormalizePhone("tel:+1 (415) 555-0101", "US"); err != nil {
			b.Fatal(err)
		}
	}
}
