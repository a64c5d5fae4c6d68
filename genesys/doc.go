// Package genesys is a small typed client for the Genesys Cloud Platform
// API, written by hand because the official Go SDK is not served by the
// module proxy. Its sources (the official SDKs' models): docs/upstreams.md.
//
// One Client serves one environment (APIURL, LoginURL). It acts with the
// client-credentials token, which is cached (internal/loadonce), refreshed
// TokenRefreshMargin before expiry and fetched once for all concurrent
// callers; a 401 drops it and the request is retried once. WithToken gives
// a view of the same client acting with a browser user's token, and
// VerifyUserToken checks such a token (users/me, our organization only),
// caching the answer by the token's SHA-256.
//
// API areas are services in the style of go-github, one file each:
// c.Users, c.Organizations, c.Conversations, c.Analytics, c.Integrations,
// c.Authorization, c.Groups, c.OAuthClients, c.Routing, c.Tokens.
//
// Every attempt has a deadline (Options.Timeout). Calls are retried with
// jittered backoff, at most MaxRetries times: 429 after its Retry-After
// (failing at once when that exceeds RetryAfterCap), 5xx except 501 and
// connection errors for idempotent requests only. A token bucket per
// bearer token keeps us under the platform's 300 requests/minute.
//
// Errors are typed: *Error (a Genesys error body with correlation id),
// *AuthError (the login host refused a grant), *TransportError (no answer,
// names the host) and *ResponseError (malformed or oversize answer); use
// errors.Is with ErrUnauthorized, ErrOtherOrg, ErrBadClientCredentials,
// ErrRateLimited, ErrUnreachable, ... Tokens and secrets never appear in
// errors, logs or metric labels; metrics use route templates such as
// "/api/v2/users/{id}", never raw ids.
package genesys
