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
	if err != nil {
		return nil, httpError(err, fromToken)
	}
	c := &Caller{ID: u.ID, Name: u.Name, Email: u.Email, OrgID: u.OrgID, Permissions: u.Permissions}
	for _, g := range u.Groups {
		c.Groups = append(c.Groups, Group{ID: g.ID, Name: g.Name})
	}
	return c, nil
}
