package gcheadroom

import (
	"runtime"
	"runtime/metrics"
	"testing"
)

// node stands for the phone-number metadata: small objects full of pointers
// that every cycle marks.
type node struct {
	next    *node
	name    *string
	pattern []string
}

func pointerRichHeap(n int) *node {
	var head *node
	for i := 0; i < n; i++ {
		s := "pattern"
		head = &node{next: head, name: &s, pattern: []string{s, s}}
	}
	return head
}

var sink []byte

// BenchmarkGCPerRequest allocates what serving a 304 allocates (~1.5 KB in
// ~20 objects) beside a 3 MB pointer-rich live heap and reports the
// collector's CPU per op (runtime/metrics' estimate, all threads) and cycles
// per 10k ops, with Go's default (GOGC=100) and with the fixed headroom.
func BenchmarkGCPerRequest(b *testing.B) {
	for _, c := range []struct {
		name     string
		headroom uint64
	}{{"gogc100", 0}, {"headroom32MB", DefaultHeadroom}} {
		b.Run(c.name, func(b *testing.B) {
			live := pointerRichHeap(31_000)
			var p Policy
			if c.headroom > 0 {
				p = Start(func(string) string { return "" }, c.headroom)
			}
			defer p.Stop()
			runtime.GC()
			v0 := read("/gc/cycles/total:gc-cycles")
			g0 := gcCPU()
			b.ReportAllocs()
			for b.Loop() {
				for range 20 {
					sink = make([]byte, 72)
				}
			}
			b.StopTimer()
			runtime.GC() // the CPU figures are summed at the end of a cycle
			cycles := read("/gc/cycles/total:gc-cycles")[0] - v0[0] - 1
			b.ReportMetric((gcCPU()-g0)*1e9/float64(b.N), "gc-cpu-ns/op")
			b.ReportMetric(float64(cycles)*1e4/float64(b.N), "cycles/10k-op")
			runtime.KeepAlive(live)
		})
	}
}

func gcCPU() float64 {
	s := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	metrics.Read(s)
	return s[0].Value.Float64()
}
