package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"dcmconnect/interactions"
)

// ActionsPrefix is where the Genesys web-services data actions call us:
// our own small JSON surface beside DCMServices.
const ActionsPrefix = ServicePrefix + "/actions/v1"

// Action paths below ActionsPrefix; setup's installer points each data
// action's requestUrlTemplate at one of them.
const (
	ActionPartyLookup = "/parties/lookup"
	ActionCaseLookup  = "/cases/lookup"
	ActionPopTarget   = "/conversations/pop"
)

// ActionLookup is what the data actions ask of ServiceJourney;
// *interactions.Service provides it.
type ActionLookup interface {
	LookupParty(ctx context.Context, q interactions.PartyLookup) (*interactions.PartyAnswer, error)
	LookupCases(ctx context.Context, q interactions.CaseLookup) (*interactions.CaseAnswer, error)
	PopTarget(ctx context.Context, q interactions.PopTargetLookup) (*interactions.PopTargetAnswer, error)
}

// ActionsOptions configure the data-action endpoints (config actions.*).
type ActionsOptions struct {
	Lookup ActionLookup
	// UserName and Password are the Basic credential Genesys stores in the
	// integration's credential and sends on every call.
	UserName, Password string
	// OrgID gives our Genesys organization (genesys.Client.OrgID, cached):
	// ININ-Organization-Id must match it.
	OrgID func(ctx context.Context) (string, error)
	// Budget bounds one answer, well under the action's own timeout in
	// Genesys (1-60 s) so a slow ServiceJourney does not hold the org's
	// data-action concurrency: 504 past it. Default 5s.
	Budget time.Duration
	// RatePerSecond and Burst limit calls per credential (default 50/s, burst 100).
	RatePerSecond float64
	Burst         int
}

func (o *ActionsOptions) check() error {
	switch {
	case o.Lookup == nil:
		return errors.New("api: ActionsOptions.Lookup is nil; pass the interactions service")
	case o.UserName == "" || o.Password == "":
		return errors.New("api: ActionsOptions.UserName and Password are required (config actions.userName, actions.password)")
	case o.OrgID == nil:
		return errors.New("api: ActionsOptions.OrgID is nil; pass genesys.Client.OrgID")
	case o.Budget < 0 || o.RatePerSecond < 0 || o.Burst < 0:
		return errors.New("api: ActionsOptions.Budget, RatePerSecond and Burst must not be negative; 0 means the default")
	}
	if o.Budget == 0 {
		o.Budget = 5 * time.Second
	}
	if o.RatePerSecond == 0 {
		o.RatePerSecond = 50
	}
	if o.Burst == 0 {
		o.Burst = 100
	}
	return nil
}

// actions serves the data-action endpoints.
type actions struct {
	opts    ActionsOptions
	auth    *basicAuth
	limit   *rate.Limiter // one credential today; keyed when there are more
	metrics *actionMetrics
}

func newActions(o *ActionsOptions, reg prometheus.Registerer, writeTimeout time.Duration) (*actions, error) {
	if o == nil {
		return nil, nil
	}
	opts := *o
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Budget >= writeTimeout {
		return nil, fmt.Errorf("api: actions budget %v must be shorter than the server's write timeout %v", opts.Budget, writeTimeout)
	}
	m, err := newActionMetrics(reg)
	if err != nil {
		return nil, err
	}
	return &actions{opts: opts, auth: newBasicAuth(opts.UserName, opts.Password),
		limit: rate.NewLimiter(rate.Limit(opts.RatePerSecond), opts.Burst), metrics: m}, nil
}

func (s *Server) mountActions(r *gin.Engine) {
	a := s.actions
	if a == nil {
		return
	}
	g := r.Group(ActionsPrefix)
	g.POST(ActionPartyLookup, a.handle("party_lookup", func(ctx context.Context, body []byte) (any, error) {
		q, err := DecodePartyLookup(body)
		if err != nil {
			return nil, err
		}
		return a.opts.Lookup.LookupParty(ctx, q)
	}))
	g.POST(ActionCaseLookup, a.handle("case_lookup", func(ctx context.Context, body []byte) (any, error) {
		q, err := DecodeCaseLookup(body)
		if err != nil {
			return nil, err
		}
		return a.opts.Lookup.LookupCases(ctx, q)
	}))
	g.POST(ActionPopTarget, a.handle("pop_target", func(ctx context.Context, body []byte) (any, error) {
		q, err := DecodePopTarget(body)
		if err != nil {
			return nil, err
		}
		return a.opts.Lookup.PopTarget(ctx, q)
	}))
}

// handle runs one action: auth, org, rate, then the lookup within the
// budget. The lookup runs on its own goroutine so the answer leaves at the
// budget even if an upstream call were slow to notice its cancellation.
func (a *actions) handle(name string, run func(ctx context.Context, body []byte) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		outcome := "ok"
		defer func() { a.metrics.observe(name, outcome, time.Since(start)) }()
		if !a.auth.allowed(c.Request) {
			outcome = "unauthorized"
			c.Header("WWW-Authenticate", `Basic realm="dcmconnect actions"`)
			c.JSON(http.StatusUnauthorized, gin.H{"error": "unauthorized"})
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), a.opts.Budget)
		defer cancel()
		org, err := a.opts.OrgID(ctx)
		if err != nil {
			outcome = "unavailable"
			c.JSON(http.StatusServiceUnavailable, gin.H{"error": "our Genesys Cloud organization id is not known yet; retry"})
			return
		}
		if !sameOrg(c.GetHeader("ININ-Organization-Id"), org) {
			outcome = "forbidden"
			c.JSON(http.StatusForbidden, gin.H{"error": "forbidden"})
			return
		}
		if !a.limit.Allow() {
			outcome = "rate_limited"
			c.Header("Retry-After", "1")
			c.JSON(http.StatusTooManyRequests, gin.H{"error": "too many requests; retry in a second"})
			return
		}
		body, err := readBody(c)
		if err != nil {
			outcome = "bad_input"
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		type result struct {
			v   any
			err error
		}
		done := make(chan result, 1)
		go func() {
			v, err := run(ctx, body)
			done <- result{v, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-ctx.Done():
			res.err = ctx.Err()
		}
		if res.err == nil {
			outcome = foundOutcome(res.v)
			c.JSON(http.StatusOK, res.v)
			return
		}
		if ctx.Err() != nil && c.Request.Context().Err() == nil {
			outcome = "timeout"
			c.JSON(http.StatusGatewayTimeout, gin.H{"error": "ServiceJourney did not answer within " + a.opts.Budget.String()})
			return
		}
		e := httpError(res.err, fromServiceJourney)
		outcome = outcomeOf(e.Status)
		c.JSON(e.Status, gin.H{"error": e.Message})
	}
}

func foundOutcome(v any) string {
	switch x := v.(type) {
	case *interactions.PartyAnswer:
		if !x.Found {
			return "not_found"
		}
	case *interactions.CaseAnswer:
		if !x.Found {
			return "not_found"
		}
	case *interactions.PopTargetAnswer:
		if !x.Found {
			return "not_found"
		}
	}
	return "found"
}

func outcomeOf(status int) string {
	switch {
	case status == http.StatusBadRequest:
		return "bad_input"
	case status == http.StatusGatewayTimeout:
		return "timeout"
	case status == http.StatusServiceUnavailable:
		return "unavailable"
	}
	return "upstream_error"
}
