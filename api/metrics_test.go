package api

import (
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// Every request lands in its own (route, method, code) series, whether its
// series is kept in a page slot (pages' GET and HEAD, 200 and 304) or looked
// up by key, from many goroutines at once, and the page slots never mix.
func TestMetricsCountEachSeriesOnce(t *testing.T) {
	m, err := newHTTPMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	type key struct {
		route, method string
		code          int
	}
	keys := []key{
		{docsRoute, "GET", 200}, {docsRoute, "GET", 304}, {docsRoute, "HEAD", 200}, {docsRoute, "HEAD", 304},
		{docsRoute, "GET", 404}, {docsRoute, "POST", 200}, {"/healthz", "GET", 200}, {asmxPath + "/:method", "GET", 304},
	}
	const goroutines, rounds = 8, 50
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for r := range rounds {
				for i, k := range keys {
					for range i + 1 { // key i counted i+1 times a round
						m.observe(k.route, k.method, k.code, time.Duration(g+r)*time.Millisecond)
					}
				}
			}
		})
	}
	wg.Wait()
	for i, k := range keys {
		want := float64(goroutines * rounds * (i + 1))
		if got := testutil.ToFloat64(m.requests.WithLabelValues(k.route, k.method, statusText(k.code))); got != want {
			t.Errorf("%v: counted %v, want %v", k, got, want)
		}
	}
	if got := testutil.CollectAndCount(m.requests); got != len(keys) {
		t.Errorf("%d request series, want %d", got, len(keys))
	}
}
