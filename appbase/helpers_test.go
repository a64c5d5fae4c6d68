package appbase_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// sleeps records the waits the client asked for, without waiting.
type sleeps struct {
	mu sync.Mutex
	d  []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.d = append(s.d, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleeps) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.d...)
}

type env struct {
	srv    *appbasetest.Server
	c      *appbase.Client
	reg    *prometheus.Registry
	sleeps *sleeps
}

// newEnv starts a fake and a client on it; tweak adjusts the client options.
func newEnv(t testing.TB, tweak func(*appbase.Options), opts ...appbasetest.Option) *env {
	t.Helper()
	srv := appbasetest.NewServerT(t, opts...)
	e := &env{srv: srv, reg: prometheus.NewRegistry(), sleeps: &sleeps{}}
	o := srv.ClientOptions()
	o.Registerer = e.reg
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Sleep = e.sleeps.sleep
	o.Jitter = func(d time.Duration) time.Duration { return d } // exact waits to assert on
	o.Timeout = 5 * time.Second
	if tweak != nil {
		tweak(&o)
	}
	c, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	e.c = c
	return e
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func asError(t *testing.T, err error) *appbase.Error {
	t.Helper()
	e, ok := err.(*appbase.Error)
	if !ok {
		t.Fatalf("error %T %v, want *appbase.Error", err, err)
	}
	return e
}

// counter reads a counter value from the registry by metric name and labels.
func counter(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	metric:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue metric
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			if m.GetHistogram() != nil {
				return float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return 0
}
