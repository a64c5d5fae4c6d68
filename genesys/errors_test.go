package genesys

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestGenesysErrorBodyDecoded(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ININ-Correlation-Id", "corr-404")
		writeJSON(w, 404, map[string]any{"message": "The requested user could not be found.", "code": "not.found", "status": 404, "contextId": "ctx-1"})
	})
	_, err := e.c.Users.Get(context.Background(), "8c2b1e0e-raw-id")
	var ae *Error
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v", err, err)
	}
	if ae.Status != 404 || ae.Code != "not.found" || ae.Message != "The requested user could not be found." || ae.CorrelationID != "corr-404" {
		t.Fatalf("Error = %+v", ae)
	}
	if !errors.Is(err, ErrNotFound) || errors.Is(err, ErrUnauthorized) {
		t.Fatal("errors.Is mapping wrong")
	}
	want := "genesys: GET /api/v2/users/{id}: 404 not.found: The requested user could not be found. (correlation id corr-404)"
	if err.Error() != want {
		t.Fatalf("message\n got %q\nwant %q", err.Error(), want)
	}
}

func TestCorrelationFromContextIDWhenHeaderMissing(t *testing.T) {
	x := &exchanged{status: 403, header: http.Header{}, body: []byte(`{"message":"no","code":"missing.permissions","status":403,"contextId":"ctx-9"}`)}
	e := apiError(&request{method: "GET", route: "/r"}, x)
	if e.CorrelationID != "ctx-9" || !errors.Is(e, ErrForbidden) {
		t.Fatalf("%+v", e)
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxRetries = -1 })
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(502)
		fmt.Fprint(w, "<html>Bad Gateway from some proxy</html>")
	})
	_, err := e.c.Users.Get(context.Background(), "u")
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != 502 || ae.Message != "Bad Gateway" || ae.Code != "" {
		t.Fatalf("err = %#v", err)
	}
}

func TestMalformedSuccessBody(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ININ-Correlation-Id", "corr-m")
		w.WriteHeader(200)
		fmt.Fprint(w, `{"id": "u-1", "name": `)
	})
	_, err := e.c.Users.Get(context.Background(), "u-1")
	var re *ResponseError
	if !errors.Is(err, ErrMalformedResponse) || !errors.As(err, &re) || re.CorrelationID != "corr-m" || re.TooLarge {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "malformed 200") || !strings.Contains(err.Error(), e.f.api.Listener.Addr().String()) {
		t.Fatalf("message = %q", err)
	}
	if e.f.count("GET /api/v2/users/{id}") != 1 {
		t.Fatal("a malformed answer must not be retried")
	}
}

func TestOversizeBody(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.MaxResponseBytes = 1024 })
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": "u-1", "name": strings.Repeat("x", 2000)})
	})
	_, err := e.c.Users.Get(context.Background(), "u-1")
	var re *ResponseError
	if !errors.Is(err, ErrResponseTooLarge) || !errors.As(err, &re) || re.Limit != 1024 || !strings.Contains(err.Error(), "1024 bytes") {
		t.Fatalf("err = %v", err)
	}
	// Exactly at the limit is fine.
	e2 := newEnv(t, func(o *Options) { o.MaxResponseBytes = 1024 })
	body := `{"id":"u-1","name":"` + strings.Repeat("y", 1024-len(`{"id":"u-1","name":""}`)) + `"}`
	e2.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	if _, err := e2.c.Users.Get(context.Background(), "u-1"); err != nil {
		t.Fatalf("body of exactly MaxResponseBytes: %v", err)
	}
}

func TestOptionsValidation(t *testing.T) {
	ok := Options{APIURL: "https://api.mypurecloud.ie", LoginURL: "https://login.mypurecloud.ie"}
	for _, c := range []struct {
		name string
		mod  func(*Options)
		want []string
	}{
		{"no api", func(o *Options) { o.APIURL = "" }, []string{"APIURL", "genesys.apiURL"}},
		{"bad login", func(o *Options) { o.LoginURL = "login.mypurecloud.ie" }, []string{"LoginURL", "absolute", "genesys.loginURL"}},
		{"ftp", func(o *Options) { o.APIURL = "ftp://api.x" }, []string{"APIURL"}},
		{"query", func(o *Options) { o.APIURL = "https://api.x/?a=b" }, []string{"APIURL", "query"}},
		{"id only", func(o *Options) { o.ClientID = "id" }, []string{"ClientSecret", "genesys.clientSecret"}},
		{"secret only", func(o *Options) { o.ClientSecret = "zz-only-secret" }, []string{"ClientID", "genesys.clientId"}},
		{"neg timeout", func(o *Options) { o.Timeout = -1 }, []string{"Timeout"}},
		{"neg max", func(o *Options) { o.MaxResponseBytes = -1 }, []string{"MaxResponseBytes"}},
	} {
		o := ok
		c.mod(&o)
		_, err := New(o)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, w := range c.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q lacks %q", c.name, err, w)
			}
		}
		if o.ClientSecret != "" && strings.Contains(err.Error(), o.ClientSecret) {
			t.Errorf("%s: secret in error", c.name)
		}
	}
	c, err := New(ok)
	if err != nil {
		t.Fatal(err)
	}
	if c.core.opts.Timeout != DefaultTimeout || c.core.opts.RequestsPerMinute != 300 || c.core.opts.RetryAfterCap != DefaultRetryAfterCap ||
		c.core.opts.MaxRetries != 3 || c.core.opts.TokenRefreshMargin != DefaultTokenRefreshMargin {
		t.Fatalf("defaults not applied: %+v", c.core.opts)
	}
	if c2, _ := New(Options{APIURL: "https://api.mypurecloud.ie/", LoginURL: ok.LoginURL}); c2.APIURL() != "https://api.mypurecloud.ie" {
		t.Fatalf("trailing slash kept: %q", c2.APIURL())
	}
}

func TestClientsShareOneRegistry(t *testing.T) {
	reg := prometheus.NewRegistry()
	o := Options{APIURL: "https://api.x", LoginURL: "https://login.x", Registerer: reg}
	if _, err := New(o); err != nil {
		t.Fatal(err)
	}
	if _, err := New(o); err != nil {
		t.Fatalf("second client on the same registry: %v", err)
	}
}
