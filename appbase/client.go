// Package appbase is the client for Eccentex AppBase / ServiceJourney: login
// with the system user, rule execution on the BDS data service, and the typed
// rule contract dcmconnect relies on (DESIGN §4). It knows nothing of Genesys
// or of HTTP handlers. What the client relies on in AppBase: docs/upstreams.md.
package appbase

import (
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"

	"dcmconnect/internal/loadonce"
	"dcmconnect/internal/retry"
)

// Client talks to one ServiceJourney app domain as the system user. It is
// safe for concurrent use; concurrent callers share one login.
type Client struct {
	opts   Options
	log    *slog.Logger
	m      *metrics
	tokens *loadonce.Cache[struct{}, string] // the one system-user token
	retry  retry.Policy                      // for reads
	base   ruleBase                          // {url}/BDS.WebService/DataServiceRest.svc/
	domain string                            // path-escaped domain

	contracts  map[string]Contract // per operation, for the profile and mappings
	legacy     sync.Map            // op -> old connector rule name that answered
	dateLayout string              // Go layout of Options.DateFormat
}

// New validates opts (every bad field named, with the fix) and builds a
// Client. It does not contact AppBase; call Login to check the setup.
func New(opts Options) (*Client, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	contracts, cerrs := buildContracts(o)
	if len(cerrs) > 0 {
		return nil, fmt.Errorf("appbase: invalid options:\n  - %s", strings.Join(cerrs, "\n  - "))
	}
	layout, _ := GoLayout(o.DateFormat) // checked by withDefaults
	c := &Client{
		contracts:  contracts,
		dateLayout: layout,
		opts:       o,
		log:        o.Logger.With("component", "appbase"),
		m:          newMetrics(o.Registerer),
		domain:     url.PathEscape(o.Domain),
	}
	if c.base, err = newRuleBase(o.URL, o.Domain); err != nil {
		return nil, fmt.Errorf("appbase: Options.URL (servicejourney.url): %w", err) // withDefaults parsed it already
	}
	c.retry = retry.Policy{Base: o.RetryBackoff, Max: o.MaxRetryBackoff, MaxRetries: o.MaxRetries, Jitter: o.Jitter, Sleep: o.Sleep}
	c.tokens = loadonce.New(c.fetchToken, loadonce.Options{Timeout: o.Timeout})
	return c, nil
}

// Domain is the app domain the client runs rules in.
func (c *Client) Domain() string { return c.opts.Domain }

// URL is the ServiceJourney base URL (no trailing slash).
func (c *Client) URL() string { return c.opts.URL }

// SystemDomain is the configured config.tenant<N> domain, possibly empty.
func (c *Client) SystemDomain() string { return c.opts.SystemDomain }

// redact removes the password, the current token and used (the token a
// call carried) from text that came from AppBase before it goes into an
// error or a log.
func (c *Client) redact(s, used string) string {
	if s == "" {
		return s
	}
	secrets := []string{c.opts.Password, url.QueryEscape(c.opts.Password), used, url.QueryEscape(used)}
	if t, err, ok := c.tokens.Peek(struct{}{}); ok && err == nil {
		secrets = append(secrets, t, url.QueryEscape(t))
	}
	for _, sec := range secrets {
		if len(sec) >= 4 && strings.Contains(s, sec) { // shorter "secrets" would shred normal text
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}
