package genesys

import (
	"context"
	"time"

	"dcmconnect/internal/loadonce"
)

// OrganizationsService covers /api/v2/organizations.
type OrganizationsService service

// Organization is a Genesys organization (PySDK Organization.md).
type Organization struct {
	ID                 string `json:"id"`
	Name               string `json:"name,omitempty"`
	ThirdPartyOrgName  string `json:"thirdPartyOrgName,omitempty"` // the org's short name
	Domain             string `json:"domain,omitempty"`
	State              string `json:"state,omitempty"`
	DefaultLanguage    string `json:"defaultLanguage,omitempty"`
	DefaultCountryCode string `json:"defaultCountryCode,omitempty"`
	DefaultSiteID      string `json:"defaultSiteId,omitempty"`
	Version            int    `json:"version,omitempty"`
	SelfURI            string `json:"selfUri,omitempty"`
}

// Me returns the organization of the token the client acts with.
func (s *OrganizationsService) Me(ctx context.Context) (*Organization, error) {
	var o Organization
	const p = "/api/v2/organizations/me"
	if err := s.client.do(ctx, get("organizations", p, p, nil), &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// KeepOrgID reads our organization id at once (so the first screen pop does
// not wait for organizations/me behind token verification) and again every
// refresh, until ctx ends; a failed read is tried again after a tenth of
// refresh, and the last good id keeps serving meanwhile. It returns nil at
// once when there is nothing to read (Options.OrgID set, or no client
// credentials). Run it beside the server, like the sync jobs.
func (c *Client) KeepOrgID(ctx context.Context, refresh time.Duration) error {
	co := c.core
	if co.opts.OrgID != "" || co.cc == nil {
		return nil
	}
	if refresh <= 0 {
		refresh = time.Hour
	}
	for first := true; ; first = false {
		wait := refresh
		var err error
		if first { // shared with any OrgID caller already waiting
			_, _, err = co.org.Get(ctx, struct{}{})
		} else {
			var id string
			if id, _, err = co.fetchOrgID(ctx, struct{}{}); err == nil {
				co.org.Set(struct{}{}, id, loadonce.Forever)
			}
		}
		if err != nil && ctx.Err() == nil {
			co.opts.Logger.Warn("genesys: reading our organization id failed; trying again", "err", err, "in", refresh/10)
			wait = refresh / 10
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}
