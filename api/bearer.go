package api

import (
	"strings"
)

// maxBearerLen bounds what we hash and send upstream; Genesys tokens are far
// shorter.
const maxBearerLen = 4096

// bearerToken takes the token from an Authorization header value: exactly
// "Bearer <token>" (scheme case-insensitive, RFC 6750 §2.1), where the token
// is one run of token68 characters. Anything else ("Bearer Bearer x", two
// tokens, control characters) is a 401 without any upstream call.
func bearerToken(h string) (string, error) {
	scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	if !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", Unauthorized("sign in to Genesys Cloud first: the request carries no Authorization: Bearer token")
	}
	if len(token) > maxBearerLen || !token68(token) {
		return "", Unauthorized("the Authorization header must be exactly \"Bearer <token>\"; sign in again")
	}
	return token, nil
}

// token68 is RFC 7235's token68: ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/", then "=" padding.
func token68(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		b := s[i]
		if !(b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' ||
			b == '-' || b == '.' || b == '_' || b == '~' || b == '+' || b == '/') {
			break
		}
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] != '=' {
			return false
		}
	}
	return true
}
