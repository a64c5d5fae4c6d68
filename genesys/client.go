package genesys

import (
	"context"
	"crypto/sha256"
	"net/url"
	"time"

	"dcmconnect/internal/loadonce"
)

// Client calls the Genesys Cloud Platform API of one environment. The zero
// value is not usable; build one with New. A Client is safe for concurrent
// use. By default it acts with the client-credentials token; WithToken
// returns a view acting with someone else's token.
type Client struct {
	core *core
	auth TokenSource

	common service // reused by every service below, as in go-github

	Users         *UsersService
	Organizations *OrganizationsService
	Conversations *ConversationsService
	Analytics     *AnalyticsService
	Integrations  *IntegrationsService
	Authorization *AuthorizationService
	Groups        *GroupsService
	OAuthClients  *OAuthClientsService
	Routing       *RoutingService
	Tokens        *TokensService
}

type service struct{ client *Client }

// core is what all views of one Client share.
type core struct {
	opts     Options
	apiURL   *url.URL
	apiHost  string
	login    string // LoginURL without trailing slash
	logHost  string
	metrics  *metrics
	limiter  *limiter
	cc       *clientCredentials                                // nil without ClientID
	verified *loadonce.Cache[[sha256.Size]byte, *VerifiedUser] // by sha256 of the token
	org      *loadonce.Cache[struct{}, string]
}

// fetchBudget bounds a shared fetch (a token, our org id, a verification):
// every attempt, and a Retry-After wait before each retry.
func (co *core) fetchBudget() time.Duration {
	return (co.opts.Timeout + co.opts.RetryAfterCap) * time.Duration(co.opts.MaxRetries+1)
}

// New checks opts and returns a Client. It makes no network call.
func New(opts Options) (*Client, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	apiURL, _ := url.Parse(o.APIURL) // checked by withDefaults
	loginURL, _ := url.Parse(o.LoginURL)
	co := &core{
		opts:    o,
		apiURL:  apiURL,
		apiHost: apiURL.Host,
		login:   o.LoginURL,
		logHost: loginURL.Host,
		metrics: newMetrics(o.Registerer),
		limiter: newLimiter(o.RequestsPerMinute, o.Now, o.Sleep),
	}
	lo := loadonce.Options{Timeout: co.fetchBudget(), Now: o.Now}
	co.verified = loadonce.New[[sha256.Size]byte, *VerifiedUser](nil, lo)
	co.org = loadonce.New(co.fetchOrgID, lo)
	if o.OrgID != "" {
		co.org.Set(struct{}{}, o.OrgID, loadonce.Forever)
	}
	c := &Client{core: co}
	if o.ClientID != "" {
		co.cc = newClientCredentials(co)
		c.auth = co.cc
	} else {
		c.auth = noCredentials{}
	}
	c.bind()
	return c, nil
}

// bind points the services at c.
func (c *Client) bind() {
	c.common.client = c
	c.Users = (*UsersService)(&c.common)
	c.Organizations = (*OrganizationsService)(&c.common)
	c.Conversations = (*ConversationsService)(&c.common)
	c.Analytics = (*AnalyticsService)(&c.common)
	c.Integrations = (*IntegrationsService)(&c.common)
	c.Authorization = (*AuthorizationService)(&c.common)
	c.Groups = (*GroupsService)(&c.common)
	c.OAuthClients = (*OAuthClientsService)(&c.common)
	c.Routing = (*RoutingService)(&c.common)
	c.Tokens = (*TokensService)(&c.common)
}

// WithToken returns the same client acting with bearer (a user's or an
// admin's token). That token is never refreshed: a 401 comes back as an
// error matching ErrUnauthorized. Limits, retries and metrics are shared.
func (c *Client) WithToken(bearer string) *Client {
	return c.WithTokenSource(staticToken(bearer))
}

// WithTokenSource is WithToken for a token that may change. 401 answers are
// returned, not retried, unless ts also has an Invalidate(token string) method.
func (c *Client) WithTokenSource(ts TokenSource) *Client {
	v := &Client{core: c.core, auth: ts}
	v.bind()
	return v
}

// Token returns the bearer token this client currently acts with (the
// client-credentials token, fetched or refreshed as needed), so a Client is
// itself a TokenSource, e.g. for the notifications websocket.
func (c *Client) Token(ctx context.Context) (string, error) {
	return c.auth.Token(ctx)
}

// APIURL is the API base URL, without a trailing slash.
func (c *Client) APIURL() string { return c.core.opts.APIURL }

// LoginURL is the login (OAuth) base URL, without a trailing slash.
func (c *Client) LoginURL() string { return c.core.opts.LoginURL }
