package genesystest

import (
	"net/http"
	"slices"
	"strings"
)

// Wire shapes of integrations (docs/upstreams.md).
type wireIntegration struct {
	ID              string              `json:"id"`
	Name            string              `json:"name"`
	IntegrationType wireIntegrationType `json:"integrationType"`
	Notes           string              `json:"notes,omitempty"`
	IntendedState   string              `json:"intendedState"`
	Config          struct {
		Current wireIntegrationConfig `json:"current"`
	} `json:"config"`
	ReportedState wireReportedState `json:"reportedState"`
	Attributes    map[string]string `json:"attributes"`
	SelfURI       string            `json:"selfUri"`
}

type wireIntegrationConfig struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Version     int            `json:"version"`
	Properties  map[string]any `json:"properties"`
	Advanced    map[string]any `json:"advanced"`
	Notes       string         `json:"notes"`
	Credentials map[string]any `json:"credentials"`
	SelfURI     string         `json:"selfUri"`
}

type wireReportedState struct {
	Code        string `json:"code"`
	Effective   string `json:"effective"`
	LastUpdated string `json:"lastUpdated"`
}

type wireIntegrationType struct {
	ID                        string   `json:"id"`
	Name                      string   `json:"name,omitempty"`
	Description               string   `json:"description,omitempty"`
	Provider                  string   `json:"provider,omitempty"`
	Category                  string   `json:"category,omitempty"`
	Images                    []any    `json:"images"`
	ConfigPropertiesSchemaURI string   `json:"configPropertiesSchemaUri,omitempty"`
	ConfigAdvancedSchemaURI   string   `json:"configAdvancedSchemaUri,omitempty"`
	HelpURI                   string   `json:"helpUri,omitempty"`
	Credentials               struct{} `json:"credentials"`
	NonInstallable            bool     `json:"nonInstallable"`
	MaxInstances              int      `json:"maxInstances,omitempty"`
	UserPermissions           []string `json:"userPermissions"`
	VendorOAuthClientIDs      []string `json:"vendorOAuthClientIds"`
	SelfURI                   string   `json:"selfUri"`
}

func typeWire(t *IntegrationType) wireIntegrationType {
	base := "/api/v2/integrations/types/" + t.ID
	return wireIntegrationType{
		ID: t.ID, Name: t.Name, Description: t.Description, Provider: t.Provider, Category: t.Category,
		Images: []any{}, ConfigPropertiesSchemaURI: base + "/configschemas/properties",
		ConfigAdvancedSchemaURI: base + "/configschemas/advanced", MaxInstances: t.MaxInstances,
		UserPermissions: []string{}, VendorOAuthClientIDs: []string{}, SelfURI: base,
	}
}

func nonNilMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// integrationWire renders an integration; the caller holds s.mu.
func (s *Server) integrationWire(in *Integration) wireIntegration {
	t, ok := s.data.intTypes.get(in.TypeID)
	if !ok {
		t = &IntegrationType{ID: in.TypeID}
	}
	wi := wireIntegration{
		ID:              in.ID,
		Name:            in.Name,
		IntegrationType: typeWire(t),
		Notes:           in.Notes,
		IntendedState:   in.IntendedState,
		Attributes:      map[string]string{},
		SelfURI:         "/api/v2/integrations/" + in.ID,
	}
	wi.Config.Current = s.configWire(in)
	wi.ReportedState = wireReportedState{Code: "INACTIVE", Effective: "Inactive", LastUpdated: isoTime(in.Created)}
	if in.IntendedState == "ENABLED" {
		wi.ReportedState.Code, wi.ReportedState.Effective = "ACTIVE", "Active"
	}
	return wi
}

func (s *Server) configWire(in *Integration) wireIntegrationConfig {
	return wireIntegrationConfig{
		ID:          in.ID,
		Name:        in.Config.Name,
		Version:     in.Config.Version,
		Properties:  nonNilMap(in.Config.Properties),
		Advanced:    nonNilMap(in.Config.Advanced),
		Notes:       in.Config.Notes,
		Credentials: nonNilMap(in.Config.Credentials),
		SelfURI:     "/api/v2/integrations/" + in.ID + "/config/current",
	}
}

// GET /api/v2/integrations with integrationType, ids and reportedState filters.
func (s *Server) handleListIntegrations(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	typeID, ids, reported := q.Get("integrationType"), multiParam(q, "ids"), q.Get("reportedState")
	s.listIntegrations(w, r, func(in *Integration, wi *wireIntegration) bool {
		return (typeID == "" || in.TypeID == typeID) &&
			(len(ids) == 0 || slices.Contains(ids, in.ID)) &&
			(reported == "" || wi.ReportedState.Code == reported)
	})
}

// GET /api/v2/integrations/clientapps: client-app and premium-app integrations.
func (s *Server) handleListClientApps(w http.ResponseWriter, r *http.Request) {
	s.listIntegrations(w, r, func(in *Integration, _ *wireIntegration) bool {
		t, ok := s.data.intTypes.get(in.TypeID)
		return ok && (t.Category == "Client Apps" || t.Category == "Premium Apps")
	})
}

func (s *Server) listIntegrations(w http.ResponseWriter, r *http.Request, keep func(*Integration, *wireIntegration) bool) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var all []wireIntegration
	for _, in := range s.data.integrations.list() {
		wi := s.integrationWire(in)
		if keep(in, &wi) {
			all = append(all, wi)
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

// POST /api/v2/integrations {name, integrationType:{id}}.
func (s *Server) handleCreateIntegration(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name            string `json:"name"`
		Notes           string `json:"notes"`
		IntendedState   string `json:"intendedState"`
		IntegrationType struct {
			ID string `json:"id"`
		} `json:"integrationType"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.IntegrationType.ID == "" {
		badRequest(w, "integrationType.id is required, e.g. {\"integrationType\":{\"id\":\"embedded-client-app\"}}")
		return
	}
	state, ok := intendedState(req.IntendedState, "DISABLED")
	if !ok {
		badRequest(w, "intendedState must be ENABLED, DISABLED, DELETED or RESTORED; got "+req.IntendedState)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.data.intTypes.get(req.IntegrationType.ID)
	if !ok {
		writeError(w, http.StatusBadRequest, "invalid.value", "integrationType.id "+req.IntegrationType.ID+" is not available to this organization")
		return
	}
	if t.MaxInstances > 0 {
		n := 0
		for _, in := range s.data.integrations.list() {
			if in.TypeID == t.ID {
				n++
			}
		}
		if n >= t.MaxInstances {
			badRequest(w, "integration type "+t.ID+" allows at most "+itoa(t.MaxInstances)+" instance(s)")
			return
		}
	}
	name := req.Name
	if name == "" {
		name = t.Name
	}
	in := &Integration{
		ID: newUUID(), Name: name, TypeID: t.ID, Notes: req.Notes, IntendedState: state, Created: s.now(),
		Config: IntegrationConfig{Name: name, Version: 1},
	}
	s.data.integrations.put(in.ID, in)
	writeJSON(w, http.StatusOK, s.integrationWire(in))
}

func intendedState(v, def string) (string, bool) {
	switch up := strings.ToUpper(v); up {
	case "":
		return def, true
	case "ENABLED", "DISABLED", "DELETED":
		return up, true
	case "RESTORED":
		return "DISABLED", true
	}
	return "", false
}

func (s *Server) integrationFor(w http.ResponseWriter, r *http.Request) (*Integration, bool) {
	id := r.PathValue("integrationId")
	in, ok := s.data.integrations.get(id)
	if !ok {
		notFound(w, "integration", id)
	}
	return in, ok
}

func (s *Server) handleGetIntegration(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, ok := s.integrationFor(w, r); ok {
		writeJSON(w, http.StatusOK, s.integrationWire(in))
	}
}

// PATCH /api/v2/integrations/{id}, typically {"intendedState":"ENABLED"}.
func (s *Server) handlePatchIntegration(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name          *string `json:"name"`
		Notes         *string `json:"notes"`
		IntendedState string  `json:"intendedState"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.integrationFor(w, r)
	if !ok {
		return
	}
	state, ok := intendedState(req.IntendedState, in.IntendedState)
	if !ok {
		badRequest(w, "intendedState must be ENABLED, DISABLED, DELETED or RESTORED; got "+req.IntendedState)
		return
	}
	in.IntendedState = state
	if req.Name != nil && *req.Name != "" {
		in.Name = *req.Name
	}
	if req.Notes != nil {
		in.Notes = *req.Notes
	}
	writeJSON(w, http.StatusOK, s.integrationWire(in))
}

// DELETE /api/v2/integrations/{id} returns the deleted integration.
func (s *Server) handleDeleteIntegration(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.integrationFor(w, r)
	if !ok {
		return
	}
	s.data.integrations.del(in.ID)
	s.deleteActionsOf(in.ID)
	writeJSON(w, http.StatusOK, s.integrationWire(in))
}

func (s *Server) handleGetIntegrationConfig(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in, ok := s.integrationFor(w, r); ok {
		writeJSON(w, http.StatusOK, s.configWire(in))
	}
}

// PUT .../config/current: the body must carry the current version; a stale
// version is a 409, a match stores the config as version+1.
func (s *Server) handlePutIntegrationConfig(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name        string         `json:"name"`
		Version     int            `json:"version"`
		Notes       string         `json:"notes"`
		Properties  map[string]any `json:"properties"`
		Advanced    map[string]any `json:"advanced"`
		Credentials map[string]any `json:"credentials"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Version == 0 {
		badRequest(w, "version is required: send the current config version (1 for a new integration)")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.integrationFor(w, r)
	if !ok {
		return
	}
	if req.Version != in.Config.Version {
		conflict(w, "version "+itoa(req.Version)+" does not match the current config version "+itoa(in.Config.Version)+"; GET config/current and retry")
		return
	}
	name := req.Name
	if name == "" {
		name = in.Config.Name
	}
	in.Config = IntegrationConfig{
		Name: name, Version: in.Config.Version + 1, Notes: req.Notes,
		Properties: req.Properties, Advanced: req.Advanced, Credentials: req.Credentials,
	}
	in.Name = name
	writeJSON(w, http.StatusOK, s.configWire(in))
}

// GET /api/v2/integrations/types.
func (s *Server) handleListIntegrationTypes(w http.ResponseWriter, r *http.Request) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var all []wireIntegrationType
	for _, t := range s.data.intTypes.list() {
		all = append(all, typeWire(t))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

func (s *Server) handleGetIntegrationType(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("typeId")
	s.mu.Lock()
	defer s.mu.Unlock()
	t, ok := s.data.intTypes.get(id)
	if !ok {
		notFound(w, "integration type", id)
		return
	}
	writeJSON(w, http.StatusOK, typeWire(t))
}
