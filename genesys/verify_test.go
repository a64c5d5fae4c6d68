package genesys

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// userDir serves users/me and tokens/me for a few user tokens.
type userDir struct {
	mu     sync.Mutex
	users  map[string]string    // token -> org id
	idles  map[string]time.Time // token -> dateTokenIdles
	noInfo bool                 // tokens/me answers 404
	tb     testing.TB
}

func (d *userDir) install(e *env) {
	e.f.handle("GET /api/v2/organizations/me", orgHandler) // client credentials: org-1
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		d.mu.Lock()
		org, ok := d.users[tok]
		d.mu.Unlock()
		if !ok {
			genesysError(w, 401, "bad.credentials", "Invalid login credentials.")
			return
		}
		if r.URL.Query().Get("expand") != "organization,authorization,groups" {
			d.tb.Errorf("expand = %q", r.URL.Query().Get("expand"))
		}
		fmt.Fprintf(w, `{"id":"user-%s","name":"Ann Agent","email":"ann@example.com","username":"ann@example.com",
			"organization":{"id":%q,"name":"Org %s"},
			"authorization":{"roles":[{"id":"r1"}],"permissions":["analytics:conversationDetail:view","integrations:integration:view:*"]},
			"groups":[{"id":"g-1","name":"Team Leads"}]}`, tok, org, org)
	})
	e.f.handle("GET /api/v2/tokens/me", func(w http.ResponseWriter, r *http.Request) {
		tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		d.mu.Lock()
		defer d.mu.Unlock()
		if d.noInfo {
			genesysError(w, 404, "not.found", "no")
			return
		}
		body := map[string]any{"organization": map[string]any{"id": d.users[tok]}}
		if t, ok := d.idles[tok]; ok {
			body["dateTokenIdles"] = t.UTC().Format("2006-01-02T15:04:05.000Z")
		}
		writeJSON(w, 200, body)
	})
}

func verifyEnv(tt testing.TB, mod func(*Options)) (*env, *userDir) {
	e := newEnv(tt, mod)
	d := &userDir{tb: tt, users: map[string]string{"good": "org-1", "other": "org-2", "short": "org-1"}, idles: map[string]time.Time{}}
	d.idles["short"] = e.clock.Now().Add(time.Minute)
	d.install(e)
	return e, d
}

func TestVerifyUserTokenAndCache(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	ctx := context.Background()
	u, err := e.c.VerifyUserToken(ctx, "Bearer good")
	if err != nil {
		tt.Fatal(err)
	}
	if u.ID != "user-good" || u.Name != "Ann Agent" || u.Email != "ann@example.com" || u.OrgID != "org-1" || u.OrgName != "Org org-1" ||
		len(u.Permissions) != 2 || !u.HasPermission("integrations:integration:view") || u.HasPermission("integrations:integration:edit") ||
		len(u.Groups) != 1 || u.Groups[0].Name != "Team Leads" {
		tt.Fatalf("user = %+v", u)
	}
	if !u.ExpiresAt.Equal(e.clock.Now().Add(DefaultVerifyCacheTTL)) {
		tt.Fatalf("ExpiresAt = %v, want now+5m", u.ExpiresAt)
	}
	for range 5 {
		if _, err := e.c.VerifyUserToken(ctx, "good"); err != nil {
			tt.Fatal(err)
		}
	}
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("users/me calls = %d, want 1", n)
	}
	m := e.c.core.metrics
	if counterValue(tt, m.verifyHit) != 5 || counterValue(tt, m.verifyMiss) != 1 {
		tt.Fatalf("hits %v misses %v", counterValue(tt, m.verifyHit), counterValue(tt, m.verifyMiss))
	}
	// The cache holds at most 5 minutes.
	e.clock.Advance(DefaultVerifyCacheTTL)
	if _, err := e.c.VerifyUserToken(ctx, "good"); err != nil || e.f.count("GET /api/v2/users/me") != 2 {
		tt.Fatalf("not re-verified after 5m: %v, %d", err, e.f.count("GET /api/v2/users/me"))
	}
	// Our org was read once with the client-credentials token.
	if e.f.count("GET /api/v2/organizations/me") != 1 || e.f.tokenCalls.Load() != 1 {
		tt.Fatalf("org lookups %d, token fetches %d", e.f.count("GET /api/v2/organizations/me"), e.f.tokenCalls.Load())
	}
}

func TestVerifyCachedNoLongerThanTokenLife(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	ctx := context.Background()
	u, err := e.c.VerifyUserToken(ctx, "short")
	if err != nil {
		tt.Fatal(err)
	}
	if !u.ExpiresAt.Equal(e.clock.Now().Add(time.Minute)) {
		tt.Fatalf("ExpiresAt = %v, want the token's dateTokenIdles", u.ExpiresAt)
	}
	e.clock.Advance(59 * time.Second)
	e.c.VerifyUserToken(ctx, "short")
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("calls = %d before expiry", n)
	}
	e.clock.Advance(time.Second)
	e.c.VerifyUserToken(ctx, "short")
	if n := e.f.count("GET /api/v2/users/me"); n != 2 {
		tt.Fatalf("calls = %d after the token's expiry, want 2", n)
	}
}

func TestVerifyWithoutTokenInfoFallsBackToCacheLimit(tt *testing.T) {
	e, d := verifyEnv(tt, nil)
	d.noInfo = true
	u, err := e.c.VerifyUserToken(context.Background(), "short")
	if err != nil || !u.ExpiresAt.Equal(e.clock.Now().Add(DefaultVerifyCacheTTL)) {
		tt.Fatalf("%+v %v", u, err)
	}
}

// Done when: a token of another org is refused.
func TestVerifyRefusesOtherOrg(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	ctx := context.Background()
	_, err := e.c.VerifyUserToken(ctx, "other")
	if !errors.Is(err, ErrOtherOrg) || !strings.Contains(err.Error(), "org-2") || !strings.Contains(err.Error(), "org-1") {
		tt.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error(), "other") && !strings.Contains(err.Error(), "another") {
		tt.Fatalf("token in error: %v", err)
	}
	// The refusal is remembered briefly, then asked again.
	e.c.VerifyUserToken(ctx, "other")
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("calls = %d, want 1 (refusal cached)", n)
	}
	e.clock.Advance(DefaultVerifyFailureTTL)
	if _, err := e.c.VerifyUserToken(ctx, "other"); !errors.Is(err, ErrOtherOrg) || e.f.count("GET /api/v2/users/me") != 2 {
		tt.Fatalf("after failure TTL: %v, %d calls", err, e.f.count("GET /api/v2/users/me"))
	}
}

func TestVerifyRefusesBadToken(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	ctx := context.Background()
	// Our org id read as at start-up (KeepOrgID), with the one background token.
	if _, err := e.c.OrgID(ctx); err != nil {
		tt.Fatal(err)
	}
	if _, err := e.c.VerifyUserToken(ctx, "expired"); !errors.Is(err, ErrUnauthorized) {
		tt.Fatalf("err = %v", err)
	}
	e.c.VerifyUserToken(ctx, "expired")
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("calls = %d, want 1", n)
	}
	if e.f.tokenCalls.Load() != 1 {
		tt.Fatalf("a user's 401 must not touch the client-credentials token: %d token requests, want the start-up one", e.f.tokenCalls.Load())
	}
	for _, b := range []string{"", "Bearer ", "   ", "Bearer Bearer good", "Bearer good extra", "go\x00od"} {
		if _, err := e.c.VerifyUserToken(ctx, b); !errors.Is(err, ErrUnauthorized) {
			tt.Fatalf("%q: err = %v", b, err)
		}
	}
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("malformed tokens reached Genesys: users/me calls = %d, want 1", n)
	}
}

func TestVerifyTransientErrorNotCached(tt *testing.T) {
	e := newEnv(tt, func(o *Options) { o.OrgID = "org-1"; o.MaxRetries = -1 })
	var n atomic.Int64
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			genesysError(w, 503, "service.unavailable", "down")
			return
		}
		fmt.Fprint(w, `{"id":"u","organization":{"id":"org-1"}}`)
	})
	e.f.handle("GET /api/v2/tokens/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	if _, err := e.c.VerifyUserToken(context.Background(), "tok"); err == nil {
		tt.Fatal("no error on 503")
	}
	if _, err := e.c.VerifyUserToken(context.Background(), "tok"); err != nil {
		tt.Fatalf("second try: %v", err)
	}
	if e.f.tokenCalls.Load() != 0 || e.f.count("GET /api/v2/organizations/me") != 0 {
		tt.Fatal("Options.OrgID must avoid the org lookup")
	}
}

func TestVerifyConcurrentSameTokenOneLookup(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	var wg sync.WaitGroup
	for range 200 {
		wg.Go(func() {
			if _, err := e.c.VerifyUserToken(context.Background(), "good"); err != nil {
				tt.Error(err)
			}
		})
	}
	wg.Wait()
	if n := e.f.count("GET /api/v2/users/me"); n != 1 {
		tt.Fatalf("users/me calls = %d, want 1", n)
	}
}

func TestVerifyNeedsOurOrg(tt *testing.T) {
	e := newEnv(tt, func(o *Options) { o.ClientID, o.ClientSecret = "", "" })
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"id":"u","organization":{"id":"org-1"}}`)
	})
	e.f.handle("GET /api/v2/tokens/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	_, err := e.c.VerifyUserToken(context.Background(), "tok")
	if !errors.Is(err, ErrNoClientCredentials) || !strings.Contains(err.Error(), "OrgID") {
		tt.Fatalf("err = %v", err)
	}
}

func TestOrgIDCached(tt *testing.T) {
	e := newEnv(tt, nil)
	e.f.handle("GET /api/v2/organizations/me", orgHandler)
	for range 3 {
		id, err := e.c.OrgID(context.Background())
		if err != nil || id != "org-1" {
			tt.Fatalf("%q %v", id, err)
		}
	}
	if e.f.count("GET /api/v2/organizations/me") != 1 {
		tt.Fatal("org id not cached")
	}
}

// The first verification of a process reads our org id beside users/me,
// not after it: users/me here answers only once organizations/me has been
// asked, so a verification that waited for users/me first would time out.
func TestVerifyReadsOrgIDBesideUsersMe(tt *testing.T) {
	e := newEnv(tt, func(o *Options) { o.MaxRetries = -1 })
	orgAsked := make(chan struct{})
	var once sync.Once
	e.f.handle("GET /api/v2/organizations/me", func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(orgAsked) })
		orgHandler(w, r)
	})
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-orgAsked:
			fmt.Fprint(w, `{"id":"u","organization":{"id":"org-1"}}`)
		case <-r.Context().Done():
		}
	})
	e.f.handle("GET /api/v2/tokens/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	u, err := e.c.VerifyUserToken(ctx, "tok")
	if err != nil || u.OrgID != "org-1" {
		tt.Fatalf("VerifyUserToken = %+v, %v; organizations/me must be read while users/me is under way", u, err)
	}
	// Once known, the org id is not read again.
	if _, err := e.c.VerifyUserToken(ctx, "tok2"); err != nil || e.f.count("GET /api/v2/organizations/me") != 1 {
		tt.Fatalf("second token: %v, organizations/me read %d times", err, e.f.count("GET /api/v2/organizations/me"))
	}
}

// A token refused by users/me is refused as before while the org id is
// still being read beside it.
func TestVerifyRefusalWhileOrgIDRead(tt *testing.T) {
	e := newEnv(tt, func(o *Options) { o.MaxRetries = -1 })
	release := make(chan struct{})
	e.f.handle("GET /api/v2/organizations/me", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
		orgHandler(w, r)
	})
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		genesysError(w, 401, "bad.credentials", "Invalid login credentials.")
	})
	e.f.handle("GET /api/v2/tokens/me", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]any{}) })
	_, err := e.c.VerifyUserToken(context.Background(), "forged")
	close(release)
	if !errors.Is(err, ErrUnauthorized) {
		tt.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if id, err := e.c.OrgID(context.Background()); err != nil || id != "org-1" {
		tt.Fatalf("OrgID after the refusal = %q, %v", id, err)
	}
}

// CachedVerification answers only from the cache: nothing before the first
// verification, the same user after it (with or without the Bearer word),
// and it never asks Genesys.
func TestCachedVerification(tt *testing.T) {
	e, _ := verifyEnv(tt, nil)
	if u, err, ok := e.c.CachedVerification("good"); ok || u != nil || err != nil {
		tt.Fatalf("before any verification: %v %v %v", u, err, ok)
	}
	if e.f.count("GET /api/v2/users/me") != 0 {
		tt.Fatal("CachedVerification asked Genesys")
	}
	want, err := e.c.VerifyUserToken(context.Background(), "good")
	if err != nil {
		tt.Fatal(err)
	}
	for _, b := range []string{"good", "Bearer good", " bearer good "} {
		if u, err, ok := e.c.CachedVerification(b); !ok || err != nil || u != want {
			tt.Fatalf("%q: %v %v %v", b, u, err, ok)
		}
	}
	if _, err := e.c.VerifyUserToken(context.Background(), "other"); !errors.Is(err, ErrOtherOrg) {
		tt.Fatal(err)
	}
	if _, err, ok := e.c.CachedVerification("other"); !ok || !errors.Is(err, ErrOtherOrg) {
		tt.Fatalf("cached refusal: %v %v", err, ok)
	}
	if n := e.f.count("GET /api/v2/users/me"); n != 2 {
		tt.Fatalf("users/me calls = %d, want 2", n)
	}
}

// The cache's key is the token's SHA-256 at every length (past the stack
// copy's 256 bytes too, so tokens differing only there differ in key), and
// a token of usual length is hashed without an allocation.
func TestTokenKeyIsTheSHA256(t *testing.T) {
	long := strings.Repeat("a", 300)
	for _, tok := range []string{"", "good", strings.Repeat("x", 120), strings.Repeat("y", 256), strings.Repeat("z", 257), long, long[:299] + "b"} {
		if got, want := tokenKey(tok), sha256.Sum256([]byte(tok)); got != want {
			t.Errorf("len %d: key %x, want %x", len(tok), got, want)
		}
	}
	if tokenKey(long) == tokenKey(long[:299]+"b") {
		t.Error("two tokens differing past byte 256 share a key")
	}
	tok := strings.Repeat("t", 120)
	if n := testing.AllocsPerRun(100, func() { _ = tokenKey(tok) }); n != 0 {
		t.Errorf("tokenKey of a 120-byte token: %v allocations, want 0", n)
	}
}
