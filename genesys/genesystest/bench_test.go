package genesystest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Benchmarks run the handler in-process (no sockets), to show the fake is
// not the bottleneck of client benchmarks.

func BenchmarkTokenGrant(b *testing.B) {
	s := NewUnstartedServer()
	s.AddClient(Client{ID: "c", Secret: "s"})
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/oauth/token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth("c", "s")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}

func BenchmarkUsersPage10k(b *testing.B) {
	s := NewUnstartedServer()
	for i := range 10050 {
		s.AddUser(User{Name: fmt.Sprintf("User %05d", i), Email: fmt.Sprintf("u%d@example.com", i)})
	}
	s.AddClient(Client{ID: "c", Secret: "s"})
	s.mu.Lock()
	tok := s.issueToken("c", "", s.data.orgID, nil, DefaultTokenTTL).value
	s.mu.Unlock()
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("GET", "/api/v2/users?pageSize=500&pageNumber=7", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatal(rec.Code)
		}
	}
}
