// Package appbasetest is an in-memory ServiceJourney (AppBase) for tests and
// the demo: a real HTTP server with the Security.WebService login, the BDS
// rule service running dcmconnect's rule contract (DESIGN §4), Ecx.Web pages
// for screen pops, the envelope quirks real AppBase shows, fault injection
// and request counters. Start one like httptest: srv := appbasetest.NewServer().
package appbasetest

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"dcmconnect/appbase"
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
	mu sync.Mutex

	domain, user, password, code string
	tokenTTL                     time.Duration
	tokenErrStatus               int
	quirks                       bool
	now                          func() time.Time

	tokens       map[string]time.Time // token -> last use (sliding expiry)
	users        []User
	parties      []Party
	cases        []Case
	interactions []Interaction
	byConv       map[string]int // conversation id -> index in interactions
	syncState    map[string]string
	removed      map[string]bool
	faults       []*faultState
	requests     map[string]int
	logins       int
	nextID       int
	xfo, csp     string

	srv    *http.Server
	ln     net.Listener
	url    string
	closed chan struct{}
	once   sync.Once
}

// Option configures a Server at creation.
type Option func(*Server)

// Domain sets the app domain the rule service accepts (default DCM_Production.tenant1).
func Domain(d string) Option { return func(s *Server) { s.domain = d } }

// Credentials sets the system user and password login accepts.
func Credentials(user, password string) Option {
	return func(s *Server) { s.user, s.password = user, password }
}

// IntegrationCode sets the rule prefix (default ROOT_GENESYS_INTEGRATION).
func IntegrationCode(code string) Option { return func(s *Server) { s.code = code } }

// TokenTTL sets the sliding token lifetime: a token unused for this long expires.
func TokenTTL(d time.Duration) Option { return func(s *Server) { s.tokenTTL = d } }

// Quirks makes replies look like real AppBase at its messiest: numbers as
// strings, mixed-case keys (TotalCount, ErrorCode, Email), `new Date(ms)`
// dates, RN columns, bare nulls for empty values and a UTF-8 BOM.
func Quirks(on bool) Option { return func(s *Server) { s.quirks = on } }

// TokenErrorStatus sets the HTTP status sent with the top-level "token
// invalid" error (default 200, as AppBase reports errors in the body).
func TokenErrorStatus(code int) Option { return func(s *Server) { s.tokenErrStatus = code } }

// Clock replaces time.Now for token expiry.
func Clock(now func() time.Time) Option { return func(s *Server) { s.now = now } }

// NewUnstartedServer builds a Server without listening; call Start or StartOn.
func NewUnstartedServer(opts ...Option) *Server {
	s := &Server{
		domain:         DefaultDomain,
		user:           DefaultUser,
		password:       DefaultPassword,
		code:           appbase.DefaultIntegrationCode,
		tokenTTL:       DefaultTokenTTL,
		tokenErrStatus: http.StatusOK,
		now:            time.Now,
		tokens:         map[string]time.Time{},
		byConv:         map[string]int{},
		syncState:      map[string]string{},
		removed:        map[string]bool{},
		requests:       map[string]int{},
		nextID:         1000,
		closed:         make(chan struct{}),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// NewServer starts a Server on 127.0.0.1 and a free port.
func NewServer(opts ...Option) *Server {
	s := NewUnstartedServer(opts...)
	s.Start()
	return s
}

// Start listens on 127.0.0.1 and a free port; it panics if it cannot (as httptest does).
func (s *Server) Start() {
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		panic(fmt.Sprintf("appbasetest: %v", err))
	}
}

// StartOn listens on addr (e.g. "127.0.0.1:8091") and serves in the background.
func (s *Server) StartOn(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.mu.Lock()
	if s.srv != nil {
		s.mu.Unlock()
		ln.Close()
		return errors.New("server already started")
	}
	s.ln = ln
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	srv := s.srv
	s.mu.Unlock()
	go srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed on Close
	return nil
}

// Close stops the server, dropping open connections and pending latency faults.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

// URL is the base URL, e.g. http://127.0.0.1:41234 (servicejourney.url).
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Domain is the app domain served.
func (s *Server) Domain() string { return s.domain }

// User and Password are the accepted system credentials.
func (s *Server) User() string     { return s.user }
func (s *Server) Password() string { return s.password }

// RuleName is the rule code of a contract operation on this server.
func (s *Server) RuleName(op string) string { return s.code + "_" + strings.ToUpper(op) }

// ClientOptions are appbase.Options pointing at this server.
func (s *Server) ClientOptions() appbase.Options {
	return appbase.Options{URL: s.URL(), Domain: s.domain, User: s.user, Password: s.password, IntegrationCode: s.code}
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
	case strings.HasPrefix(p, "/Ecx.Web/"):
		s.servePage(w, r, strings.TrimPrefix(p, "/Ecx.Web/"))
	default:
		http.NotFound(w, r)
	}
}
