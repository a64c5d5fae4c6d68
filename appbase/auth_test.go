package appbase_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

func TestTokenExpiryReloginOnce(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusUnauthorized} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnv(t, nil, appbasetest.WithTokenErrorStatus(status))
			c := ctx(t)
			if err := e.c.SetSyncState(c, "x", "1"); err != nil {
				t.Fatal(err)
			}
			e.srv.ExpireTokens()
			// A write: the rejected request did not run, so the one retry after re-login is safe.
			if err := e.c.SetSyncState(c, "x", "2"); err != nil {
				t.Fatalf("after expiry: %v", err)
			}
			if e.srv.Logins() != 2 || e.srv.Requests("SETSYNCSTATE") != 3 || e.srv.SyncState("x") != "2" {
				t.Fatalf("logins=%d requests=%d state=%q, want 2, 3, 2", e.srv.Logins(), e.srv.Requests("SETSYNCSTATE"), e.srv.SyncState("x"))
			}
			if got := counter(t, e.reg, "dcmconnect_appbase_logins_total", map[string]string{"outcome": "ok"}); got != 2 {
				t.Errorf("logins metric = %v", got)
			}
		})
	}
}

// A token rejected again right after a fresh login is an auth error after
// exactly one re-login, not a loop.
func TestTokenRejectedAfterReloginFails(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1700000000, 0)
	clock := func() time.Time { // every look at the clock is an hour later: tokens never survive
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Hour)
		return now
	}
	e := newEnv(t, nil, appbasetest.WithClock(clock))
	_, err := e.c.FindCases(ctx(t), appbase.CaseQuery{CaseID: "1"})
	if !appbase.IsTokenError(err) || !appbase.IsAuthError(err) || appbase.IsLoginError(err) {
		t.Fatalf("err = %v, want a token (auth) error", err)
	}
	if !strings.Contains(err.Error(), "servicejourney.systemUser") {
		t.Errorf("error %q gives the admin no key to check", err)
	}
	if e.srv.Logins() != 2 || e.srv.Requests("FINDCASES") != 2 {
		t.Fatalf("logins=%d requests=%d, want 2 and 2", e.srv.Logins(), e.srv.Requests("FINDCASES"))
	}
}

func TestSlidingExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1700000000, 0)
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	e := newEnv(t, nil, appbasetest.WithTokenTTL(30*time.Minute), appbasetest.WithClock(clock))
	c := ctx(t)
	for i := 0; i < 4; i++ { // used every 20 minutes: the token slides and stays valid
		if _, _, err := e.c.GetSyncState(c, "x"); err != nil {
			t.Fatal(err)
		}
		advance(20 * time.Minute)
	}
	if e.srv.Logins() != 1 {
		t.Fatalf("logins = %d while the token was in use, want 1", e.srv.Logins())
	}
	advance(31 * time.Minute) // idle past the TTL
	if _, _, err := e.c.GetSyncState(c, "x"); err != nil {
		t.Fatal(err)
	}
	if e.srv.Logins() != 2 {
		t.Fatalf("logins = %d after idle expiry, want 2", e.srv.Logins())
	}
}

func TestConcurrentColdCacheOneLogin(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.Fault("login", appbasetest.Fault{Latency: 50 * time.Millisecond}) // all callers arrive while it runs
	c := ctx(t)
	var wg sync.WaitGroup
	var failed atomic.Int32
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := e.c.Query(c, e.c.RuleName("GETSYNCSTATE"), map[string]string{"NAME": "x"}); err != nil {
				failed.Add(1)
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	// A read whose attempt outlived the client's timeout on a loaded machine
	// is sent again, and counted as a retry: every request is a caller's
	// one or a counted retry, never a second login.
	rule := e.c.RuleName("GETSYNCSTATE")
	retries := int(counter(t, e.reg, "dcmconnect_appbase_retries_total", map[string]string{"rule": rule}))
	if e.srv.Logins() != 1 || failed.Load() != 0 || e.srv.Requests("GETSYNCSTATE") != 200+retries {
		t.Fatalf("logins=%d failed=%d requests=%d (retries %d), want 1, 0, 200 + retries", e.srv.Logins(), failed.Load(), e.srv.Requests("GETSYNCSTATE"), retries)
	}
}

// After the token expires under load, the callers holding the old token
// cause one re-login together, not one each.
func TestConcurrentExpiryOneRelogin(t *testing.T) {
	e := newEnv(t, nil)
	c := ctx(t)
	if err := e.c.Login(c); err != nil {
		t.Fatal(err)
	}
	e.srv.ExpireTokens()
	e.srv.Fault("login", appbasetest.Fault{Latency: 50 * time.Millisecond})
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, _, err := e.c.GetSyncState(c, "x"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if e.srv.Logins() != 2 {
		t.Fatalf("logins = %d, want 2 (initial + one shared re-login)", e.srv.Logins())
	}
}

func TestLoginForcesFreshLogin(t *testing.T) {
	e := newEnv(t, nil)
	c := ctx(t)
	for i := 0; i < 3; i++ {
		if err := e.c.Login(c); err != nil {
			t.Fatal(err)
		}
	}
	if e.srv.Logins() != 3 {
		t.Fatalf("logins = %d, want 3", e.srv.Logins())
	}
}

func TestLoginMethods(t *testing.T) {
	for _, m := range []string{"get", "POST"} {
		t.Run(m, func(t *testing.T) {
			// A password with characters that need escaping in a query and a form.
			const pw = "p&ss=w+rd %?#"
			e := newEnv(t, func(o *appbase.Options) { o.LoginMethod = m }, appbasetest.WithCredentials("sys user", pw))
			if _, _, err := e.c.GetSyncState(ctx(t), "x"); err != nil {
				t.Fatal(err)
			}
			if e.srv.Logins() != 1 {
				t.Fatalf("logins = %d", e.srv.Logins())
			}
		})
	}
}

func TestLoginBadPassword(t *testing.T) {
	for _, m := range []string{"get", "post"} {
		t.Run(m, func(t *testing.T) {
			e := newEnv(t, func(o *appbase.Options) { o.Password = "wrong-secret-123"; o.LoginMethod = m })
			err := e.c.Login(ctx(t))
			if !appbase.IsLoginError(err) || !appbase.IsAuthError(err) {
				t.Fatalf("err = %v, want a login auth error", err)
			}
			msg := err.Error()
			if !strings.Contains(msg, "servicejourney.systemUser") || !strings.Contains(msg, "servicejourney.systemPassword") {
				t.Errorf("error %q does not name the keys to check", msg)
			}
			if strings.Contains(msg, "wrong-secret-123") {
				t.Errorf("error %q leaks the password", msg)
			}
			// A rule call surfaces the same login error, without calling the rule.
			_, _, err = e.c.GetSyncState(ctx(t), "x")
			if !appbase.IsLoginError(err) || e.srv.Requests("GETSYNCSTATE") != 0 {
				t.Fatalf("rule call: %v, requests=%d", err, e.srv.Requests("GETSYNCSTATE"))
			}
			if got := counter(t, e.reg, "dcmconnect_appbase_logins_total", map[string]string{"outcome": "auth"}); got != 2 {
				t.Errorf("failed logins metric = %v, want 2", got)
			}
		})
	}
}

func TestLoginUnreachable(t *testing.T) {
	srv := appbasetest.NewServer()
	o := srv.ClientOptions()
	srv.Close() // nothing listens there now
	o.Password = "unreachable-secret"
	c, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	err = c.Login(ctx(t))
	e := asError(t, err)
	if e.Kind != appbase.KindTransport || !e.Login || !strings.Contains(err.Error(), "servicejourney.url") || strings.Contains(err.Error(), "unreachable-secret") {
		t.Fatalf("err = %v, want a transport login error naming servicejourney.url without the password", err)
	}
}

func TestLoginFaults(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.Fault("login", appbasetest.Fault{HTTP500: true, Times: 1})
	err := e.c.Login(ctx(t))
	if ae := asError(t, err); ae.Kind != appbase.KindHTTP || ae.Status != 500 || !strings.Contains(err.Error(), "servicejourney.url") {
		t.Fatalf("HTTP 500 login: %v", err)
	}
	e.srv.Fault("login", appbasetest.Fault{TopLevelError500: true, Times: 1})
	err = e.c.Login(ctx(t))
	if ae := asError(t, err); ae.Kind != appbase.KindTopLevel || !ae.Login || ae.Code != "500" {
		t.Fatalf("ErrorCode 500 login: %v", err)
	}
	if err := e.c.Login(ctx(t)); err != nil {
		t.Fatalf("faults used up, login: %v", err)
	}
}

// The caller's cancellation while a shared login runs ends that caller only.
func TestLoginWaitRespectsCallerContext(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.Fault("login", appbasetest.Fault{Latency: 300 * time.Millisecond, Times: 1})
	short, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { _, _, err := e.c.GetSyncState(ctx(t), "x"); done <- err }()
	_, _, err := e.c.GetSyncState(short, "x")
	if !appbase.IsTimeout(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("impatient caller: %v, want a timeout", err)
	}
	if err := <-done; err != nil {
		t.Fatalf("patient caller sharing the login: %v", err)
	}
	if e.srv.Logins() != 1 {
		t.Fatalf("logins = %d, want 1", e.srv.Logins())
	}
}

// Neither the token nor the password may show in any error, even when
// AppBase echoes them or the connection breaks mid-call.
func TestSecretsNeverInErrors(t *testing.T) {
	const pw = "hunter2-secret"
	const tok = "tok+en/with=chars"
	var mode atomic.Value
	mode.Store("echo")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/login") || strings.HasSuffix(r.URL.Path, "/login.post") {
			w.Write([]byte(`"` + tok + `"`))
			return
		}
		if got := r.URL.Query().Get("t"); got != tok {
			t.Errorf("token arrived as %q, want %q (query-escaped on the wire)", got, tok)
		}
		switch mode.Load() {
		case "echo":
			w.Write([]byte(`{"ErrorCode":500,"ErrorMessage":"bad request t=` + tok + ` p=` + pw + `"}`))
		case "html":
			w.WriteHeader(500)
			w.Write([]byte(`<html>` + tok + `</html>`))
		case "drop":
			hj, _ := w.(http.Hijacker)
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
	}))
	defer ts.Close()
	c, err := appbase.New(appbase.Options{URL: ts.URL, Domain: "D.tenant1", User: "u", Password: pw, MaxRetries: -1, Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{"echo", "html", "drop"} {
		mode.Store(m)
		_, err := c.Execute(ctx(t), "ROOT_X", map[string]string{"A": "1"})
		if err == nil {
			t.Fatalf("%s: no error", m)
		}
		if s := err.Error(); strings.Contains(s, tok) || strings.Contains(s, pw) || strings.Contains(s, "tok%2Ben") {
			t.Fatalf("%s: error leaks a secret: %s", m, s)
		}
	}
}

// The token travels in the URL, so a redirect to another host is refused.
func TestNoCrossHostRedirect(t *testing.T) {
	var leaked atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked.Add(1) }))
	defer other.Close()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/login") {
			w.Write([]byte(`"tok"`))
			return
		}
		http.Redirect(w, r, other.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	defer ts.Close()
	c, err := appbase.New(appbase.Options{URL: ts.URL, Domain: "D.tenant1", User: "u", Password: "p", MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Query(ctx(t), "ROOT_X", nil)
	if err == nil || !strings.Contains(err.Error(), "redirect") || leaked.Load() != 0 {
		t.Fatalf("err = %v, other host got %d requests", err, leaked.Load())
	}
}
