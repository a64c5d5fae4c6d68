package leader_test

// The fake Kubernetes API server's own tests (package leasetest) live in
// the leader's test binary: both need client-go, whose race-enabled link
// (~2.5 CPU-s) a second test binary would pay again on every go test run.

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	coordinationv1client "k8s.io/client-go/kubernetes/typed/coordination/v1"

	"dcmconnect/internal/leader/leasetest"
)

func TestTheTypedClientGetsTheAPIServersAnswers(t *testing.T) {
	s := leasetest.NewServerT(t)
	client, err := coordinationv1client.NewForConfig(s.Config())
	if err != nil {
		t.Fatal(err)
	}
	leases, ctx := client.Leases("dcm"), context.Background()
	if _, err := leases.Get(ctx, "x", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Fatalf("get of a missing lease: %v; want NotFound", err)
	}
	holder := "pod-a"
	made, err := leases.Create(ctx, &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "x"}, Spec: coordinationv1.LeaseSpec{HolderIdentity: &holder}}, metav1.CreateOptions{})
	if err != nil || made.ResourceVersion == "" || made.Namespace != "dcm" || *made.Spec.HolderIdentity != "pod-a" {
		t.Fatalf("create: %+v, %v", made, err)
	}
	if _, err := leases.Create(ctx, &coordinationv1.Lease{ObjectMeta: metav1.ObjectMeta{Name: "x"}}, metav1.CreateOptions{}); !apierrors.IsAlreadyExists(err) {
		t.Fatalf("second create: %v; want AlreadyExists", err)
	}
	other := "pod-b"
	next := made.DeepCopy()
	next.Spec.HolderIdentity = &other
	updated, err := leases.Update(ctx, next, metav1.UpdateOptions{})
	if err != nil || updated.ResourceVersion == made.ResourceVersion {
		t.Fatalf("update: %+v, %v; want a new version", updated, err)
	}
	if _, err := leases.Update(ctx, made, metav1.UpdateOptions{}); !apierrors.IsConflict(err) {
		t.Fatalf("update of a stale version: %v; want Conflict", err)
	}
	if s.Conflicts() != 2 {
		t.Fatalf("conflicts = %d; want 2 (a create, an update)", s.Conflicts())
	}
	s.Fail(leasetest.OpGet, leasetest.Fault{Status: http.StatusServiceUnavailable}, 1)
	if _, err := leases.Get(ctx, "x", metav1.GetOptions{}); !apierrors.IsServiceUnavailable(err) {
		t.Fatalf("faulted get: %v; want ServiceUnavailable", err)
	}
	got, err := leases.Get(ctx, "x", metav1.GetOptions{})
	if err != nil || *got.Spec.HolderIdentity != "pod-b" || s.Requests(leasetest.OpGet) != 3 || s.Requests(leasetest.OpUpdate) != 2 {
		t.Fatalf("get after the fault: %+v, %v; %d gets, %d updates", got, err, s.Requests(leasetest.OpGet), s.Requests(leasetest.OpUpdate))
	}
}

// recorder is the fake's test: it keeps the fatals and hands cleanups to t,
// so the server still closes when the test ends.
type recorder struct {
	t      *testing.T
	fatals []string
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.t.Cleanup(f) }
func (r *recorder) Fatalf(f string, a ...any) { r.fatals = append(r.fatals, fmt.Sprintf(f, a...)) }

func TestAnUnknownOperationFailsTheTest(t *testing.T) {
	r := &recorder{t: t}
	s := leasetest.NewServerT(r)
	s.Fail("delete", leasetest.Fault{Status: 500}, 1)
	_ = s.Requests("patch")
	if len(r.fatals) != 2 {
		t.Fatalf("fatals = %q; want one for each unknown operation", r.fatals)
	}
}
