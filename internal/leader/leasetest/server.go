// Package leasetest is a fake Kubernetes API server for the leader
// package: the subset of the coordination.k8s.io/v1 Lease REST API a
// leader election uses (get, create, update of a named Lease), with the
// API server's optimistic concurrency (an update must carry the
// resourceVersion it read; a stale one is a 409 Conflict) and its Status
// bodies, so the real client-go typed client is tested against it.
//
// Reference: https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/lease-v1/
// and https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions
package leasetest

import (
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"

	"dcmconnect/internal/fakehttp"
)

// Operations: the targets of Fail and Requests.
const (
	OpGet    = "get"
	OpCreate = "create"
	OpUpdate = "update"
)

var ops = []string{OpGet, OpCreate, OpUpdate}

// Fault is what the next requests of an operation get instead of their
// answer. Latency and Drop act as in the other fakes (internal/fakehttp).
type Fault struct {
	// Status answers with a Kubernetes Status of this HTTP code (500, 503,
	// 409...), after Latency; 0 with Latency alone delays the real answer.
	Status  int
	Latency time.Duration
	// Drop closes the connection without an answer.
	Drop bool
}

// Server is the fake API server. Start it with NewServerT.
type Server struct {
	http   *fakehttp.Server
	t      fakehttp.T
	faults fakehttp.Faults[Fault]

	mu       sync.Mutex
	leases   map[string]*coordinationv1.Lease // namespace/name
	version  int64                            // last resourceVersion given
	requests map[string]int
	// conflicts counts the 409s the fake's state gave (not injected ones).
	conflicts int
}

// NewServerT starts a server on loopback and closes it when the test ends.
// An unknown operation given to Fail or Requests fails the test.
func NewServerT(t fakehttp.T) *Server {
	t.Helper()
	s := &Server{t: t, leases: map[string]*coordinationv1.Lease{}, requests: map[string]int{}}
	mux := http.NewServeMux()
	const leases = "/apis/coordination.k8s.io/v1/namespaces/{ns}/leases"
	mux.HandleFunc("GET "+leases+"/{name}", s.serve(OpGet, s.get))
	mux.HandleFunc("POST "+leases, s.serve(OpCreate, s.create))
	mux.HandleFunc("PUT "+leases+"/{name}", s.serve(OpUpdate, s.update))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeStatus(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("leasetest: %s %s is not served (only get, create and update of leases)", r.Method, r.URL.Path), "")
	})
	s.http = fakehttp.New("leasetest", mux)
	s.http.StartT(t)
	return s
}

// URL is the server's base URL.
func (s *Server) URL() string { return s.http.URL() }

// Config is a client configuration for this server, as rest.InClusterConfig
// is for the real one; client-go's rate limit is off, since a test on a
// fake clock asks many times a real second.
func (s *Server) Config() *rest.Config { return &rest.Config{Host: s.URL(), QPS: -1} }

// Fail queues f for the next times requests of op (0: until ClearFaults).
func (s *Server) Fail(op string, f Fault, times int) {
	s.check(op)
	s.faults.Add(op, f, times)
}

// ClearFaults removes every queued fault.
func (s *Server) ClearFaults() { s.faults.Clear() }

// Requests is how many requests of op arrived (faulted ones included).
func (s *Server) Requests(op string) int {
	s.check(op)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[op]
}

// Conflicts is how many creates and updates lost to another writer (409
// AlreadyExists or Conflict), injected faults not counted.
func (s *Server) Conflicts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.conflicts
}

// Lease returns a copy of the stored lease.
func (s *Server) Lease(namespace, name string) (*coordinationv1.Lease, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.leases[namespace+"/"+name]
	if !ok {
		return nil, false
	}
	return l.DeepCopy(), true
}

// Put stores l as another writer would (kubectl, a replica of another
// program), giving it a new resourceVersion.
func (s *Server) Put(l *coordinationv1.Lease) *coordinationv1.Lease {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.store(l.DeepCopy())
}

func (s *Server) check(op string) {
	for _, o := range ops {
		if op == o {
			return
		}
	}
	if op == fakehttp.AnyTarget {
		return
	}
	fakehttp.Reject(s.t, "leasetest", op, "use leasetest.OpGet, OpCreate or OpUpdate")
}

// serve counts a request of op, applies its fault if one is queued, and
// else answers it with h.
func (s *Server) serve(op string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests[op]++
		s.mu.Unlock()
		if f, ok := s.faults.Take(op); ok {
			if !s.http.Wait(r, f.Latency) {
				return
			}
			if f.Drop {
				fakehttp.Drop(w)
				return
			}
			if f.Status != 0 {
				writeStatus(w, r, f.Status, reasonFor(f.Status), fmt.Sprintf("leasetest: injected %d", f.Status), r.PathValue("name"))
				return
			}
		}
		h(w, r)
	}
}

func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	l, ok := s.Lease(r.PathValue("ns"), name)
	if !ok {
		notFound(w, r, name)
		return
	}
	write(w, r, http.StatusOK, l, coordinationv1.SchemeGroupVersion)
}

func (s *Server) create(w http.ResponseWriter, r *http.Request) {
	l, ok := readLease(w, r)
	if !ok {
		return
	}
	if l.Name == "" {
		writeStatus(w, r, http.StatusUnprocessableEntity, "Invalid", "Lease.coordination.k8s.io is invalid: metadata.name: Required value", "")
		return
	}
	if l.ResourceVersion != "" {
		writeStatus(w, r, http.StatusUnprocessableEntity, "Invalid", "metadata.resourceVersion: resourceVersion should not be set on objects to be created", l.Name)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, exists := s.leases[l.Namespace+"/"+l.Name]; exists {
		s.conflicts++
		writeStatus(w, r, http.StatusConflict, "AlreadyExists", fmt.Sprintf("leases.coordination.k8s.io %q already exists", l.Name), l.Name)
		return
	}
	write(w, r, http.StatusCreated, s.store(l), coordinationv1.SchemeGroupVersion)
}

func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	l, ok := readLease(w, r)
	if !ok {
		return
	}
	if l.Name != r.PathValue("name") {
		writeStatus(w, r, http.StatusBadRequest, "BadRequest", fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", l.Name, r.PathValue("name")), l.Name)
		return
	}
	// The API server would accept an update without a version (last
	// writer wins); the election never sends one, so the fake refuses it.
	if l.ResourceVersion == "" {
		writeStatus(w, r, http.StatusUnprocessableEntity, "Invalid", "leasetest: metadata.resourceVersion: must be specified for an update", l.Name)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur, exists := s.leases[l.Namespace+"/"+l.Name]
	if !exists {
		notFound(w, r, l.Name)
		return
	}
	if cur.ResourceVersion != l.ResourceVersion {
		s.conflicts++
		writeStatus(w, r, http.StatusConflict, "Conflict", fmt.Sprintf("Operation cannot be fulfilled on leases.coordination.k8s.io %q: the object has been modified; please apply your changes to the latest version and try again", l.Name), l.Name)
		return
	}
	l.UID, l.CreationTimestamp = cur.UID, cur.CreationTimestamp
	write(w, r, http.StatusOK, s.store(l), coordinationv1.SchemeGroupVersion)
}

// store saves l under a new resourceVersion; s.mu is held.
func (s *Server) store(l *coordinationv1.Lease) *coordinationv1.Lease {
	s.version++
	l.TypeMeta = metav1.TypeMeta{Kind: "Lease", APIVersion: "coordination.k8s.io/v1"}
	l.ResourceVersion = strconv.FormatInt(s.version, 10)
	if l.UID == "" {
		l.UID = types.UID(fmt.Sprintf("lease-%d", s.version))
		l.CreationTimestamp = metav1.Now()
	}
	s.leases[l.Namespace+"/"+l.Name] = l
	return l.DeepCopy()
}

// readLease decodes the request's Lease; its namespace is the URL's.
func readLease(w http.ResponseWriter, r *http.Request) (*coordinationv1.Lease, bool) {
	l, err := decodeLease(r)
	if err != nil {
		writeStatus(w, r, http.StatusBadRequest, "BadRequest", "leasetest: the body is not a Lease: "+err.Error(), "")
		return nil, false
	}
	ns := r.PathValue("ns")
	if l.Namespace != "" && l.Namespace != ns {
		writeStatus(w, r, http.StatusBadRequest, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", l.Name)
		return nil, false
	}
	l.Namespace = ns
	return l, true
}

func notFound(w http.ResponseWriter, r *http.Request, name string) {
	writeStatus(w, r, http.StatusNotFound, "NotFound", fmt.Sprintf("leases.coordination.k8s.io %q not found", name), name)
}

func reasonFor(code int) metav1.StatusReason {
	switch code {
	case http.StatusConflict:
		return metav1.StatusReasonConflict
	case http.StatusNotFound:
		return metav1.StatusReasonNotFound
	case http.StatusTooManyRequests:
		return metav1.StatusReasonTooManyRequests
	case http.StatusServiceUnavailable:
		return metav1.StatusReasonServiceUnavailable
	case http.StatusGatewayTimeout:
		return metav1.StatusReasonTimeout
	case http.StatusInternalServerError:
		return metav1.StatusReasonInternalError
	}
	return metav1.StatusReasonUnknown
}

// writeStatus answers as the API server does: a v1 Status naming the lease.
func writeStatus(w http.ResponseWriter, r *http.Request, code int, reason metav1.StatusReason, msg, name string) {
	st := metav1.Status{
		TypeMeta: metav1.TypeMeta{Kind: "Status", APIVersion: "v1"},
		Status:   metav1.StatusFailure, Message: msg, Reason: reason, Code: int32(code),
	}
	if name != "" {
		st.Details = &metav1.StatusDetails{Name: name, Group: "coordination.k8s.io", Kind: "leases"}
	}
	write(w, r, code, &st, schema.GroupVersion{Version: "v1"})
}
