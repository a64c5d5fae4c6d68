package genesys

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func orgHandler(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"id": "org-1", "name": "Acme"})
}

// Done when: 1,000 concurrent callers on a cold cache cause exactly one
// token request, and exactly one more after expiry.
func TestColdCacheConcurrentCallersShareOneTokenFetch(t *testing.T) {
	t.Parallel() // CPU-heavy, independent: overlaps the other three
	// The 1,000 callers share the token; their API calls then share 32
	// connections, as dialling up to 1,000 would cost twice the CPU and
	// memory of the whole test under the race detector.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost = 32, 32
	e := newEnv(t, func(o *Options) {
		o.HTTPClient = &http.Client{Transport: tr}
		// On a loaded machine 1,000 callers can take longer than the default
		// per-attempt deadline; a timed-out attempt is retried and would
		// count as an extra API request. What is tested here is the token
		// sharing, not the deadline.
		o.Timeout = 5 * time.Minute
	})
	e.f.expiresIn.Store(3600)
	e.f.handle("GET /api/v2/organizations/me", orgHandler)
	var release func()
	run := func() {
		t.Helper()
		const callers = 1000
		var wg, started sync.WaitGroup
		errs := make(chan error, callers)
		started.Add(callers)
		for range callers {
			wg.Go(func() {
				started.Done()
				if _, err := e.c.Organizations.Me(context.Background()); err != nil {
					errs <- err
				}
			})
		}
		// Every caller is running and the shared fetch is held at the fake
		// login server: release it only then.
		started.Wait()
		<-e.f.arrived
		release()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("call failed: %v", err)
		}
	}
	release = e.f.holdTokens()
	run()
	if got := e.f.tokenCalls.Load(); got != 1 {
		t.Fatalf("token requests after 1000 cold callers = %d, want 1", got)
	}
	if got := e.f.count("GET /api/v2/organizations/me"); got != 1000 {
		t.Fatalf("API requests = %d, want 1000", got)
	}

	// Past expiry (less the margin) the token is replaced exactly once.
	e.clock.Advance(time.Hour)
	release = e.f.holdTokens()
	run()
	if got := e.f.tokenCalls.Load(); got != 2 {
		t.Fatalf("token requests after expiry = %d, want 2", got)
	}
	if got := counterValue(t, e.c.core.metrics.tokenFetch.WithLabelValues("ok")); got != 2 {
		t.Fatalf("token fetch metric = %v, want 2", got)
	}
}

func TestTokenRefreshedAtMarginNotBefore(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.TokenRefreshMargin = 5 * time.Minute })
	e.f.expiresIn.Store(3600)
	ctx := context.Background()
	tok1, err := e.c.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(54*time.Minute + 59*time.Second) // 1s before expiry-margin
	if tok, _ := e.c.Token(ctx); tok != tok1 || e.f.tokenCalls.Load() != 1 {
		t.Fatalf("token refreshed early: %q, %d fetches", tok, e.f.tokenCalls.Load())
	}
	e.clock.Advance(time.Second)
	tok2, err := e.c.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tok2 == tok1 || e.f.tokenCalls.Load() != 2 {
		t.Fatalf("token not refreshed at the margin: %q, %d fetches", tok2, e.f.tokenCalls.Load())
	}
}

func TestShortLivedTokenRefreshedAtHalfLife(t *testing.T) {
	e := newEnv(t, nil)
	e.f.expiresIn.Store(120) // shorter than the 5m margin
	ctx := context.Background()
	e.c.Token(ctx)
	e.c.Token(ctx)
	if n := e.f.tokenCalls.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1 (a token shorter than the margin must still be cached)", n)
	}
	e.clock.Advance(61 * time.Second)
	e.c.Token(ctx)
	if n := e.f.tokenCalls.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2 after half-life", n)
	}
}

// Done when: an expired token mid-flight is refreshed once and the call succeeds.
func TestExpiredTokenMidFlightRefreshedOnce(t *testing.T) {
	e := newEnv(t, nil)
	var seen []string
	var mu sync.Mutex
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.Header.Get("Authorization") == "Bearer tok-1" { // revoked/expired early at Genesys
			genesysError(w, 401, "bad.credentials", "Invalid login credentials.")
			return
		}
		writeJSON(w, 200, map[string]any{"id": r.PathValue("id"), "name": "Ann"})
	})
	u, err := e.c.Users.Get(context.Background(), "u-1")
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if u.Name != "Ann" {
		t.Fatalf("user = %+v", u)
	}
	if got := e.f.tokenCalls.Load(); got != 2 {
		t.Fatalf("token requests = %d, want 2", got)
	}
	if strings.Join(seen, ",") != "Bearer tok-1,Bearer tok-2" {
		t.Fatalf("authorization headers = %v", seen)
	}
	if got := counterValue(t, e.c.core.metrics.retries.WithLabelValues("users", "401")); got != 1 {
		t.Fatalf("401 retry metric = %v", got)
	}
}

func TestPersistent401RefreshesOnlyOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		genesysError(w, 401, "bad.credentials", "Invalid login credentials.")
	})
	_, err := e.c.Users.Get(context.Background(), "u-1")
	if !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v, want ErrUnauthorized", err)
	}
	if e.f.tokenCalls.Load() != 2 || e.f.count("GET /api/v2/users/{id}") != 2 {
		t.Fatalf("token fetches %d, API calls %d; want 2 and 2", e.f.tokenCalls.Load(), e.f.count("GET /api/v2/users/{id}"))
	}
}

func TestWithTokenDoesNotRefreshOn401(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer user-token" {
			t.Errorf("authorization = %q", r.Header.Get("Authorization"))
		}
		genesysError(w, 401, "bad.credentials", "Invalid login credentials.")
	})
	_, err := e.c.WithToken("user-token").Users.Me(context.Background())
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != 401 || ae.Code != "bad.credentials" || !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %#v", err)
	}
	if e.f.tokenCalls.Load() != 0 || e.f.count("GET /api/v2/users/me") != 1 {
		t.Fatalf("token fetches %d, calls %d; want 0 and 1", e.f.tokenCalls.Load(), e.f.count("GET /api/v2/users/me"))
	}
	if strings.Contains(err.Error(), "user-token") {
		t.Fatalf("error leaks the token: %v", err)
	}
}

func TestBadClientSecretTellsAdminWhatToCheck(t *testing.T) {
	var logs bytes.Buffer
	e := newEnv(t, func(o *Options) {
		o.ClientSecret = "wrong-secret-xyz"
		o.Logger = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})
	e.f.handle("GET /api/v2/organizations/me", orgHandler)
	_, err := e.c.Organizations.Me(context.Background())
	if !errors.Is(err, ErrBadClientCredentials) {
		t.Fatalf("err = %v, want ErrBadClientCredentials", err)
	}
	msg := err.Error()
	for _, want := range []string{"genesys.clientId", "genesys.clientSecret", "invalid_client", "authentication failed", e.f.login.Listener.Addr().String()} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "wrong-secret-xyz") || strings.Contains(logs.String(), "wrong-secret-xyz") {
		t.Fatalf("secret leaked: %q / %q", msg, logs.String())
	}
	if e.f.count("GET /api/v2/organizations/me") != 0 {
		t.Fatal("API called without a token")
	}
	if e.f.tokenCalls.Load() != 1 {
		t.Fatalf("a refused secret must not be retried: %d token calls", e.f.tokenCalls.Load())
	}
}

func TestNoCredentialsOnlyWithToken(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ClientID, o.ClientSecret = "", "" })
	e.f.handle("GET /api/v2/organizations/me", orgHandler)
	if _, err := e.c.Organizations.Me(context.Background()); !errors.Is(err, ErrNoClientCredentials) {
		t.Fatalf("err = %v, want ErrNoClientCredentials", err)
	}
	if _, err := e.c.WithToken("admin-token").Organizations.Me(context.Background()); err != nil {
		t.Fatalf("WithToken: %v", err)
	}
}

func TestTokenFetchOutageRetriedAndCallerCancelDoesNotPoisonOthers(t *testing.T) {
	e := newEnv(t, nil)
	var fails sync.Mutex
	left := 2
	e.f.tokenFail.Store(func(w http.ResponseWriter) bool {
		fails.Lock()
		defer fails.Unlock()
		if left > 0 {
			left--
			genesysError(w, 503, "service.unavailable", "down")
			return true
		}
		return false
	})
	tok, err := e.c.Token(context.Background())
	if err != nil || tok != "tok-3" {
		t.Fatalf("Token = %q, %v; want tok-3 after two 503s", tok, err)
	}
	if n := len(e.sl.all()); n != 2 {
		t.Fatalf("backoff waits = %d, want 2", n)
	}
	if got := counterValue(t, e.c.core.metrics.retries.WithLabelValues("oauth", "5xx")); got != 2 {
		t.Fatalf("oauth 5xx retries metric = %v", got)
	}
}

func TestCallerContextCancelLeavesSharedFetchRunning(t *testing.T) {
	e := newEnv(t, nil)
	release := e.f.holdTokens()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { _, err := e.c.Token(ctx); errc <- err }()
	<-e.f.arrived // the shared fetch is held at the login server until release
	res := make(chan string, 1)
	go func() { tok, _ := e.c.Token(context.Background()); res <- tok }()
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller err = %v", err)
	}
	release()
	if tok := <-res; tok != "tok-1" {
		t.Fatalf("other caller got %q, want tok-1 from the shared fetch", tok)
	}
	if n := e.f.tokenCalls.Load(); n != 1 {
		t.Fatalf("token calls = %d", n)
	}
}

func TestTokenResponseNeverPrintsToken(t *testing.T) {
	tok := &TokenResponse{AccessToken: "AT-SECRET", RefreshToken: "RT-SECRET", TokenType: "bearer", ExpiresIn: 60}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "tok", tok)
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%+v", tok), fmt.Sprintf("%#v", *tok), fmt.Sprintf("%v", *tok), logs.String()} {
		if strings.Contains(s, "SECRET") {
			t.Fatalf("token printed: %s", s)
		}
	}
	oc := OAuthClient{ID: "c", Name: "n", Secret: "CLIENT-SECRET"}
	if s := fmt.Sprintf("%v %+v %s", oc, &oc, oc); strings.Contains(s, "CLIENT-SECRET") {
		t.Fatalf("secret printed: %s", s)
	}
}

func TestExchangePKCE(t *testing.T) {
	e := newEnv(t, nil)
	hook := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if _, _, basic := r.BasicAuth(); basic {
			t.Error("PKCE exchange must not send a client secret")
		}
		f := r.PostForm
		if f.Get("grant_type") != "authorization_code" || f.Get("code") != "the-code" || f.Get("code_verifier") != "the-verifier" ||
			f.Get("client_id") != "browser-client" || f.Get("redirect_uri") != "https://dcm.example/cb" {
			w.WriteHeader(400)
			fmt.Fprint(w, `{"error":"invalid_grant","error_description":"code verifier mismatch"}`)
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "user-tok", "token_type": "bearer", "expires_in": 86399})
	})
	e.f.loginHook.Store(&hook)
	tok, err := e.c.Tokens.ExchangePKCE(context.Background(), "browser-client", "the-code", "the-verifier", "https://dcm.example/cb")
	if err != nil || tok.AccessToken != "user-tok" || tok.ExpiresIn != 86399 {
		t.Fatalf("ExchangePKCE = %v, %v", tok, err)
	}
	_, err = e.c.Tokens.ExchangePKCE(context.Background(), "browser-client", "the-code", "wrong", "https://dcm.example/cb")
	var ae *AuthError
	if !errors.As(err, &ae) || ae.Code != "invalid_grant" || !strings.Contains(err.Error(), "genesys.browserClientId") {
		t.Fatalf("err = %v", err)
	}
	if errors.Is(err, ErrBadClientCredentials) {
		t.Fatal("a PKCE failure is not a client-credentials failure")
	}
	if _, err := e.c.Tokens.ExchangePKCE(context.Background(), "", "c", "v", "r"); err == nil || !strings.Contains(err.Error(), "clientID") {
		t.Fatalf("empty client id: %v", err)
	}
}

func TestUnreachableLoginHostNamed(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	e := newEnv(t, func(o *Options) { o.LoginURL = "http://" + addr })
	_, err = e.c.Token(context.Background())
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), addr) {
		t.Fatalf("err = %v; want ErrUnreachable naming %s", err, addr)
	}
	var te *TransportError
	if !errors.As(err, &te) || te.Host != addr {
		t.Fatalf("TransportError = %#v", te)
	}
	if n := len(e.sl.all()); n != DefaultMaxRetries {
		t.Fatalf("retries = %d, want %d", n, DefaultMaxRetries)
	}
}

// A refused client is remembered briefly: probes and jobs retrying every few
// seconds do not each send Genesys a token request with wrong credentials.
func TestRefusedClientCredentialsAreRememberedBriefly(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.ClientSecret = "wrong-secret" })
	ctx := context.Background()
	for range 5 {
		if _, err := e.c.Token(ctx); !errors.Is(err, ErrBadClientCredentials) {
			t.Fatalf("err = %v", err)
		}
	}
	if n := e.f.tokenCalls.Load(); n != 1 {
		t.Fatalf("5 calls within the refusal memory made %d token requests, want 1", n)
	}
	e.clock.Advance(refusalMemory + time.Second)
	if _, err := e.c.Token(ctx); !errors.Is(err, ErrBadClientCredentials) {
		t.Fatalf("err = %v", err)
	}
	if n := e.f.tokenCalls.Load(); n != 2 {
		t.Fatalf("after the memory ran out: %d token requests, want 2", n)
	}
}
