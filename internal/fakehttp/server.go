package fakehttp

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// T is what NewServerT needs from a test: *testing.T and *testing.B have it.
// Declared here so the fakes (also used by the demo binary) need not import
// package testing.
type T interface {
	Helper()
	Cleanup(func())
	Fatalf(format string, args ...any)
}

// Server serves a handler on a listener of its own. Start it once, close it
// once; Close also wakes requests held in an injected latency.
type Server struct {
	name    string // the fake's package name, for messages
	handler http.Handler

	mu  sync.Mutex
	srv *http.Server
	url string

	closeOnce sync.Once
	closed    chan struct{}
}

// New returns a server for h that is not yet listening; name prefixes its
// error messages ("genesystest").
func New(name string, h http.Handler) *Server {
	return &Server{name: name, handler: h, closed: make(chan struct{})}
}

// Start listens on 127.0.0.1 at a free port; it panics if it cannot, as
// httptest.NewServer does.
func (s *Server) Start() {
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		panic(s.name + ": " + err.Error())
	}
}

// StartT starts the server and closes it when the test ends; a failure to
// listen fails the test.
func (s *Server) StartT(t T) {
	t.Helper()
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		t.Fatalf("%s: %v", s.name, err)
	}
	t.Cleanup(s.Close)
}

// StartOn listens on addr (host:port) and serves in the background.
func (s *Server) StartOn(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return errors.New("server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	s.url = "http://" + ln.Addr().String()
	s.srv = &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln) //nolint:errcheck // ends with ErrServerClosed on Close
	return nil
}

// Close stops the server, cuts open connections and wakes requests waiting
// in an injected latency. Safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// URL is the base URL without a trailing slash; empty before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}
