package genesystest

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"dcmconnect/internal/fakehttp"
)

// Server is a fake Genesys Cloud (login and API hosts on one base URL).
// All methods are safe for concurrent use.
type Server struct {
	opts options

	mu        sync.Mutex // guards the data below
	data      store
	jobFaults jobFaults

	faults fakehttp.Faults[Fault]
	cmu    sync.Mutex // guards counts
	counts map[string]int
	limits tokenWindows // WithTokenRateLimit

	routes *router
	notes  *notifier // notification channels and sockets

	http *fakehttp.Server
	t    fakehttp.T // set by NewServerT: bad targets fail the test
}

// Option configures a Server.
type Option func(*options)

type options struct {
	now                func() time.Time
	premiumAppType     string
	jobPendingPolls    int
	enforcePerms       bool
	enforceClientRoles bool
	analyticsDayMatch  bool
	maxPageSize        int
	tokenPerMinute     int // 0: no per-token limit
}

// WithClock replaces time.Now, for token expiry and timestamps.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithPremiumAppType sets the id of the seeded premium-app integration type
// (default "premium-app-servicejourney").
func WithPremiumAppType(id string) Option { return func(o *options) { o.premiumAppType = id } }

// WithJobPendingPolls sets how many status polls of an analytics job answer
// PENDING before it is FULFILLED (default 1; 0 = fulfilled at once).
func WithJobPendingPolls(n int) Option { return func(o *options) { o.jobPendingPolls = n } }

// WithEnforcedPermissions makes user tokens need the permission each route
// documents (403 missing.permissions otherwise). Client-credentials tokens are
// allowed unless WithEnforcedClientRoles is given too.
func WithEnforcedPermissions() Option { return func(o *options) { o.enforcePerms = true } }

// WithEnforcedClientRoles makes client-credentials tokens need the permission
// each route documents too, from the roles granted to their OAuth client
// (roleIds and roleDivisions; a division is not told apart).
func WithEnforcedClientRoles() Option { return func(o *options) { o.enforceClientRoles = true } }

// WithAnalyticsDayMatching makes the sync analytics query return conversations
// that started on any UTC day touched by the interval, as the SDK docs describe,
// instead of only those started within the interval (the default).
func WithAnalyticsDayMatching() Option { return func(o *options) { o.analyticsDayMatch = true } }

// WithMaxPageSize caps pageSize on ordinary listings (default 500; larger
// requests are clamped). The real maximum is not documented.
func WithMaxPageSize(n int) Option { return func(o *options) { o.maxPageSize = n } }

// NewServer starts a fake on 127.0.0.1 at a random port, like httptest.NewServer.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewServerT starts a fake that closes itself when the test ends (like
// miniredis RunT); an unknown route given to Fault or Requests fails the
// test instead of panicking.
func NewServerT(t fakehttp.T, opts ...Option) *Server {
	t.Helper()
	s := NewUnstartedServer(opts...)
	s.t = t
	s.http.StartT(t)
	return s
}

// NewUnstartedServer returns a fake that is seeded but not yet listening.
func NewUnstartedServer(opts ...Option) *Server {
	o := options{
		now:             time.Now,
		premiumAppType:  "premium-app-servicejourney",
		jobPendingPolls: 1,
		maxPageSize:     500,
	}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{
		opts:   o,
		counts: map[string]int{},
		notes:  newNotifier(),
	}
	s.data.init(o)
	s.routes = s.buildRoutes()
	s.http = fakehttp.New("genesystest", s)
	return s
}

// Start listens on 127.0.0.1 at a random port; it panics if it cannot.
func (s *Server) Start() { s.http.Start() }

// StartOn listens on addr (host:port) and serves in the background.
func (s *Server) StartOn(addr string) error { return s.http.StartOn(addr) }

// Close stops the server, cuts open connections and wakes requests that are
// waiting in an injected latency.
func (s *Server) Close() {
	s.notes.shutdown() // hijacked WebSockets outlive http.Server.Close
	s.http.Close()
}

// URL is the base URL for both the login paths (/oauth/...) and the API
// (/api/v2/...), without a trailing slash. Empty before Start.
func (s *Server) URL() string { return s.http.URL() }

// Handler returns the server as an http.Handler, for mounting elsewhere.
func (s *Server) Handler() http.Handler { return s }

func (s *Server) now() time.Time { return s.opts.now().UTC() }

// ServeHTTP runs the pipeline every request goes through: correlation id,
// CORS, routing, counting, faults, authentication, permissions, handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("ININ-Correlation-Id", newUUID())
	if corsPath(r.URL.Path) {
		if preflight := s.cors(w, r); preflight {
			return
		}
	}
	rt, params, methodMismatch := s.routes.match(r.Method, r.URL.Path)
	if rt == nil {
		if methodMismatch {
			writeError(w, http.StatusMethodNotAllowed, "method.not.allowed",
				"HTTP method "+r.Method+" is not supported by "+r.URL.Path)
			return
		}
		writeError(w, http.StatusNotFound, "not.found", "The requested resource was not found: "+r.URL.Path)
		return
	}
	for k, v := range params {
		r.SetPathValue(k, v)
	}
	s.count(rt.key)
	if s.applyFault(w, r, rt.key) {
		return
	}
	if rt.auth {
		tok, ok := s.authenticate(w, r)
		if !ok || s.rateLimited(w, tok) {
			return
		}
		if len(rt.perms) > 0 && ((s.opts.enforcePerms && tok.userID != "") || (s.opts.enforceClientRoles && tok.userID == "" && tok.clientID != "")) {
			if missing := s.missingPermission(tok, rt.perms); missing != "" {
				writeError(w, http.StatusForbidden, "missing.permissions",
					"Unable to perform the requested action. You are missing the following permission(s): "+missing)
				return
			}
		}
		r = r.WithContext(context.WithValue(r.Context(), tokenKey{}, tok))
	}
	rt.h(w, r)
}

func corsPath(p string) bool {
	return p == "/oauth/token" || strings.HasPrefix(p, "/api/v2/")
}
