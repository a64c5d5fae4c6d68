package genesys

import "context"

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
