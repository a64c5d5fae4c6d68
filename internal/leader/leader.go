// Package leader runs work on one replica at a time: with Kubernetes, the
// holder of a coordination.k8s.io Lease (client-go leader election); else
// in this process, which is then the only replica by assumption.
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
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/leaderelection"
	"k8s.io/client-go/tools/leaderelection/resourcelock"
)

// Modes (config events.leader.mode).
const (
	ModeInProcess  = "inprocess"
	ModeKubernetes = "kubernetes"
)

// Defaults: a standby takes over at most LeaseDuration + RetryPeriod after
// the leader stops renewing (17 s), well inside 30 s; a leader that stops
// cleanly releases the Lease and the standby takes over within RetryPeriod.
const (
	DefaultLeaseDuration = 15 * time.Second
	DefaultRenewDeadline = 10 * time.Second
	DefaultRetryPeriod   = 2 * time.Second
)

// Short timings, for a quick takeover (tests). A lease may not be much
// shorter: client-go compares lease records as JSON, where renew times have
// whole seconds, so a standby sees a renewal only about once a second, and
// a 1 s lease now and then looks expired to it while the leader renews it
// on time (two leaders).
const (
	ShortLeaseDuration = 3 * time.Second
	ShortRenewDeadline = 2 * time.Second
	ShortRetryPeriod   = 200 * time.Millisecond
)

// Options configure an Elector. Field comments name config keys.
type Options struct {
	// Mode is kubernetes or inprocess (events.leader.mode, default inprocess).
	Mode string
	// Client talks to the Kubernetes API (mode kubernetes); nil means the
	// in-cluster configuration (the pod's service account).
	Client kubernetes.Interface
	// Namespace and Name of the Lease (events.leader.leaseNamespace, default
	// the pod's namespace; events.leader.leaseName, default dcmconnect-events).
	Namespace, Name string
	// Identity of this replica (default the host name, i.e. the pod name).
	Identity string
	// LeaseDuration, RenewDeadline and RetryPeriod tune the election.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
	Registerer                                prometheus.Registerer
	Logger                                    *slog.Logger
}

// Elector runs work while this replica leads.
type Elector struct {
	o       Options
	leading atomic.Bool
	holder  atomic.Value // string
	gauge   prometheus.Gauge
}

// New checks o. For mode kubernetes without a Client it builds one from the
// in-cluster configuration.
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
	if o.RenewDeadline >= o.LeaseDuration {
		return nil, fmt.Errorf("leader: renew deadline %v must be shorter than the lease duration %v", o.RenewDeadline, o.LeaseDuration)
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Mode == ModeKubernetes {
		if o.Namespace == "" {
			ns, err := os.ReadFile("/var/run/secrets/kubernetes.io/serviceaccount/namespace")
			if err != nil {
				return nil, errors.New("leader: events.leader.leaseNamespace is empty and the pod's namespace cannot be read; set events.leader.leaseNamespace")
			}
			o.Namespace = strings.TrimSpace(string(ns))
		}
		if o.Client == nil {
			cfg, err := rest.InClusterConfig()
			if err != nil {
				return nil, fmt.Errorf("leader: events.leader.mode is kubernetes but this is not a pod with a service account (%v); use inprocess outside Kubernetes", err)
			}
			if o.Client, err = kubernetes.NewForConfig(cfg); err != nil {
				return nil, fmt.Errorf("leader: Kubernetes client: %w", err)
			}
		}
	}
	reg := o.Registerer
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "dcmconnect_leader",
		Help: "1 while this replica leads (runs the event listener), else 0.", ConstLabels: prometheus.Labels{"lease": o.Name}})
	if err := reg.Register(g); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			return nil, err
		}
		g = are.ExistingCollector.(prometheus.Gauge)
	}
	e := &Elector{o: o, gauge: g}
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
// this replica becomes leader, until ctx ends. In-process it calls work
// once, at once.
func (e *Elector) Run(ctx context.Context, work func(ctx context.Context)) error {
	if e.o.Mode == ModeInProcess {
		e.set(true, e.o.Identity)
		defer e.set(false, "")
		work(ctx)
		return nil
	}
	lock := &resourcelock.LeaseLock{
		LeaseMeta:  metav1.ObjectMeta{Namespace: e.o.Namespace, Name: e.o.Name},
		Client:     e.o.Client.CoordinationV1(),
		LockConfig: resourcelock.ResourceLockConfig{Identity: e.o.Identity},
	}
	le, err := leaderelection.NewLeaderElector(leaderelection.LeaderElectionConfig{
		Lock: lock, LeaseDuration: e.o.LeaseDuration, RenewDeadline: e.o.RenewDeadline, RetryPeriod: e.o.RetryPeriod,
		ReleaseOnCancel: true, Name: e.o.Name,
		Callbacks: leaderelection.LeaderCallbacks{
			OnStartedLeading: func(lctx context.Context) {
				e.set(true, e.o.Identity)
				e.o.Logger.Info("leader: leading", "lease", e.o.Namespace+"/"+e.o.Name, "identity", e.o.Identity)
				work(lctx)
			},
			OnStoppedLeading: func() {
				e.set(false, "")
				e.o.Logger.Info("leader: no longer leading", "lease", e.o.Namespace+"/"+e.o.Name, "identity", e.o.Identity)
			},
			OnNewLeader: func(id string) { e.holder.Store(id) },
		},
	})
	if err != nil {
		return fmt.Errorf("leader: %w", err)
	}
	// Run returns when leadership is lost; stand by again until ctx ends.
	for ctx.Err() == nil {
		le.Run(ctx)
	}
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
