package leader

import (
	"context"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes/fake"
)

type candidate struct {
	e      *Elector
	leads  chan string
	stops  chan string
	cancel context.CancelFunc
	done   chan struct{}
}

func run(t *testing.T, o Options) *candidate {
	t.Helper()
	e, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	c := &candidate{e: e, leads: make(chan string, 10), stops: make(chan string, 10), done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	c.cancel = cancel
	go func() {
		defer close(c.done)
		_ = e.Run(ctx, func(lctx context.Context) {
			c.leads <- o.Identity
			<-lctx.Done()
			c.stops <- o.Identity
		})
	}()
	t.Cleanup(func() { cancel(); <-c.done })
	return c
}

// fastLease is the short lease (a 1 s lease made two leaders now and then).
func fastLease(client *fake.Clientset, id string) Options {
	return Options{Mode: ModeKubernetes, Client: client, Namespace: "dcm", Name: "dcmconnect-events", Identity: id,
		LeaseDuration: ShortLeaseDuration, RenewDeadline: ShortRenewDeadline, RetryPeriod: ShortRetryPeriod}
}

func TestOneLeaderAndTakeover(t *testing.T) {
	// The election only gets, creates and updates a Lease: the simple clientset
	// does that without NewClientset's server-side-apply schema, which takes
	// seconds of CPU to parse under the race detector.
	client := fake.NewSimpleClientset()
	a := run(t, fastLease(client, "pod-a"))
	select {
	case <-a.leads:
	case <-time.After(5 * time.Second):
		t.Fatal("the first candidate did not lead within 5s")
	}
	b := run(t, fastLease(client, "pod-b"))
	// b stands by while a renews: three renewal periods of a's lease pass
	// with b still waiting.
	select {
	case <-b.leads:
		t.Fatal("two leaders at once")
	case <-time.After(3 * time.Second):
	}
	if !a.e.Leading() || b.e.Leading() || b.e.Leader() != "pod-a" {
		t.Fatalf("a leading %v, b leading %v, b sees leader %q", a.e.Leading(), b.e.Leading(), b.e.Leader())
	}
	lease, err := client.CoordinationV1().Leases("dcm").Get(context.Background(), "dcmconnect-events", metav1.GetOptions{})
	if err != nil || lease.Spec.HolderIdentity == nil || *lease.Spec.HolderIdentity != "pod-a" {
		t.Fatalf("lease = %+v, %v", lease, err)
	}
	stopped := time.Now()
	a.cancel()
	<-a.done
	select {
	case <-b.leads:
	case <-time.After(30 * time.Second):
		t.Fatal("the standby did not take over within 30s")
	}
	t.Logf("takeover after %v", time.Since(stopped))
	if a.e.Leading() || !b.e.Leading() {
		t.Fatal("leadership did not move")
	}
}

func TestInProcessRunsAtOnce(t *testing.T) {
	c := run(t, Options{Mode: "InProcess", Identity: "here"})
	select {
	case <-c.leads:
	case <-time.After(5 * time.Second):
		t.Fatal("in-process work did not start")
	}
	if !c.e.Leading() {
		t.Fatal("not leading")
	}
}

func TestBadModeNamesTheKey(t *testing.T) {
	if _, err := New(Options{Mode: "zookeeper", Identity: "x"}); err == nil || !strings.Contains(err.Error(), "events.leader.mode") {
		t.Fatalf("err = %v", err)
	}
}
