package fakehttp

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

type recorder struct {
	fatals   []string
	cleanups []func()
}

func (r *recorder) Helper()                   {}
func (r *recorder) Cleanup(f func())          { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Fatalf(f string, a ...any) { r.fatals = append(r.fatals, fmt.Sprintf(f, a...)) }

func TestStartTClosesAtCleanup(t *testing.T) {
	rec := &recorder{}
	s := New("fake", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	s.StartT(rec)
	if err := s.StartOn("127.0.0.1:0"); err == nil {
		t.Fatal("second start accepted")
	}
	c := &http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(s.URL())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(rec.cleanups) != 1 {
		t.Fatalf("%d cleanups registered, want 1", len(rec.cleanups))
	}
	rec.cleanups[0]()
	if _, err := c.Get(s.URL()); err == nil {
		t.Fatal("server answers after cleanup")
	}
}

func TestRejectFailsTestOrPanics(t *testing.T) {
	rec := &recorder{}
	Reject(rec, "fake", "GET /nope", "see Routes")
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], `fake: unknown target "GET /nope"; see Routes`) {
		t.Fatalf("reported %q", rec.fatals)
	}
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), `"GET /nope"`) {
			t.Fatalf("panic = %v, want one naming the target", p)
		}
	}()
	Reject(nil, "fake", "GET /nope", "see Routes")
}

func TestCloseWakesWait(t *testing.T) {
	entered, returned := make(chan struct{}), make(chan struct{})
	var s *Server
	s = New("fake", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer close(returned)
		close(entered)
		s.Wait(r, time.Minute)
	}))
	s.Start()
	defer s.Close()
	go func() {
		if resp, err := http.Get(s.URL()); err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case <-entered:
	case <-time.After(5 * time.Second):
		t.Fatal("the request never reached the handler")
	}
	s.Close()
	select {
	case <-returned:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake the wait")
	}
}
