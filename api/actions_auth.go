package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// basicAuth checks the Basic credential Genesys sends on every data-action
// call. Both parts are hashed first so the comparison takes the same time
// whatever the length or content of the guess.
type basicAuth struct {
	user, pass [sha256.Size]byte
}

func newBasicAuth(user, pass string) *basicAuth {
	return &basicAuth{user: sha256.Sum256([]byte(user)), pass: sha256.Sum256([]byte(pass))}
}

func (b *basicAuth) allowed(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	hu, hp := sha256.Sum256([]byte(u)), sha256.Sum256([]byte(p))
	userOK := subtle.ConstantTimeCompare(hu[:], b.user[:])
	passOK := subtle.ConstantTimeCompare(hp[:], b.pass[:])
	return ok && userOK&passOK == 1
}

// sameOrg compares organization ids (UUIDs, any letter case). Org ids are not
// secret, so a plain comparison is fine.
func sameOrg(got, want string) bool {
	return got != "" && strings.EqualFold(strings.TrimSpace(got), want)
}
