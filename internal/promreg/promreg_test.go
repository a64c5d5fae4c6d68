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
