package promreg

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

func counter() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: "x_total", Help: "x"}, []string{"k"})
}

func TestSecondRegistrationSharesTheFirst(t *testing.T) {
	reg := prometheus.NewRegistry()
	a := Register(reg, counter())
	b := Register(reg, counter())
	b.WithLabelValues("v").Inc()
	if got := testutil.ToFloat64(a.WithLabelValues("v")); got != 1 {
		t.Fatalf("first collector saw %v, want the second's increment", got)
	}
}

func TestClashPanics(t *testing.T) {
	reg := prometheus.NewRegistry()
	Register(reg, counter())
	defer func() {
		if recover() == nil {
			t.Fatal("same name, other labels: want a panic")
		}
	}()
	Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: "x_total", Help: "x"}, []string{"other"}))
}

func TestOrGivesAPrivateRegistry(t *testing.T) {
	Register(Or(nil), counter()).WithLabelValues("v").Inc()
	mfs, err := Or(nil).(prometheus.Gatherer).Gather()
	if err != nil || len(mfs) != 0 {
		t.Fatalf("a second private registry holds %d families (%v): nil must give a fresh one each time", len(mfs), err)
	}
	reg := prometheus.NewRegistry()
	if Or(reg) != reg {
		t.Fatal("a given registry must be used")
	}
}

// TestConstructorsRegisterWhatTheyDeclare: each one-line constructor
// registers a collector of its kind under the name, help and labels given,
// and a second call with the same declaration shares the first.
func TestConstructorsRegisterWhatTheyDeclare(t *testing.T) {
	reg := prometheus.NewRegistry()
	CounterVec(reg, "a_total", "a help", "x", "y").WithLabelValues("1", "2").Inc()
	CounterVec(reg, "a_total", "a help", "x", "y").WithLabelValues("1", "2").Inc()
	Counter(reg, "b_total", "b help").Add(3)
	Gauge(reg, "c", "c help").Set(4)
	GaugeVec(reg, "d", "d help", "z").WithLabelValues("q").Set(5)
	Histogram(reg, "e_seconds", "e help", []float64{1, 2}).Observe(1.5)
	HistogramVec(reg, "f_seconds", "f help", []float64{1}, "w").WithLabelValues("v").Observe(0.5)
	want := map[string]string{"a_total": "COUNTER", "b_total": "COUNTER", "c": "GAUGE", "d": "GAUGE", "e_seconds": "HISTOGRAM", "f_seconds": "HISTOGRAM"}
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fams {
		if want[f.GetName()] != f.GetType().String() || f.GetHelp() != f.GetName()[:1]+" help" {
			t.Errorf("%s: type %s help %q", f.GetName(), f.GetType(), f.GetHelp())
		}
		delete(want, f.GetName())
	}
	if len(want) != 0 {
		t.Errorf("not registered: %v", want)
	}
	if n := testutil.ToFloat64(CounterVec(reg, "a_total", "a help", "x", "y").WithLabelValues("1", "2")); n != 2 {
		t.Errorf("a_total = %v, want 2 (both calls share one collector)", n)
	}
}
