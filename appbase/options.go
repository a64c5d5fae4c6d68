package appbase

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/internal/retry"
)

// DefaultIntegrationCode prefixes custom rule names when
// Options.IntegrationCode is empty. It keeps every default rule code within
// MaxRuleCodeLength (ROOT_GENESYS_UPSERTINTERACTION is 30 characters).
const DefaultIntegrationCode = "ROOT_GENESYS"

// LegacyIntegrationCode is the old connector's prefix. Its names (up to 42
// characters) are still found: with the default prefix, a rule AppBase does
// not know is tried again under this one.
const LegacyIntegrationCode = "ROOT_GENESYS_INTEGRATION"

// Options configure a Client. Field comments name the dcmconnect config key.
type Options struct {
	// URL is the ServiceJourney base URL, e.g. https://sj.example.com (servicejourney.url).
	URL string
	// Domain is the app domain, e.g. DCM_Production.tenant1 (servicejourney.domain).
	Domain string
	// SystemDomain is config.tenant<N> (servicejourney.systemDomain); optional,
	// kept for callers of the Administration service.
	SystemDomain string
	// User and Password are the system user (servicejourney.systemUser / systemPassword).
	User, Password string
	// Profile is "connector" (default here: one custom rule per operation) or
	// "standard" (the stock DCM rules where one exists) (servicejourney.profile).
	Profile string
	// IntegrationCode is the custom rules' prefix, default ROOT_GENESYS.
	IntegrationCode string
	// Rules overrides single rule names, keyed by operation ("GETUSERS", ...).
	Rules map[string]string
	// Mappings override parts of an operation's contract (servicejourney.mappings).
	Mappings map[string]Mapping
	// DateFormat is how dates are sent to rules, in AppBase's notation
	// (servicejourney.dateFormat), e.g. yyyy-mm-ddThh24:mi:ss. Default: the
	// standard profile's yyyy-mm-ddThh24:mi:ss, the connector's ISO-8601 in
	// UTC with milliseconds (yyyy-mm-ddThh24:mi:ss.ff3Z).
	DateFormat string
	// LoginMethod is "post" (default: form POST login.post) or "get"
	// (GET login?u=&p=, which puts the password into IIS request logs).
	LoginMethod string
	// Timeout bounds each HTTP request to AppBase, default 20s.
	Timeout time.Duration
	// PageSize is the LIMIT for paged reads (GETUSERS), default 500.
	PageSize int
	// MaxRetries is how often a failed read is retried, default 2; negative means 0.
	// Writes (Execute) are never retried, except once after a rejected token.
	MaxRetries int
	// RetryBackoff is the first retry's wait, doubled per retry up to
	// MaxRetryBackoff (default 10s), each jittered into [d/2, d); default 200ms.
	RetryBackoff    time.Duration
	MaxRetryBackoff time.Duration
	// TokenTTL is how long a token is reused before a fresh login, default 30m.
	// AppBase expiry is sliding and admin-set; a rejected token triggers a re-login anyway.
	TokenTTL time.Duration
	// HTTPClient defaults to a client with no overall timeout (deadlines come
	// from contexts), a connection pool sized for concurrent callers, and
	// redirects followed only on the same host (the token travels in the URL).
	HTTPClient *http.Client
	// Registerer receives the metrics; nil means a private registry.
	Registerer prometheus.Registerer
	// Logger defaults to slog.Default().
	Logger *slog.Logger
	// Sleep waits between retries; nil means a real timer. Tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter spreads a backoff d; nil means uniform in [d/2, d). Tests pin it.
	Jitter func(d time.Duration) time.Duration
}

// withDefaults validates o and fills defaults. Every message names the
// Options field and the dcmconnect config key, and the fix.
func (o Options) withDefaults() (Options, error) {
	var errs []string
	o.URL = strings.TrimRight(strings.TrimSpace(o.URL), "/")
	if o.URL == "" {
		errs = append(errs, "Options.URL (servicejourney.url) is empty; set the ServiceJourney base URL, e.g. https://sj.example.com")
	} else if u, err := url.Parse(o.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Sprintf("Options.URL (servicejourney.url) %q is not an http(s) URL; use the scheme and host only, e.g. https://sj.example.com", o.URL))
	} else if u.RawQuery != "" || u.User != nil || strings.Contains(o.URL, "#") {
		errs = append(errs, "Options.URL (servicejourney.url) must not carry a query, a fragment (#) or user info; use the scheme and host only, e.g. https://sj.example.com")
	}
	o.Domain = strings.TrimSpace(o.Domain)
	if o.Domain == "" {
		errs = append(errs, "Options.Domain (servicejourney.domain) is empty; set the app domain, e.g. DCM_Production.tenant1")
	} else if strings.ContainsAny(o.Domain, "/?#% ") {
		errs = append(errs, fmt.Sprintf("Options.Domain (servicejourney.domain) %q contains '/', '?', '#', '%%' or a space; set only the domain code, e.g. DCM_Production.tenant1", o.Domain))
	}
	if o.User == "" {
		errs = append(errs, "Options.User (servicejourney.systemUser) is empty; set the ServiceJourney system user")
	}
	if o.Password == "" {
		errs = append(errs, "Options.Password (servicejourney.systemPassword) is empty; set the system user's password")
	}
	o.IntegrationCode = strings.TrimSpace(o.IntegrationCode)
	if o.IntegrationCode == "" {
		o.IntegrationCode = DefaultIntegrationCode
	}
	switch p := strings.ToLower(strings.TrimSpace(o.Profile)); p {
	case "":
		o.Profile = ProfileConnector
	case ProfileConnector, ProfileStandard:
		o.Profile = p
	default:
		errs = append(errs, fmt.Sprintf("Options.Profile (servicejourney.profile) %q is unknown; use %q (stock DCM rules) or %q (one custom rule per operation)", o.Profile, ProfileStandard, ProfileConnector))
	}
	if strings.TrimSpace(o.DateFormat) == "" {
		o.DateFormat = "yyyy-mm-ddThh24:mi:ss.ff3Z"
		if o.Profile == ProfileStandard {
			o.DateFormat = "yyyy-mm-ddThh24:mi:ss"
		}
	}
	if _, err := GoLayout(o.DateFormat); err != nil {
		errs = append(errs, "Options.DateFormat (servicejourney.dateFormat): "+err.Error())
	}
	mappings := make(map[string]Mapping, len(o.Mappings))
	for k, m := range o.Mappings {
		mappings[strings.ToUpper(strings.TrimSpace(k))] = m
	}
	o.Mappings = mappings
	rules := make(map[string]string, len(o.Rules))
	known := make(map[string]bool)
	for _, op := range Operations() {
		known[op] = true
	}
	keys := make([]string, 0, len(o.Rules))
	for k := range o.Rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		op := strings.ToUpper(strings.TrimSpace(k))
		v := strings.TrimSpace(o.Rules[k])
		switch {
		case !known[op]:
			errs = append(errs, fmt.Sprintf("Options.Rules (servicejourney.rules) has unknown operation %q; use one of %s", k, strings.Join(Operations(), ", ")))
		case v == "":
			errs = append(errs, fmt.Sprintf("Options.Rules (servicejourney.rules.%s) is empty; remove it to use %s_%s", op, o.IntegrationCode, op))
		case strings.ContainsAny(v, "/?#% "):
			errs = append(errs, fmt.Sprintf("Options.Rules (servicejourney.rules.%s) %q is not a rule code; give the code only, e.g. %s_%s", op, v, o.IntegrationCode, op))
		default:
			rules[op] = v
		}
	}
	o.Rules = rules
	switch strings.ToLower(strings.TrimSpace(o.LoginMethod)) {
	case "get":
		o.LoginMethod = "get"
	case "", "post":
		o.LoginMethod = "post"
	default:
		errs = append(errs, fmt.Sprintf("Options.LoginMethod %q is unknown; use \"post\" (login.post form, the default) or \"get\" (login?u=&p=)", o.LoginMethod))
	}
	if o.Timeout <= 0 {
		o.Timeout = 20 * time.Second
	}
	if o.PageSize <= 0 {
		o.PageSize = 500
	}
	if o.MaxRetries == 0 {
		o.MaxRetries = 2
	} else if o.MaxRetries < 0 {
		o.MaxRetries = 0
	}
	if o.RetryBackoff <= 0 {
		o.RetryBackoff = 200 * time.Millisecond
	}
	if o.MaxRetryBackoff <= 0 {
		o.MaxRetryBackoff = 10 * time.Second
	}
	if o.TokenTTL <= 0 {
		o.TokenTTL = 30 * time.Minute
	}
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient()
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Sleep == nil {
		o.Sleep = retry.Sleep
	}
	if len(errs) > 0 {
		return o, fmt.Errorf("appbase: invalid options:\n  - %s", strings.Join(errs, "\n  - "))
	}
	return o, nil
}

func defaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64 // the default 2 would churn connections under concurrent rule calls
	return &http.Client{
		Transport: tr,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("stopped after 5 redirects")
			}
			if req.URL.Host != via[0].URL.Host {
				return errors.New("refusing a redirect to another host (servicejourney.url should be the final address)")
			}
			return nil
		},
	}
}
