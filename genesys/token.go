package genesys

import (
	"context"
	"errors"
	"fmt"
	"time"

	gocache "github.com/patrickmn/go-cache"
	"golang.org/x/sync/singleflight"
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

// clientCredentials caches the client-credentials token in go-cache and
// refreshes it TokenRefreshMargin before expiry. Concurrent callers on a
// cold or stale cache share one fetch (singleflight).
type clientCredentials struct {
	core  *core
	cache *gocache.Cache
	sf    singleflight.Group
}

const (
	ccKey     = "cc"
	ccFailKey = "cc-refused"
	// refusalMemory is how long a refused client (bad id or secret) is
	// remembered, so readiness probes and jobs do not send Genesys a token
	// request each while the credentials are wrong.
	refusalMemory = 10 * time.Second
)

type refusal struct {
	err   error
	until time.Time // by Options.Now
}

type cachedToken struct {
	value     string
	refreshAt time.Time // by Options.Now
}

func newClientCredentials(co *core) *clientCredentials {
	return &clientCredentials{core: co, cache: gocache.New(gocache.NoExpiration, 0)}
}

// Token returns the cached token or fetches a new one.
func (s *clientCredentials) Token(ctx context.Context) (string, error) {
	if v, ok := s.cache.Get(ccKey); ok {
		if t := v.(*cachedToken); s.core.opts.Now().Before(t.refreshAt) {
			return t.value, nil
		}
	}
	if v, ok := s.cache.Get(ccFailKey); ok {
		if f := v.(*refusal); s.core.opts.Now().Before(f.until) {
			return "", f.err
		}
	}
	// The fetch is detached from this caller's context: others wait on it too.
	ch := s.sf.DoChan(ccKey, func() (any, error) {
		// A caller that raced us may have stored a fresh token already.
		if v, ok := s.cache.Get(ccKey); ok {
			if t := v.(*cachedToken); s.core.opts.Now().Before(t.refreshAt) {
				return t.value, nil
			}
		}
		return s.fetch(context.WithoutCancel(ctx))
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// Invalidate drops token if it is still the cached one, so the next Token
// call fetches anew. A token already replaced is left alone, which keeps a
// burst of 401s from causing a burst of fetches.
func (s *clientCredentials) Invalidate(token string) {
	if v, ok := s.cache.Get(ccKey); ok && v.(*cachedToken).value == token {
		s.cache.Delete(ccKey)
	}
}

func (s *clientCredentials) fetch(ctx context.Context) (string, error) {
	o := &s.core.opts
	tok, err := s.core.tokenGrant(ctx, "client_credentials", nil, true)
	if err != nil {
		s.core.metrics.tokenFetch.WithLabelValues("error").Inc()
		o.Logger.Warn("genesys client-credentials token fetch failed", "host", s.core.logHost, "err", err)
		if errors.Is(err, ErrBadClientCredentials) {
			s.cache.Set(ccFailKey, &refusal{err: err, until: o.Now().Add(refusalMemory)}, gocache.NoExpiration)
		}
		return "", err
	}
	s.core.metrics.tokenFetch.WithLabelValues("ok").Inc()
	s.cache.Delete(ccFailKey)
	life := time.Duration(tok.ExpiresIn) * time.Second
	if life <= 0 {
		life = time.Minute // unknown lifetime: re-fetch soon rather than trust it long
	}
	early := o.TokenRefreshMargin
	if early >= life {
		early = life / 2 // short-lived tokens (tests, strict clients): refresh at half-life
	}
	now := o.Now()
	// No go-cache expiry: refreshAt decides, and skipping go-cache's own
	// clock read keeps the hot path to one time.Now.
	s.cache.Set(ccKey, &cachedToken{value: tok.AccessToken, refreshAt: now.Add(life - early)}, gocache.NoExpiration)
	o.Logger.Info("genesys client-credentials token fetched", "host", s.core.logHost, "expiresIn", life)
	return tok.AccessToken, nil
}
