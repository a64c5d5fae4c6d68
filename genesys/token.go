package genesys

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dcmconnect/internal/loadonce"
)

// TokenSource yields the bearer token a request is sent with.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
}

// invalidator is implemented by sources that can drop a token Genesys
// refused (401) and fetch a fresh one.
type invalidator interface {
	Invalidate(token string)
}

type staticToken string

func (t staticToken) Token(context.Context) (string, error) {
	if t == "" {
		return "", fmt.Errorf("%w: no bearer token given", ErrUnauthorized)
	}
	return string(t), nil
}

type noCredentials struct{}

func (noCredentials) Token(context.Context) (string, error) { return "", ErrNoClientCredentials }

// clientCredentials caches the client-credentials token and refreshes it
// TokenRefreshMargin before expiry. Concurrent callers on a cold or stale
// cache share one fetch, which outlives any one caller's context.
type clientCredentials struct {
	core  *core
	cache *loadonce.Cache[struct{}, string]
}

// refusalMemory is how long a refused client (bad id or secret) is
// remembered, so readiness probes and jobs do not send Genesys a token
// request each while the credentials are wrong.
const refusalMemory = 10 * time.Second

func newClientCredentials(co *core) *clientCredentials {
	s := &clientCredentials{core: co}
	s.cache = loadonce.New(func(ctx context.Context, _ struct{}) (string, time.Duration, error) { return s.fetch(ctx) },
		loadonce.Options{Timeout: co.fetchBudget(), Now: co.opts.Now})
	return s
}

// Token returns the cached token or fetches a new one.
func (s *clientCredentials) Token(ctx context.Context) (string, error) {
	tok, _, err := s.cache.Get(ctx, struct{}{})
	return tok, err
}

// Invalidate drops token if it is still the cached one, so the next Token
// call fetches anew. A token already replaced is left alone, which keeps a
// burst of 401s from causing a burst of fetches.
func (s *clientCredentials) Invalidate(token string) {
	s.cache.Drop(struct{}{}, func(cur string) bool { return cur == token })
}

// fetch gets a token and says how long to use it; a refusal is kept for
// refusalMemory, other failures not at all.
func (s *clientCredentials) fetch(ctx context.Context) (string, time.Duration, error) {
	o := &s.core.opts
	tok, err := s.core.tokenGrant(ctx, "client_credentials", nil, true)
	if err != nil {
		s.core.metrics.tokenFetch.WithLabelValues("error").Inc()
		o.Logger.Warn("genesys client-credentials token fetch failed", "host", s.core.logHost, "err", err)
		if errors.Is(err, ErrBadClientCredentials) {
			return "", refusalMemory, err
		}
		return "", 0, err
	}
	s.core.metrics.tokenFetch.WithLabelValues("ok").Inc()
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Minute // unknown lifetime: re-fetch soon rather than trust it long
	}
	early := o.TokenRefreshMargin
	if early >= life {
		early = life / 2 // short-lived tokens (tests, strict clients): refresh at half-life
	}
	o.Logger.Info("genesys client-credentials token fetched", "host", s.core.logHost, "expiresIn", life)
	return tok.AccessToken, life - early, nil
}
