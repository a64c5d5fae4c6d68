package genesystest

import (
	"net/http"
	"testing"
	"time"
)

// TestDeadTokensAreSwept keeps a long-running demo's memory bounded while
// expired tokens keep answering 401.
func TestDeadTokensAreSwept(t *testing.T) {
	clock := newFakeClock(time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC))
	s := newFake(t, WithClock(clock.Now))
	u := s.AddUser(User{Name: "Ann"})
	first := s.UserToken(u.ID)
	for range 1100 {
		s.UserToken(u.ID)
	}
	clock.Advance(DefaultTokenTTL)
	live := s.UserToken(u.ID) // crosses the next sweep threshold only if needed
	for range 2100 {
		s.UserToken(u.ID)
	}
	s.mu.Lock()
	n := len(s.data.tokens)
	s.mu.Unlock()
	if n > 2200 {
		t.Fatalf("%d tokens kept; expired ones were not swept", n)
	}
	wantAPIError(t, api(t, s, "GET", "/api/v2/users/me", first, nil), http.StatusUnauthorized, "bad.credentials")
	wantStatus(t, api(t, s, "GET", "/api/v2/users/me", live, nil), http.StatusOK)
}
