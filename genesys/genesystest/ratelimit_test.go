package genesystest

import (
	"net/http"
	"testing"
	"time"
)

// Each token has its own budget per minute; past it a 429 with Retry-After
// and the platform's body; every answer reports count, allowed and reset.
func TestTokenRateLimit(t *testing.T) {
	clk := newFakeClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	s := newFake(t, WithTokenRateLimit(3), WithClock(clk.Now))
	cc := seededClient(t, s)
	u := s.AddUser(User{Name: "Ann", Email: "ann@example.com"})
	user := s.UserToken(u.ID)
	for i := 1; i <= 3; i++ {
		r := api(t, s, "GET", "/api/v2/organizations/me", cc, nil)
		wantStatus(t, r, http.StatusOK)
		if got := r.header.Get("inin-ratelimit-count"); got != string(rune('0'+i)) {
			t.Fatalf("request %d: inin-ratelimit-count %q", i, got)
		}
		if r.header.Get("inin-ratelimit-allowed") != "3" || r.header.Get("inin-ratelimit-reset") != "60" {
			t.Fatalf("request %d: headers %v", i, r.header)
		}
	}
	clk.Advance(20 * time.Second)
	r := api(t, s, "GET", "/api/v2/organizations/me", cc, nil)
	m := wantAPIError(t, r, http.StatusTooManyRequests, "too.many.requests.retry.after")
	if r.header.Get("Retry-After") != "40" || m["message"] != "Rate limit exceeded the maximum. Retry the request in [40] seconds" {
		t.Fatalf("429: Retry-After %q, %v", r.header.Get("Retry-After"), m)
	}
	// Another token has its own budget.
	wantStatus(t, api(t, s, "GET", "/api/v2/users/me", user, nil), http.StatusOK)
	if s.Throttled() != 1 {
		t.Fatalf("Throttled() = %d, want 1", s.Throttled())
	}
	clk.Advance(40 * time.Second)
	wantStatus(t, api(t, s, "GET", "/api/v2/organizations/me", cc, nil), http.StatusOK)
}
