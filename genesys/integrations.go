package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// IntegrationsService covers /api/v2/integrations (docs/upstreams.md): what the
// installer needs to create and configure the client-app integrations.
type IntegrationsService service

// Integration is an installed integration. IntendedState is ENABLED,
// DISABLED, DELETED or RESTORED.
type Integration struct {
	ID              string                   `json:"id,omitempty"`
	Name            string                   `json:"name,omitempty"`
	IntegrationType *IntegrationType         `json:"integrationType,omitempty"`
	Notes           string                   `json:"notes,omitempty"`
	IntendedState   string                   `json:"intendedState,omitempty"`
	Config          *IntegrationConfigHolder `json:"config,omitempty"`
	ReportedState   *IntegrationStatus       `json:"reportedState,omitempty"`
	Attributes      map[string]string        `json:"attributes,omitempty"`
	SelfURI         string                   `json:"selfUri,omitempty"`
}

// IntegrationConfigHolder wraps the current configuration.
type IntegrationConfigHolder struct {
	Current *IntegrationConfiguration `json:"current,omitempty"`
}

// IntegrationStatus: Code is ACTIVE, ACTIVATING, INACTIVE, DEACTIVATING or ERROR.
type IntegrationStatus struct {
	Code        string    `json:"code,omitempty"`
	Effective   string    `json:"effective,omitempty"`
	Detail      any       `json:"detail,omitempty"`
	LastUpdated time.Time `json:"lastUpdated,omitzero"`
}

// IntegrationConfiguration is config/current. Version must be sent back
// on PUT (1 the first time). Properties hold url, sandbox, permissions,
// displayType, groups, ... as the integration type's schema says.
// Model: platformclientv2.Integrationconfiguration, whose name, version,
// properties, advanced, notes and credentials are all required: each is
// always sent, empty or not.
type IntegrationConfiguration struct {
	ID          string                    `json:"id,omitempty"`
	Name        string                    `json:"name"`
	Version     int                       `json:"version"`
	Properties  map[string]any            `json:"properties"`
	Advanced    map[string]any            `json:"advanced"`
	Notes       string                    `json:"notes"`
	Credentials map[string]CredentialInfo `json:"credentials"`
	SelfURI     string                    `json:"selfUri,omitempty"`
}

// CredentialInfo references stored credentials.
type CredentialInfo struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name,omitempty"`
}

// IntegrationType is one kind of integration, e.g. embedded-client-app.
type IntegrationType struct {
	ID                        string          `json:"id"`
	Name                      string          `json:"name,omitempty"`
	Description               string          `json:"description,omitempty"`
	Provider                  string          `json:"provider,omitempty"`
	Category                  string          `json:"category,omitempty"`
	ConfigPropertiesSchemaURI string          `json:"configPropertiesSchemaUri,omitempty"`
	ConfigAdvancedSchemaURI   string          `json:"configAdvancedSchemaUri,omitempty"`
	HelpURI                   string          `json:"helpUri,omitempty"`
	NonInstallable            bool            `json:"nonInstallable,omitempty"`
	MaxInstances              int             `json:"maxInstances,omitempty"`
	UserPermissions           []string        `json:"userPermissions,omitempty"`
	VendorOAuthClientIDs      []string        `json:"vendorOAuthClientIds,omitempty"`
	Credentials               json.RawMessage `json:"credentials,omitempty"`
	SelfURI                   string          `json:"selfUri,omitempty"`
}

// IntegrationListOptions filter GET /api/v2/integrations.
type IntegrationListOptions struct {
	PageSize        int
	PageNumber      int
	IntegrationType string // only this type
	ReportedState   string // ACTIVE, INACTIVE, ...
}

func (o *IntegrationListOptions) query(defSize int) url.Values {
	q := url.Values{}
	lo := ListOptions{PageSize: defSize}
	if o != nil {
		lo = ListOptions{o.PageSize, o.PageNumber}
		if lo.PageSize == 0 {
			lo.PageSize = defSize
		}
		if o.IntegrationType != "" {
			q.Set("integrationType", o.IntegrationType)
		}
		if o.ReportedState != "" {
			q.Set("reportedState", o.ReportedState)
		}
	}
	lo.set(q)
	return q
}

const integrationsPath = "/api/v2/integrations"

// List returns one page of integrations.
func (s *IntegrationsService) List(ctx context.Context, opts *IntegrationListOptions) (*Page[Integration], error) {
	var p Page[Integration]
	if err := s.client.do(ctx, get("integrations", integrationsPath, integrationsPath, opts.query(0)), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListAll returns every integration matching opts.
func (s *IntegrationsService) ListAll(ctx context.Context, opts *IntegrationListOptions) ([]Integration, error) {
	return listAll[Integration](ctx, s.client, get("integrations", integrationsPath, integrationsPath, opts.query(listAllPageSize)))
}

// Create installs an integration of typeID (e.g. "embedded-client-app").
// Not retried after a 5xx: that could install two.
func (s *IntegrationsService) Create(ctx context.Context, name, typeID string) (*Integration, error) {
	if typeID == "" {
		return nil, fmt.Errorf("genesys: Integrations.Create: typeID is empty (e.g. embedded-client-app)")
	}
	if name == "" {
		return nil, fmt.Errorf("genesys: Integrations.Create: name is empty; Genesys requires one (e.g. the app name agents see)")
	}
	// Model: platformclientv2.Createintegrationrequest; name is always sent,
	// as the official docs list it as required.
	body := struct {
		Name            string      `json:"name"`
		IntegrationType NamedEntity `json:"integrationType"`
	}{name, NamedEntity{ID: typeID}}
	var in Integration
	r := &request{method: http.MethodPost, area: "integrations", route: integrationsPath, path: integrationsPath, body: body}
	if err := s.client.do(ctx, r, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// Get returns one integration.
func (s *IntegrationsService) Get(ctx context.Context, id string) (*Integration, error) {
	pid, err := pathID("integration id", id)
	if err != nil {
		return nil, err
	}
	var in Integration
	if err := s.client.do(ctx, get("integrations", integrationsPath+"/{id}", integrationsPath+"/"+pid, nil), &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// Patch updates an integration, typically &Integration{IntendedState: "ENABLED"}.
func (s *IntegrationsService) Patch(ctx context.Context, id string, patch *Integration) (*Integration, error) {
	pid, err := pathID("integration id", id)
	if err != nil {
		return nil, err
	}
	if patch == nil {
		return nil, fmt.Errorf("genesys: Integrations.Patch: patch is nil")
	}
	var in Integration
	r := &request{method: http.MethodPatch, area: "integrations", route: integrationsPath + "/{id}",
		path: integrationsPath + "/" + pid, body: patch, idempotent: true}
	if err := s.client.do(ctx, r, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// Delete removes an integration.
func (s *IntegrationsService) Delete(ctx context.Context, id string) error {
	pid, err := pathID("integration id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "integrations", route: integrationsPath + "/{id}",
		path: integrationsPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}

// GetConfig returns config/current.
func (s *IntegrationsService) GetConfig(ctx context.Context, id string) (*IntegrationConfiguration, error) {
	pid, err := pathID("integration id", id)
	if err != nil {
		return nil, err
	}
	var c IntegrationConfiguration
	p := integrationsPath + "/" + pid + "/config/current"
	if err := s.client.do(ctx, get("integrations", integrationsPath+"/{id}/config/current", p, nil), &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// PutConfig replaces config/current; cfg.Version must be the current one.
func (s *IntegrationsService) PutConfig(ctx context.Context, id string, cfg *IntegrationConfiguration) (*IntegrationConfiguration, error) {
	pid, err := pathID("integration id", id)
	if err != nil {
		return nil, err
	}
	if cfg == nil || cfg.Version < 1 {
		return nil, fmt.Errorf("genesys: Integrations.PutConfig: IntegrationConfiguration.Version must be the current version (1 the first time)")
	}
	if cfg.Name == "" {
		return nil, fmt.Errorf("genesys: Integrations.PutConfig: IntegrationConfiguration.Name is empty; Genesys requires it (keep the name GetConfig returned)")
	}
	c := *cfg // Genesys wants objects, not null, for the three maps
	if c.Properties == nil {
		c.Properties = map[string]any{}
	}
	if c.Advanced == nil {
		c.Advanced = map[string]any{}
	}
	if c.Credentials == nil {
		c.Credentials = map[string]CredentialInfo{}
	}
	var out IntegrationConfiguration
	r := &request{method: http.MethodPut, area: "integrations", route: integrationsPath + "/{id}/config/current",
		path: integrationsPath + "/" + pid + "/config/current", body: &c, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListTypes returns one page of integration types.
func (s *IntegrationsService) ListTypes(ctx context.Context, opts *ListOptions) (*Page[IntegrationType], error) {
	q := url.Values{}
	if opts != nil {
		opts.set(q)
	}
	var p Page[IntegrationType]
	if err := s.client.do(ctx, get("integrations", integrationsPath+"/types", integrationsPath+"/types", q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListAllTypes returns every integration type (the installer looks for
// embedded-client-app and the premium app type among them).
func (s *IntegrationsService) ListAllTypes(ctx context.Context) ([]IntegrationType, error) {
	q := url.Values{}
	ListOptions{PageSize: listAllPageSize}.set(q)
	return listAll[IntegrationType](ctx, s.client, get("integrations", integrationsPath+"/types", integrationsPath+"/types", q))
}

// ListClientApps returns one page of the client-app integrations the token's
// user may see.
func (s *IntegrationsService) ListClientApps(ctx context.Context, opts *ListOptions) (*Page[Integration], error) {
	q := url.Values{}
	if opts != nil {
		opts.set(q)
	}
	var p Page[Integration]
	if err := s.client.do(ctx, get("integrations", integrationsPath+"/clientapps", integrationsPath+"/clientapps", q), &p); err != nil {
		return nil, err
	}
	return &p, nil
}
