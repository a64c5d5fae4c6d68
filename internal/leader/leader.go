// Package leader runs work on one replica at a time: with Kubernetes, the
// holder of a coordination.k8s.io Lease (election.go); else in this
// process, which is then the only replica by assumption.
package leader

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	coordinationv1client "k8s.io/client-go/kubernetes/typed/coordination/v1"
	"k8s.io/client-go/rest"

	"dcmconnect/internal/clock"
	"dcmconnect/internal/promreg"
)

// Modes (config events.leader.mode).
const (
	ModeInProcess  = "inprocess"
	ModeKubernetes = "kubernetes"
)

// Defaults: a standby takes over at most LeaseDuration + RetryPeriod after
// the leader stops renewing (17 s), well inside 30 s; a leader that stops
// cleanly releases the Lease and the standby takes over within RetryPeriod.
// A leader that cannot renew for RenewDeadline stops its work, 5 s before
// anyone may take the Lease.
const (
	DefaultLeaseDuration = 15 * time.Second
	DefaultRenewDeadline = 10 * time.Second
	DefaultRetryPeriod   = 2 * time.Second
)

// Options configure an Elector. Field comments name config keys.
type Options struct {
	// Mode is kubernetes or inprocess (events.leader.mode, default inprocess).
	Mode string
	// Kubernetes is how to reach the API server (mode kubernetes); nil means
	// the in-cluster configuration (the pod's service account).
	Kubernetes *rest.Config
	// Namespace and Name of the Lease (events.leader.leaseNamespace, default
	// the pod's namespace; events.leader.leaseName, default dcmconnect-events).
	Namespace, Name string
	// Identity of this replica (default the host name, i.e. the pod name).
	Identity string
	// LeaseDuration (whole seconds, as the Lease stores it), RenewDeadline
	// and RetryPeriod tune the election.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	// Clock times the election (nil: the system clock); tests pass a fake.
	Clock      clock.Clock
	Registerer prometheus.Registerer
	Logger     *slog.Logger
}

// Elector runs work while this replica leads.
type Elector struct {
	o       Options
	leases  coordinationv1client.LeaseInterface // nil in-process
	clock   clock.Clock
	leading atomic.Bool
	holder  atomic.Value // string
	gauge   prometheus.Gauge
	calls   *prometheus.CounterVec

	election // Run's own state (election.go)
}

// New checks o. For mode kubernetes it builds the Lease client, from the
// in-cluster configuration unless o.Kubernetes is set.
func New(o Options) (*Elector, error) {
	switch o.Mode = strings.ToLower(strings.TrimSpace(o.Mode)); o.Mode {
	case "":
		o.Mode = ModeInProcess
	case ModeInProcess, ModeKubernetes:
	default:
		return nil, fmt.Errorf("leader: mode %q is unknown; set events.leader.mode to kubernetes or inprocess", o.Mode)
	}
	if o.Name == "" {
		o.Name = "dcmconnect-events"
	}
	if o.Identity == "" {
		h, err := os.Hostname()
		if err != nil || h == "" {
			return nil, errors.New("leader: no identity: the host name is unknown; set the pod name as the host name")
		}
		o.Identity = h
	}
	def := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&o.LeaseDuration, DefaultLeaseDuration)
	def(&o.RenewDeadline, DefaultRenewDeadline)
	def(&o.RetryPeriod, DefaultRetryPeriod)
	// Others read the duration from the Lease in whole seconds: the leader
	// must step down before that much has passed.
	o.LeaseDuration = o.LeaseDuration.Truncate(time.Second)
	if o.RenewDeadline >= o.LeaseDuration {
		return nil, fmt.Errorf("leader: renew deadline %v must be shorter than the lease duration %v (whole seconds)", o.RenewDeadline, o.LeaseDuration)
	}
	if o.RetryPeriod >= o.RenewDeadline {
		return nil, fmt.Errorf("leader: retry period %v must be shorter than the renew deadline %v", o.RetryPeriod, o.RenewDeadline)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	e := &Elector{o: o, clock: clock.Or(o.Clock)}
	if o.Mode == ModeKubernetes {
		if o.Namespace == "" {
			ns, err := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
			if err != nil {
				return nil, errors.New("leader: events.leader.leaseNamespace is empty and the pod's namespace cannot be read; set events.leader.leaseNamespace")
			}
			e.o.Namespace = strings.TrimSpace(string(ns))
		}
		cfg := o.Kubernetes
		if cfg == nil {
			var err error
			if cfg, err = rest.InClusterConfig(); err != nil {
				return nil, fmt.Errorf("leader: events.leader.mode is kubernetes but this is not a pod with a service account (%v); use inprocess outside Kubernetes", err)
			}
		}
		client, err := coordinationv1client.NewForConfig(cfg)
		if err != nil {
			return nil, fmt.Errorf("leader: Kubernetes client: %w", err)
		}
		e.leases = client.Leases(e.o.Namespace)
	}
	reg := promreg.Or(o.Registerer)
	e.gauge = promreg.Register(reg, prometheus.NewGauge(prometheus.GaugeOpts{Name: "dcmconnect_leader",
		Help: "1 while this replica leads (runs the event listener), else 0.", ConstLabels: prometheus.Labels{"lease": o.Name}}))
	e.calls = promreg.Register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dcmconnect_leader_lease_requests_total",
		Help:        "Requests to the Kubernetes API for the Lease, by operation (get, create, update) and outcome (ok, conflict, notfound, timeout, error).",
		ConstLabels: prometheus.Labels{"lease": o.Name}}, []string{"op", "outcome"}))
	e.holder.Store("")
	return e, nil
}

// Leading reports whether work runs here now.
func (e *Elector) Leading() bool { return e.leading.Load() }

// Leader is the identity of the current leader ("" when unknown).
func (e *Elector) Leader() string { return e.holder.Load().(string) }

// Mode is the election mode in force.
func (e *Elector) Mode() string { return e.o.Mode }

// Run calls work (with a context that ends when leadership ends) each time
// this replica becomes leader, until ctx ends; work must return once its
// context ends, and this replica stands by (or releases the Lease) only
// after it has. In-process it calls work once, at once.
func (e *Elector) Run(ctx context.Context, work func(ctx context.Context)) error {
	if e.o.Mode == ModeInProcess {
		e.set(true, e.o.Identity)
		defer e.set(false, "")
		work(ctx)
		return nil
	}
	e.campaign(ctx, work)
	return nil
}

func (e *Elector) set(leading bool, holder string) {
	e.leading.Store(leading)
	if holder != "" {
		e.holder.Store(holder)
	}
	if leading {
		e.gauge.Set(1)
	} else {
		e.gauge.Set(0)
	}
}
