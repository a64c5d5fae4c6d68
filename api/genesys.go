package api

import (
	"context"
	"errors"
	"net/http"

	"dcmconnect/genesys"
)

// GenesysVerifier verifies browser tokens with Genesys Cloud (users/me,
// cached by token hash in the genesys client) and accepts only our org.
type GenesysVerifier struct{ Client *genesys.Client }

func (v GenesysVerifier) Verify(ctx context.Context, bearer string) (*Caller, error) {
	u, err := v.Client.VerifyUserToken(ctx, bearer)
	switch {
	case errors.Is(err, genesys.ErrOtherOrg):
		return nil, Forbidden("this Genesys Cloud token belongs to another organization than the one this connector serves")
	case errors.Is(err, genesys.ErrUnauthorized):
		return nil, Unauthorized("the Genesys Cloud token is not valid or has expired; sign in again")
	case err != nil:
		return nil, FromGenesys(err)
	}
	c := &Caller{ID: u.ID, Name: u.Name, Email: u.Email, OrgID: u.OrgID, Permissions: u.Permissions}
	for _, g := range u.Groups {
		c.Groups = append(c.Groups, Group{ID: g.ID, Name: g.Name})
	}
	return c, nil
}

// FromGenesys maps a Genesys Cloud failure to what the page gets: 504 on
// timeouts, 503 when unreachable or rate limited, 404 when the object is
// gone, 502 otherwise, each with a message a person can act on.
func FromGenesys(err error) *Error {
	e := Upstream("Genesys Cloud", err)
	if e.Status != http.StatusBadGateway {
		return e // already classified (an *Error, a timeout, a cancel, a 503/429)
	}
	switch {
	case errors.Is(err, genesys.ErrUnreachable), errors.Is(err, genesys.ErrRateLimited):
		e.Status = http.StatusServiceUnavailable
	case errors.Is(err, genesys.ErrNotFound):
		e.Status = http.StatusNotFound
	}
	return e
}
