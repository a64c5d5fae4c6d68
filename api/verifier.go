package api

import (
	"context"

	"dcmconnect/genesys"
)

// GenesysVerifier verifies browser tokens with Genesys Cloud (users/me,
// cached by token hash in the genesys client) and accepts only our org.
type GenesysVerifier struct{ Client *genesys.Client }

func (v GenesysVerifier) Verify(ctx context.Context, bearer string) (*Caller, error) {
	u, err := v.Client.VerifyUserToken(ctx, bearer)
	return callerOf(u, err)
}

// Cached answers from the client's verification cache alone (CachedVerifier).
func (v GenesysVerifier) Cached(bearer string) (*Caller, error, bool) {
	u, err, ok := v.Client.CachedVerification(bearer)
	if !ok {
		return nil, nil, false
	}
	c, err := callerOf(u, err)
	return c, err, true
}

func callerOf(u *genesys.VerifiedUser, err error) (*Caller, error) {
	if err != nil {
		return nil, httpError(err, fromToken)
	}
	c := &Caller{ID: u.ID, Name: u.Name, Email: u.Email, OrgID: u.OrgID, Permissions: u.Permissions}
	for _, g := range u.Groups {
		c.Groups = append(c.Groups, Group{ID: g.ID, Name: g.Name})
	}
	return c, nil
}
