package genesys

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Values holding a credential must not print or log it in any form a
// developer is likely to use.
func TestCredentialsHiddenInPrintAndLog(t *testing.T) {
	const secret = "s3cret-value-42"
	values := map[string]any{
		"OAuthClient":   OAuthClient{ID: "c1", Name: "bg", AuthorizedGrantType: "CLIENT-CREDENTIALS", Secret: secret},
		"TokenResponse": TokenResponse{AccessToken: secret, RefreshToken: secret, TokenType: "bearer", ExpiresIn: 60},
	}
	for name, v := range values {
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
		for _, out := range []string{fmt.Sprint(v), fmt.Sprintf("%+v", v), fmt.Sprintf("%#v", v), buf.String()} {
			if strings.Contains(out, secret) {
				t.Errorf("%s leaks its secret: %s", name, out)
			}
		}
	}
}
