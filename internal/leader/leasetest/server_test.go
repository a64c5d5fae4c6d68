package leasetest

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	coordinationv1 "k8s.io/api/coordination/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	coordinationv1client "k8s.io/client-go/kubernetes/typed/coordination/v1"
)

func TestTheTypedClientGetsTheAPIServersAnswers(t *testing.T) {
	s := NewServerT(t)
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
	s.Fail(OpGet, Fault{Status: http.StatusServiceUnavailable}, 1)
	if _, err := leases.Get(ctx, "x", metav1.GetOptions{}); !apierrors.IsServiceUnavailable(err) {
		t.Fatalf("faulted get: %v; want ServiceUnavailable", err)
	}
	got, err := leases.Get(ctx, "x", metav1.GetOptions{})
	if err != nil || *got.Spec.HolderIdentity != "pod-b" || s.Requests(OpGet) != 3 || s.Requests(OpUpdate) != 2 {
		t.Fatalf("get after the fault: %+v, %v; %d gets, %d updates", got, err, s.Requests(OpGet), s.Requests(OpUpdate))
	}
}

type recorder struct{ fatals []string }

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(func())            {}
func (r *recorder) Fatalf(f string, a ...any) { r.fatals = append(r.fatals, fmt.Sprintf(f, a...)) }

func TestAnUnknownOperationFailsTheTest(t *testing.T) {
	s := NewServerT(t)
	r := &recorder{}
	s.t = r
	s.Fail("delete", Fault{Status: 500}, 1)
	_ = s.Requests("patch")
	if len(r.fatals) != 2 {
		t.Fatalf("fatals = %q; want one for each unknown operation", r.fatals)
	}
}
