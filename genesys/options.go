package genesys

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/retry"
)

// Defaults for Options fields left zero.
const (
	DefaultTimeout            = 15 * time.Second
	DefaultTokenRefreshMargin = 5 * time.Minute
	// DefaultRequestsPerMinute matches the platform limit per token
	// (docs/upstreams.md: token.rate.per.minute = 300).
	DefaultRequestsPerMinute = 300
	DefaultRetryAfterCap     = 60 * time.Second
	DefaultMaxRetries        = 3
	// DefaultMaxResponseBytes caps one upstream response body; an analytics
	// page of 100 conversations is a few MiB at most.
	DefaultMaxResponseBytes = 32 << 20
	// DefaultVerifyCacheTTL is the longest a verified user token is trusted
	// without asking Genesys again.
	DefaultVerifyCacheTTL = 5 * time.Minute
	// DefaultVerifyFailureTTL is how long a refused user token stays refused.
	DefaultVerifyFailureTTL = 10 * time.Second
)

// Options configure a Client for one Genesys Cloud environment.
type Options struct {
	// APIURL and LoginURL are the environment's hosts, e.g.
	// https://api.mypurecloud.ie and https://login.mypurecloud.ie. Required.
	APIURL, LoginURL string
	// ClientID and ClientSecret are the client-credentials OAuth client used
	// for background work. Optional: without them only WithToken works.
	ClientID, ClientSecret string
	// OrgID pins our organization id. When empty it is read once from
	// GET /api/v2/organizations/me with the client-credentials token.
	OrgID string

	// HTTPClient sends every request; nil means a private client.
	HTTPClient *http.Client
	// Timeout is the deadline of one upstream attempt (default 15s).
	Timeout time.Duration
	// TokenRefreshMargin: the client-credentials token is replaced this long
	// before it expires (default 5m).
	TokenRefreshMargin time.Duration
	// RequestsPerMinute is the client-side limit per token (default 300;
	// negative disables the limiter).
	RequestsPerMinute int
	// RetryAfterCap: a 429 asking to wait longer than this fails at once
	// (default 60s).
	RetryAfterCap time.Duration
	// MaxRetries bounds retries of one call (default 3; negative means none).
	MaxRetries int
	// MaxResponseBytes caps a response body (default 32 MiB).
	MaxResponseBytes int64
	// VerifyCacheTTL caps how long VerifyUserToken trusts a token (default 5m).
	VerifyCacheTTL time.Duration
	// VerifyFailureTTL is how long a refused token is remembered (default 10s).
	VerifyFailureTTL time.Duration

	// Registerer receives the metrics; nil means a private registry.
	Registerer prometheus.Registerer
	// Logger gets retries and token fetches (never tokens); nil discards.
	Logger *slog.Logger
	// Sleep waits between retries and for the rate limiter (test hook).
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for token lifetimes and the rate limiter (test hook).
	Now func() time.Time
}

// withDefaults returns a copy with zero fields filled and checks the rest.
// Errors name the field and the config key an administrator sets.
func (o Options) withDefaults() (Options, error) {
	var err error
	if o.APIURL, err = checkBaseURL("APIURL", "genesys.apiURL", "https://api.mypurecloud.ie", o.APIURL); err != nil {
		return o, err
	}
	if o.LoginURL, err = checkBaseURL("LoginURL", "genesys.loginURL", "https://login.mypurecloud.ie", o.LoginURL); err != nil {
		return o, err
	}
	if (o.ClientID == "") != (o.ClientSecret == "") {
		missing := "ClientSecret (genesys.clientSecret)"
		if o.ClientID == "" {
			missing = "ClientID (genesys.clientId)"
		}
		return o, fmt.Errorf("genesys: Options.%s is empty; set both genesys.clientId and genesys.clientSecret, or neither", missing)
	}
	for _, d := range []struct {
		name string
		v    *time.Duration
		def  time.Duration
	}{
		{"Timeout", &o.Timeout, DefaultTimeout},
		{"TokenRefreshMargin", &o.TokenRefreshMargin, DefaultTokenRefreshMargin},
		{"RetryAfterCap", &o.RetryAfterCap, DefaultRetryAfterCap},
		{"VerifyCacheTTL", &o.VerifyCacheTTL, DefaultVerifyCacheTTL},
		{"VerifyFailureTTL", &o.VerifyFailureTTL, DefaultVerifyFailureTTL},
	} {
		if *d.v < 0 {
			return o, fmt.Errorf("genesys: Options.%s is negative (%s); use a positive duration or 0 for the default %s", d.name, *d.v, d.def)
		}
		if *d.v == 0 {
			*d.v = d.def
		}
	}
	if o.RequestsPerMinute == 0 {
		o.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = DefaultMaxRetries
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.MaxResponseBytes < 0 {
		return o, fmt.Errorf("genesys: Options.MaxResponseBytes is negative; use 0 for the default %d", DefaultMaxResponseBytes)
	}
	if o.MaxResponseBytes == 0 {
		o.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if o.HTTPClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 32 // background jobs page in parallel
		o.HTTPClient = &http.Client{Transport: t}
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Sleep == nil {
		o.Sleep = sleepContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}

// checkBaseURL accepts an absolute http(s) URL and returns it without a
// trailing slash, so paths can be appended.
func checkBaseURL(field, key, example, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", fmt.Errorf("genesys: Options.%s is empty; set %s or genesys.environment (e.g. %s)", field, key, example)
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", fmt.Errorf("genesys: Options.%s %q is not an absolute http(s) URL; set %s like %s", field, v, key, example)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("genesys: Options.%s %q must not carry a query or fragment; set %s like %s", field, v, key, example)
	}
	return strings.TrimRight(v, "/"), nil
}

// sleepContext waits d or until ctx ends.
var sleepContext = retry.Sleep
