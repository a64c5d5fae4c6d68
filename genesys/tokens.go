package genesys

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"dcmconnect/internal/retry"
)

// TokensService covers the login host's /oauth/token grants and
// /api/v2/tokens (docs/upstreams.md).
type TokensService service

// TokenResponse is a successful /oauth/token answer. Its String and
// LogValue hide the tokens, so printing or logging it leaks nothing.
type TokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"` // seconds
	RefreshToken string `json:"refresh_token,omitempty"`
}

func (t TokenResponse) String() string {
	return fmt.Sprintf("TokenResponse{AccessToken:[redacted] TokenType:%s ExpiresIn:%d}", t.TokenType, t.ExpiresIn)
}

// GoString keeps %#v from printing the token too.
func (t TokenResponse) GoString() string { return t.String() }

func (t TokenResponse) LogValue() slog.Value {
	return slog.GroupValue(slog.String("tokenType", t.TokenType), slog.Int("expiresIn", t.ExpiresIn))
}

// TokenInfo is GET /api/v2/tokens/me.
type TokenInfo struct {
	Organization     *NamedEntity `json:"organization,omitempty"`
	HomeOrganization *NamedEntity `json:"homeOrganization,omitempty"`
	AuthorizedScope  []string     `json:"authorizedScope,omitempty"`
	// DateTokenIdles is when the token is due to expire (PySDK TokenInfo.md).
	DateTokenIdles time.Time    `json:"dateTokenIdles,omitzero"`
	OAuthClient    *NamedEntity `json:"OAuthClient,omitempty"`
}

// ExchangePKCE trades an authorization code from the browser login for a
// user token: grant_type=authorization_code with code_verifier and
// client_id, no client secret (docs/upstreams.md).
func (s *TokensService) ExchangePKCE(ctx context.Context, clientID, code, verifier, redirectURI string) (*TokenResponse, error) {
	for _, f := range []struct{ name, v string }{
		{"clientID (genesys.browserClientId)", clientID}, {"code", code}, {"verifier", verifier}, {"redirectURI", redirectURI},
	} {
		if f.v == "" {
			return nil, fmt.Errorf("genesys: ExchangePKCE: %s is empty", f.name)
		}
	}
	form := url.Values{
		"code":          {code},
		"code_verifier": {verifier},
		"client_id":     {clientID},
		"redirect_uri":  {redirectURI},
	}
	return s.client.core.tokenGrant(ctx, "authorization_code", form, false)
}

// ClientCredentials runs the client-credentials grant once, bypassing the
// cache (installer checks use it to test genesys.clientId/clientSecret).
func (s *TokensService) ClientCredentials(ctx context.Context) (*TokenResponse, error) {
	if s.client.core.cc == nil {
		return nil, ErrNoClientCredentials
	}
	return s.client.core.tokenGrant(ctx, "client_credentials", nil, true)
}

// Me describes the token the client acts with (GET /api/v2/tokens/me).
func (s *TokensService) Me(ctx context.Context) (*TokenInfo, error) {
	var ti TokenInfo
	if err := s.client.do(ctx, get("tokens", "/api/v2/tokens/me", "/api/v2/tokens/me", nil), &ti); err != nil {
		return nil, err
	}
	return &ti, nil
}

// oauthErrorBody is the login host's error body (docs/upstreams.md).
type oauthErrorBody struct {
	Error            string `json:"error"`
	Description      string `json:"description"`
	ErrorDescription string `json:"error_description"`
}

// tokenGrant posts one grant to LoginURL/oauth/token. Client-credentials
// grants are retried like idempotent requests; an authorization code is
// single-use, so that grant is retried only after 429.
func (co *core) tokenGrant(ctx context.Context, grant string, form url.Values, basic bool) (*TokenResponse, error) {
	const route = "/oauth/token"
	if form == nil {
		form = url.Values{}
	}
	form.Set("grant_type", grant)
	body := []byte(form.Encode())
	auth := ""
	if basic {
		auth = "Basic " + base64.StdEncoding.EncodeToString([]byte(co.opts.ClientID+":"+co.opts.ClientSecret))
	}
	r := &request{method: http.MethodPost, area: "oauth", route: route, idempotent: grant == "client_credentials"}
	var tok TokenResponse
	err := co.retryDo(ctx, r.area, nil, func(int) retry.Outcome {
		x, err := co.exchange(ctx, r.method, r.area, route, co.logHost, co.login+route, body, "application/x-www-form-urlencoded", auth)
		if err == nil {
			if x.status == http.StatusOK {
				if jerr := json.Unmarshal(x.body, &tok); jerr != nil {
					return retry.Outcome{Err: &ResponseError{Status: x.status, Method: r.method, Route: route, Host: co.logHost,
						CorrelationID: x.correlationID(), Err: jerr}}
				}
				if tok.AccessToken == "" {
					return retry.Outcome{Err: &ResponseError{Status: x.status, Method: r.method, Route: route, Host: co.logHost,
						CorrelationID: x.correlationID(), Err: errors.New("no access_token in the answer")}}
				}
				return retry.Outcome{}
			}
			if x.status != http.StatusTooManyRequests && x.status < 500 {
				return retry.Outcome{Err: oauthError(co.logHost, grant, x)}
			}
			err = apiError(r, x) // throttling and outages use the API error shape
		}
		status := 0
		if x != nil {
			status = x.status
		}
		return classify(r.idempotent, status, err)
	})
	if err != nil {
		return nil, err
	}
	return &tok, nil
}

func oauthError(host, grant string, x *exchanged) *AuthError {
	e := &AuthError{Status: x.status, Host: host, Grant: grant, CorrelationID: x.correlationID()}
	var b oauthErrorBody
	if json.Unmarshal(x.body, &b) == nil {
		e.Code = b.Error
		e.Description = b.ErrorDescription
		if e.Description == "" {
			e.Description = b.Description
		}
	}
	if e.Code == "" && e.Description == "" {
		e.Description = strings.ToLower(http.StatusText(x.status))
	}
	return e
}
