package genesys

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"dcmconnect/internal/loadonce"
)

// VerifiedUser is who a browser's Genesys token belongs to.
type VerifiedUser struct {
	ID, Name, Email, Username string
	OrgID, OrgName            string
	// Permissions are the user's permission strings (from expand=authorization).
	Permissions []string
	// Groups are the groups the user belongs to (from expand=groups).
	Groups []NamedEntity
	// ExpiresAt is when this verification stops being trusted: the token's
	// own expiry or the cache limit, whichever comes first.
	ExpiresAt time.Time
}

// HasPermission reports whether the user holds perm, with the wildcard and
// division-scoped forms (PermissionGranted).
func (u *VerifiedUser) HasPermission(perm string) bool {
	return HasAnyPermission(u.Permissions, []string{perm})
}

// verifyEntry is one verification, success or refusal.
type verifyEntry struct {
	user    *VerifiedUser
	err     error
	expires time.Time // by Options.Now; zero: not to be cached
}

// VerifyUserToken asks Genesys whose token bearer is (GET
// /api/v2/users/me?expand=organization,authorization,groups) and accepts it only
// for our organization. Answers are cached by SHA-256 of the token, for at
// most the token's remaining life and Options.VerifyCacheTTL; refusals for
// Options.VerifyFailureTTL. Concurrent calls with one token share one lookup.
// The result is shared: do not modify it.
//
// Errors: ErrUnauthorized (missing, expired or revoked token), ErrOtherOrg,
// or an error reaching Genesys (never cached).
func (c *Client) VerifyUserToken(ctx context.Context, bearer string) (*VerifiedUser, error) {
	bearer = strings.TrimSpace(bearer)
	if len(bearer) > 7 && strings.EqualFold(bearer[:7], "bearer ") {
		bearer = strings.TrimSpace(bearer[7:])
	}
	if bearer == "" || strings.EqualFold(bearer, "bearer") {
		return nil, fmt.Errorf("%w: no bearer token given", ErrUnauthorized)
	}
	// A token is one word: "Bearer Bearer x" or "a b" is refused here, never
	// looked up as "x" or sent upstream.
	if strings.ContainsFunc(bearer, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return nil, fmt.Errorf("%w: the bearer token is malformed (it contains spaces or control characters)", ErrUnauthorized)
	}
	co := c.core
	key := tokenKey(bearer)
	// A hit first: it makes no fetch closure (an allocation on the path of
	// every page call).
	if u, err, ok := co.verified.Peek(key); ok {
		co.metrics.verifyHit.Inc()
		return u, err
	}
	u, hit, err := co.verified.Load(ctx, key, func(ctx context.Context) (*VerifiedUser, time.Duration, error) {
		e := c.verify(ctx, bearer)
		return e.user, max(e.expires.Sub(co.opts.Now()), 0), e.err
	})
	if hit {
		co.metrics.verifyHit.Inc()
	} else {
		co.metrics.verifyMiss.Inc()
	}
	return u, err
}

// CachedVerification is VerifyUserToken's answer for bearer when it is
// cached (ok), without asking Genesys: a caller that would run the lookup
// on its own goroutine and deadline can skip both for the common case.
func (c *Client) CachedVerification(bearer string) (u *VerifiedUser, err error, ok bool) {
	bearer = strings.TrimSpace(bearer)
	if len(bearer) > 7 && strings.EqualFold(bearer[:7], "bearer ") {
		bearer = strings.TrimSpace(bearer[7:])
	}
	if bearer == "" {
		return nil, nil, false
	}
	if u, err, ok = c.core.verified.Peek(tokenKey(bearer)); ok {
		c.core.metrics.verifyHit.Inc()
	}
	return u, err, ok
}

// tokenKey is the verification cache's key of a token: its SHA-256, so the
// cache never holds a token itself and no two tokens can share an entry.
// A token of usual length is hashed from a copy on the stack: the []byte
// conversion of a string past 32 bytes was an allocation on every call.
func tokenKey(bearer string) [sha256.Size]byte {
	var buf [256]byte
	if len(bearer) <= len(buf) {
		return sha256.Sum256(buf[:copy(buf[:], bearer)])
	}
	return sha256.Sum256([]byte(bearer))
}

// verify performs the lookup. Its entry's expires is zero for errors that
// must not be cached (Genesys unreachable, our org unknown).
func (c *Client) verify(ctx context.Context, bearer string) *verifyEntry {
	co := c.core
	ctx, cancel := context.WithTimeout(ctx, co.opts.Timeout*time.Duration(co.opts.MaxRetries+1))
	defer cancel()
	as := c.WithToken(bearer)

	// The token's expiry comes from /tokens/me (dateTokenIdles, "when the
	// token is due to expire", PySDK TokenInfo.md), fetched alongside.
	type tokenMe struct {
		ti  *TokenInfo
		err error
	}
	tch := make(chan tokenMe, 1)
	go func() {
		ti, err := as.Tokens.Me(ctx)
		tch <- tokenMe{ti, err}
	}()

	// Our org id is known from start-up (KeepOrgID) unless this is one of
	// the first calls of the process: then it is read beside users/me, not
	// after it. The read is shared and outlives ctx (loadonce), so a refused
	// token leaves nothing to wait for.
	type orgID struct {
		id  string
		err error
	}
	och := make(chan orgID, 1)
	if id, err, ok := co.org.Peek(struct{}{}); ok {
		och <- orgID{id, err}
	} else {
		go func() {
			id, err := c.OrgID(ctx)
			och <- orgID{id, err}
		}()
	}

	me, err := as.Users.Me(ctx, "organization", "authorization", "groups")
	if err != nil {
		cancel() // the expiry is no longer needed
		<-tch
		// users/me answers 400 to a token without a user (a
		// client-credentials token, docs/upstreams.md): a caller sent a
		// token that can never name a person, so it is refused as one.
		var ge *Error
		if errors.As(err, &ge) && ge.Status == http.StatusBadRequest {
			err = fmt.Errorf("%w: the token has no user (a client-credentials token?); sign in as a Genesys Cloud user: %w", ErrUnauthorized, err)
		}
		return c.refusal(err)
	}
	o := <-och
	ours, err := o.id, o.err
	if err != nil {
		<-tch
		return &verifyEntry{err: fmt.Errorf("genesys: cannot verify user tokens: our organization id is unknown: %w", err)}
	}
	if me.Organization == nil || me.Organization.ID != ours {
		<-tch
		other := "unknown"
		if me.Organization != nil {
			other = fmt.Sprintf("%s (%s)", me.Organization.ID, me.Organization.Name)
		}
		return c.refusal(fmt.Errorf("%w: the token's organization is %s, ours is %s", ErrOtherOrg, other, ours))
	}
	now := co.opts.Now()
	expires := now.Add(co.opts.VerifyCacheTTL)
	if t := <-tch; t.err == nil && !t.ti.DateTokenIdles.IsZero() && t.ti.DateTokenIdles.Before(expires) {
		expires = t.ti.DateTokenIdles
	} else if t.err != nil {
		co.opts.Logger.Debug("genesys token expiry unknown; caching the verification for the cache limit", "err", t.err)
	}
	u := &VerifiedUser{
		ID: me.ID, Name: me.Name, Email: me.Email, Username: me.Username,
		OrgID: me.Organization.ID, OrgName: me.Organization.Name,
		ExpiresAt: expires,
	}
	if me.Authorization != nil {
		u.Permissions = slices.Clip(me.Authorization.Permissions)
	}
	u.Groups = slices.Clip(me.Groups)
	return &verifyEntry{user: u, expires: expires}
}

// refusal caches definite refusals briefly; other errors not at all.
func (c *Client) refusal(err error) *verifyEntry {
	e := &verifyEntry{err: err}
	if errors.Is(err, ErrUnauthorized) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrOtherOrg) {
		e.expires = c.core.opts.Now().Add(c.core.opts.VerifyFailureTTL)
	}
	return e
}

// OrgID returns our organization's id: Options.OrgID, or else read once
// with the client-credentials token (GET /api/v2/organizations/me) and cached.
func (c *Client) OrgID(ctx context.Context) (string, error) {
	co := c.core
	if id, err, ok := co.org.Peek(struct{}{}); ok {
		return id, err
	}
	if co.cc == nil {
		return "", fmt.Errorf("genesys: our organization id is needed: set genesys.clientId/clientSecret (or Options.OrgID): %w", ErrNoClientCredentials)
	}
	id, _, err := co.org.Get(ctx, struct{}{})
	return id, err
}

// fetchOrgID reads our organization's id with the client-credentials token;
// kept for good, failures not at all.
func (co *core) fetchOrgID(ctx context.Context, _ struct{}) (string, time.Duration, error) {
	bg := &Client{core: co, auth: co.cc}
	bg.bind()
	org, err := bg.Organizations.Me(ctx)
	if err != nil {
		return "", 0, err
	}
	if org.ID == "" {
		return "", 0, &ResponseError{Status: 200, Method: "GET", Route: "/api/v2/organizations/me", Host: co.apiHost,
			Err: errors.New("no organization id in the answer")}
	}
	return org.ID, loadonce.Forever, nil
}
