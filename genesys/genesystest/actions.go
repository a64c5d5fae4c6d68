package genesystest

import (
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Data actions of web-services integrations (custom-rest-actions): drafts,
// publish, and test/execute that really call the action's requestUrlTemplate
// with the integration's Basic credential, as the data-actions service does.
// Models: platformclientv2.Action, Actionconfig, Requestconfig,
// Responseconfig, Actioncontract, Postactioninput, Updatedraftinput,
// Publishdraftinput, Testexecutionresult.

// CustomRestActions is the integration type of web-services data actions.
const CustomRestActions = "custom-rest-actions"

// Action is a data action as stored: Draft is the editable copy, Published
// the live one (nil until the first publish).
type Action struct {
	ID            string
	Name          string
	IntegrationID string
	Category      string
	Secure        bool
	Draft         *ActionBody
	Published     *ActionBody
}

// ActionBody is one version of an action's config and contract.
type ActionBody struct {
	Version  int
	Config   ActionConfig
	Contract ActionContract
}

// ActionConfig is platformclientv2.Actionconfig.
type ActionConfig struct {
	TimeoutSeconds int             `json:"timeoutSeconds,omitempty"`
	Request        *RequestConfig  `json:"request,omitempty"`
	Response       *ResponseConfig `json:"response,omitempty"`
}

// RequestConfig is platformclientv2.Requestconfig.
type RequestConfig struct {
	RequestURLTemplate string            `json:"requestUrlTemplate,omitempty"`
	RequestTemplate    string            `json:"requestTemplate,omitempty"`
	RequestType        string            `json:"requestType,omitempty"`
	Headers            map[string]string `json:"headers,omitempty"`
}

// ResponseConfig is platformclientv2.Responseconfig.
type ResponseConfig struct {
	TranslationMap         map[string]string `json:"translationMap,omitempty"`
	TranslationMapDefaults map[string]string `json:"translationMapDefaults,omitempty"`
	SuccessTemplate        string            `json:"successTemplate,omitempty"`
}

// ActionContract is platformclientv2.Actioncontract with the schemas kept as
// decoded JSON (JSON schema draft-04 documents).
type ActionContract struct {
	Input struct {
		InputSchema map[string]any `json:"inputSchema,omitempty"`
	} `json:"input"`
	Output struct {
		SuccessSchema map[string]any `json:"successSchema,omitempty"`
	} `json:"output"`
}

type wireAction struct {
	ID            string          `json:"id"`
	Name          string          `json:"name"`
	IntegrationID string          `json:"integrationId"`
	Category      string          `json:"category"`
	Version       int             `json:"version"`
	Secure        bool            `json:"secure"`
	Config        *ActionConfig   `json:"config,omitempty"`
	Contract      *ActionContract `json:"contract,omitempty"`
	SelfURI       string          `json:"selfUri"`
}

func actionWire(a *Action, b *ActionBody, draft bool) wireAction {
	self := "/api/v2/integrations/actions/" + a.ID
	if draft {
		self += "/draft"
	}
	cfg, con := b.Config, b.Contract
	return wireAction{ID: a.ID, Name: a.Name, IntegrationID: a.IntegrationID, Category: a.Category,
		Version: b.Version, Secure: a.Secure, Config: &cfg, Contract: &con, SelfURI: self}
}

// actionInput is Postactioninput and Updatedraftinput (all optional on PATCH).
type actionInput struct {
	Name          *string         `json:"name"`
	Category      *string         `json:"category"`
	IntegrationID string          `json:"integrationId"`
	Config        *ActionConfig   `json:"config"`
	Contract      *ActionContract `json:"contract"`
	Secure        *bool           `json:"secure"`
	Version       int             `json:"version"`
}

// Actions returns every action (drafts and published), for assertions.
func (s *Server) Actions() []Action {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Action
	for _, a := range s.data.actions.list() {
		out = append(out, copyAction(*a))
	}
	return out
}

func copyAction(a Action) Action {
	cp := func(b *ActionBody) *ActionBody {
		if b == nil {
			return nil
		}
		v := *b
		if r := v.Config.Request; r != nil {
			rc := *r
			rc.Headers = maps.Clone(r.Headers)
			v.Config.Request = &rc
		}
		if r := v.Config.Response; r != nil {
			rc := *r
			rc.TranslationMap, rc.TranslationMapDefaults = maps.Clone(r.TranslationMap), maps.Clone(r.TranslationMapDefaults)
			v.Config.Response = &rc
		}
		v.Contract.Input.InputSchema = deepCopyMap(v.Contract.Input.InputSchema)
		v.Contract.Output.SuccessSchema = deepCopyMap(v.Contract.Output.SuccessSchema)
		return &v
	}
	a.Draft, a.Published = cp(a.Draft), cp(a.Published)
	return a
}

// POST /api/v2/integrations/actions/drafts (Postactioninput).
func (s *Server) handleCreateActionDraft(w http.ResponseWriter, r *http.Request) {
	var req actionInput
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Name == nil || strings.TrimSpace(*req.Name) == "" {
		badRequest(w, "name is required")
		return
	}
	if req.IntegrationID == "" {
		badRequest(w, "integrationId is required: the id of a custom-rest-actions integration")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	in, ok := s.data.integrations.get(req.IntegrationID)
	if !ok || in.TypeID != CustomRestActions {
		badRequest(w, "integrationId "+req.IntegrationID+" is not an action integration")
		return
	}
	for _, a := range s.data.actions.list() {
		if a.IntegrationID == in.ID && strings.EqualFold(a.Name, *req.Name) {
			conflict(w, "an action named "+*req.Name+" already exists in this integration")
			return
		}
	}
	a := &Action{ID: "custom_-_" + newUUID(), Name: *req.Name, IntegrationID: in.ID, Category: in.Name,
		Draft: &ActionBody{Version: 1}}
	if req.Category != nil && *req.Category != "" {
		a.Category = *req.Category
	}
	applyActionInput(a, a.Draft, &req)
	s.data.actions.put(a.ID, a)
	writeJSON(w, http.StatusOK, actionWire(a, a.Draft, true))
}

func applyActionInput(a *Action, b *ActionBody, req *actionInput) {
	if req.Name != nil && *req.Name != "" {
		a.Name = *req.Name
	}
	if req.Secure != nil {
		a.Secure = *req.Secure
	}
	if req.Config != nil {
		b.Config = *req.Config
	}
	if req.Contract != nil {
		b.Contract = *req.Contract
	}
}

func (s *Server) actionFor(w http.ResponseWriter, r *http.Request) (*Action, bool) {
	id := r.PathValue("actionId")
	a, ok := s.data.actions.get(id)
	if !ok {
		notFound(w, "action", id)
	}
	return a, ok
}

// GET /api/v2/integrations/actions (published) and .../actions/drafts.
func (s *Server) handleListActions(draft bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		size, number, ok := s.pageParams(w, r)
		if !ok {
			return
		}
		withConfig := r.URL.Query().Get("includeConfig") == "true"
		s.mu.Lock()
		var all []wireAction
		for _, a := range s.data.actions.list() {
			b := a.Published
			if draft {
				b = a.Draft
			}
			if b == nil {
				continue
			}
			wa := actionWire(a, b, draft)
			if !withConfig {
				wa.Config = nil
			}
			all = append(all, wa)
		}
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, newListing(r, all, size, number))
	}
}

// GET /api/v2/integrations/actions/{id} and .../draft.
func (s *Server) handleGetAction(draft bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		a, ok := s.actionFor(w, r)
		if !ok {
			return
		}
		b := a.Published
		if draft {
			b = a.Draft
		}
		if b == nil {
			notFound(w, map[bool]string{true: "action draft", false: "published action"}[draft], a.ID)
			return
		}
		writeJSON(w, http.StatusOK, actionWire(a, b, draft))
	}
}

// PATCH /api/v2/integrations/actions/{id}/draft (Updatedraftinput): version
// must be the draft's; a stale one is a 409.
func (s *Server) handlePatchActionDraft(w http.ResponseWriter, r *http.Request) {
	var req actionInput
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.Version == 0 {
		badRequest(w, "version is required: send the draft's current version")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	if a.Draft == nil { // editing a published action opens a new draft
		d := *a.Published
		a.Draft = &d
	}
	if req.Version != a.Draft.Version {
		conflict(w, "version "+itoa(req.Version)+" does not match the draft version "+itoa(a.Draft.Version))
		return
	}
	applyActionInput(a, a.Draft, &req)
	a.Draft.Version++
	writeJSON(w, http.StatusOK, actionWire(a, a.Draft, true))
}

// POST /api/v2/integrations/actions/{id}/draft (PostIntegrationsActionDraft:
// "Create a new Draft from existing Action"): the published body becomes the
// draft. An action that has a draft already answers 409 (assumed: the
// platform documents no answer for that case), so callers edit that draft.
func (s *Server) handleDraftFromAction(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	switch {
	case a.Published == nil:
		notFound(w, "published action", a.ID)
		return
	case a.Draft != nil:
		conflict(w, "action "+a.ID+" already has a draft; edit it with PATCH .../draft")
		return
	}
	d := copyAction(*a).Published
	a.Draft = d
	writeJSON(w, http.StatusOK, actionWire(a, a.Draft, true))
}

// POST /api/v2/integrations/actions/{id}/draft/publish (Publishdraftinput).
// The draft becomes the published action; the draft is gone afterwards.
func (s *Server) handlePublishActionDraft(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Version int `json:"version"`
	}
	if !decodeJSON(w, r, &req) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.actionFor(w, r)
	if !ok {
		return
	}
	if a.Draft == nil {
		badRequest(w, "action "+a.ID+" has no draft to publish")
		return
	}
	if req.Version != a.Draft.Version {
		conflict(w, "version "+itoa(req.Version)+" does not match the draft version "+itoa(a.Draft.Version))
		return
	}
	if problem := publishable(a.Draft); problem != "" {
		badRequest(w, "draft is not valid: "+problem)
		return
	}
	a.Published, a.Draft = a.Draft, nil
	writeJSON(w, http.StatusOK, actionWire(a, a.Published, false))
}

// publishable is the draft validation Genesys runs before publishing.
func publishable(b *ActionBody) string {
	switch {
	case b.Config.Request == nil || b.Config.Request.RequestURLTemplate == "":
		return "config.request.requestUrlTemplate is required"
	case b.Contract.Input.InputSchema == nil:
		return "contract.input.inputSchema is required"
	case b.Contract.Output.SuccessSchema == nil:
		return "contract.output.successSchema is required"
	case b.Config.TimeoutSeconds < 0 || b.Config.TimeoutSeconds > 60:
		return "config.timeoutSeconds must be between 1 and 60"
	}
	return ""
}

// DELETE /api/v2/integrations/actions/{id}.
func (s *Server) handleDeleteAction(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.actionFor(w, r); ok {
		s.data.actions.del(a.ID)
		w.WriteHeader(http.StatusNoContent)
	}
}

// deleteActionsOf removes the actions of a deleted integration, as Genesys
// does; the caller holds s.mu.
func (s *Server) deleteActionsOf(integrationID string) {
	for _, a := range slices.Clone(s.data.actions.list()) {
		if a.IntegrationID == integrationID {
			s.data.actions.del(a.ID)
		}
	}
}

// actionTimeout is the action's own timeout (1-60 s, default 60 s per the
// data-actions configuration docs).
func actionTimeout(b *ActionBody) time.Duration {
	if b.Config.TimeoutSeconds > 0 {
		return time.Duration(b.Config.TimeoutSeconds) * time.Second
	}
	return 60 * time.Second
}
