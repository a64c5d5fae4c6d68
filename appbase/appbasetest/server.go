// Package appbasetest is an in-memory ServiceJourney (AppBase) for tests and
// the demo: a real HTTP server with the Security.WebService login, the BDS
// rule service running dcmconnect's rule contract in both profiles (the
// connector's custom rules and the stock DCM rules), Ecx.Web pages
// for screen pops, the envelope quirks real AppBase shows, fault injection
// and request counters. Start one like httptest: srv := appbasetest.NewServer(),
// or srv := appbasetest.NewServerT(t) in a test, which closes itself. Options,
// AddUser and the queued fault model are the same as in genesystest.
package appbasetest

import (
	"net/http"
	"strings"
	"sync"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/internal/fakehttp"
)

// Defaults of a new Server.
const (
	DefaultDomain   = "DCM_Production.tenant1"
	DefaultUser     = "genesys_cloud_sysuser"
	DefaultPassword = "demo-password"
	DefaultTokenTTL = 30 * time.Minute
)

// Server is the fake. All methods are safe for concurrent use.
type Server struct {
	options // fixed at creation, but for quirks (SetQuirks)

	mu sync.Mutex

	tokens       map[string]time.Time // token -> last use (sliding expiry)
	users        []User
	parties      []Party
	cases        []Case
	interactions []Interaction
	byConv       map[string]int // conversation id -> index in interactions
	syncState    map[string]string
	removed      map[string]bool
	requests     map[string]int
	logins       int
	nextID       int
	xfo, csp     string
	caseWorker   bool // the system user has an active Case Worker record
	missingPages map[string]bool

	faults fakehttp.Faults[Fault]
	http   *fakehttp.Server
	t      fakehttp.T // set by NewServerT: bad targets fail the test
}

// Option configures a Server at creation.
type Option func(*options)

type options struct {
	domain, user, password, code string
	tokenTTL                     time.Duration
	tokenErrStatus               int
	tokenErrMsg, profile         string
	quirks                       bool
	now                          func() time.Time
}

// WithDomain sets the app domain the rule service accepts (default DCM_Production.tenant1).
func WithDomain(d string) Option { return func(o *options) { o.domain = d } }

// WithCredentials sets the system user and password login accepts.
func WithCredentials(user, password string) Option {
	return func(o *options) { o.user, o.password = user, password }
}

// WithIntegrationCode sets the custom rules' prefix (default appbase.DefaultIntegrationCode).
func WithIntegrationCode(code string) Option { return func(o *options) { o.code = code } }

// WithTokenTTL sets the sliding token lifetime: a token unused for this long expires.
func WithTokenTTL(d time.Duration) Option { return func(o *options) { o.tokenTTL = d } }

// WithQuirks makes replies look like real AppBase at its messiest: numbers as
// strings, mixed-case keys (TotalCount, ErrorCode, Email), `new Date(ms)`
// dates, RN columns, bare nulls for empty values and a UTF-8 BOM.
func WithQuirks(on bool) Option { return func(o *options) { o.quirks = on } }

// WithTokenErrorStatus sets the HTTP status sent with the top-level "token
// invalid" error (default 200, as AppBase reports errors in the body).
func WithTokenErrorStatus(code int) Option { return func(o *options) { o.tokenErrStatus = code } }

// WithTokenErrorMessage sets the words of the top-level ErrorCode 500 sent
// for an invalid or expired token. AppBase's wording is not documented; a
// client must log in again on the code, whatever the message.
func WithTokenErrorMessage(msg string) Option { return func(o *options) { o.tokenErrMsg = msg } }

// WithProfile sets the profile ClientOptions names (default: the client's
// default). The server always serves both profiles' rules.
func WithProfile(p string) Option { return func(o *options) { o.profile = p } }

// WithClock replaces time.Now, for token expiry.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// NewUnstartedServer builds a Server without listening; call Start or StartOn.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		options: options{
			domain:         DefaultDomain,
			user:           DefaultUser,
			password:       DefaultPassword,
			code:           appbase.DefaultIntegrationCode,
			tokenTTL:       DefaultTokenTTL,
			tokenErrStatus: http.StatusOK,
			tokenErrMsg:    tokenInvalidMessage,
			now:            time.Now,
		},
		tokens:       map[string]time.Time{},
		byConv:       map[string]int{},
		syncState:    map[string]string{},
		removed:      map[string]bool{},
		requests:     map[string]int{},
		nextID:       1000,
		caseWorker:   true,
		missingPages: map[string]bool{},
	}
	for _, o := range opts {
		o(&s.options)
	}
	s.http = fakehttp.New("appbasetest", s)
	return s
}

// NewServer starts a Server on 127.0.0.1 and a free port.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// NewServerT starts a Server that closes itself when the test ends (like
// miniredis RunT); an unknown target given to Fault or Requests fails the
// test instead of panicking.
func NewServerT(t fakehttp.T, opts ...Option) *Server {
	t.Helper()
	s := NewUnstartedServer(opts...)
	s.t = t
	s.http.StartT(t)
	return s
}

// Start listens on 127.0.0.1 and a free port; it panics if it cannot (as httptest does).
func (s *Server) Start() { s.http.Start() }

// StartOn listens on addr (e.g. "127.0.0.1:8091") and serves in the background.
func (s *Server) StartOn(addr string) error { return s.http.StartOn(addr) }

// Close stops the server, dropping open connections and pending latency faults.
func (s *Server) Close() { s.http.Close() }

// URL is the base URL, e.g. http://127.0.0.1:41234 (servicejourney.url).
func (s *Server) URL() string { return s.http.URL() }

// Domain is the app domain served.
func (s *Server) Domain() string { return s.domain }

// User and Password are the accepted system credentials.
func (s *Server) User() string     { return s.user }
func (s *Server) Password() string { return s.password }

// RuleName is the rule code of a contract operation on this server.
func (s *Server) RuleName(op string) string { return s.code + "_" + strings.ToUpper(op) }

// ClientOptions are appbase.Options pointing at this server.
func (s *Server) ClientOptions() appbase.Options {
	return appbase.Options{URL: s.URL(), Domain: s.domain, User: s.user, Password: s.password, IntegrationCode: s.code, Profile: s.profile}
}

// SetQuirks switches the envelope quirks on or off at run time.
func (s *Server) SetQuirks(on bool) {
	s.mu.Lock()
	s.quirks = on
	s.mu.Unlock()
}

// FrameHeaders sets X-Frame-Options and Content-Security-Policy sent with
// Ecx.Web pages ("" sends none), to test how the agent page copes with them.
func (s *Server) FrameHeaders(xFrameOptions, csp string) {
	s.mu.Lock()
	s.xfo, s.csp = xFrameOptions, csp
	s.mu.Unlock()
}

// ServeHTTP routes to login, the rule service and Ecx.Web pages.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, securityPrefix):
		s.serveLogin(w, r, strings.TrimPrefix(p, securityPrefix))
	case strings.HasPrefix(p, bdsPrefix):
		s.serveRule(w, r, strings.TrimPrefix(p, bdsPrefix))
	case p == "/Ecx.Web" || strings.HasPrefix(p, "/Ecx.Web/"):
		s.servePage(w, r, strings.TrimPrefix(strings.TrimPrefix(p, "/Ecx.Web"), "/"))
	default:
		http.NotFound(w, r)
	}
}
