package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
)

// Integration credentials and data actions, on IntegrationsService because
// they live under /api/v2/integrations (platformclientv2 integrationsapi.go:
// PostIntegrationsCredentials, PostIntegrationsActionsDrafts,
// PatchIntegrationsActionDraft, PostIntegrationsActionDraftPublish,
// PostIntegrationsActionTest, PostIntegrationsActionExecute, ...).

// ActionsIntegrationType is the integration type of web-services data actions.
const ActionsIntegrationType = "custom-rest-actions"

// Credential is what is sent to store a credential.
// Model: platformclientv2.Credential. Type.Name is basicAuth, userDefined or
// userDefinedOAuth; basicAuth fields are userName and password.
type Credential struct {
	ID               string            `json:"id,omitempty"`
	Name             string            `json:"name,omitempty"`
	Type             NamedEntity       `json:"type"`
	CredentialFields map[string]string `json:"credentialFields,omitempty"`
}

// CredentialSummary is a stored credential without its fields.
// Model: platformclientv2.Credentialinfo.
type CredentialSummary struct {
	ID      string      `json:"id"`
	Name    string      `json:"name,omitempty"`
	Type    NamedEntity `json:"type"`
	SelfURI string      `json:"selfUri,omitempty"`
}

// Action is a data action, published or draft. Model: platformclientv2.Action.
type Action struct {
	ID            string          `json:"id,omitempty"`
	Name          string          `json:"name,omitempty"`
	IntegrationID string          `json:"integrationId,omitempty"`
	Category      string          `json:"category,omitempty"`
	Version       int             `json:"version,omitempty"`
	Secure        bool            `json:"secure,omitempty"`
	Config        *ActionConfig   `json:"config,omitempty"`
	Contract      *ActionContract `json:"contract,omitempty"`
	SelfURI       string          `json:"selfUri,omitempty"`
}

// ActionConfig is how an action calls its service. Model:
// platformclientv2.Actionconfig; TimeoutSeconds is 1-60 (default 60).
type ActionConfig struct {
	TimeoutSeconds int                   `json:"timeoutSeconds,omitempty"`
	Request        *ActionRequestConfig  `json:"request,omitempty"`
	Response       *ActionResponseConfig `json:"response,omitempty"`
}

// ActionRequestConfig is platformclientv2.Requestconfig: Velocity templates.
type ActionRequestConfig struct {
	RequestURLTemplate string            `json:"requestUrlTemplate,omitempty"`
	RequestTemplate    string            `json:"requestTemplate,omitempty"`
	RequestType        string            `json:"requestType,omitempty"`
	Headers            map[string]string `json:"headers,omitempty"`
}

// ActionResponseConfig is platformclientv2.Responseconfig: JSONPath
// translation map, its defaults, and the success template.
type ActionResponseConfig struct {
	TranslationMap         map[string]string `json:"translationMap,omitempty"`
	TranslationMapDefaults map[string]string `json:"translationMapDefaults,omitempty"`
	SuccessTemplate        string            `json:"successTemplate,omitempty"`
}

// ActionContract holds the JSON schemas (draft-04) of input and output.
// Models: platformclientv2.Actioncontract, Actioncontractinput,
// Postinputcontract, Postoutputcontract, Jsonschemadocument.
type ActionContract struct {
	Input struct {
		InputSchema json.RawMessage `json:"inputSchema,omitempty"`
	} `json:"input"`
	Output struct {
		SuccessSchema json.RawMessage `json:"successSchema,omitempty"`
	} `json:"output"`
}

// ActionTestResult is the answer of the test endpoints.
// Model: platformclientv2.Testexecutionresult.
type ActionTestResult struct {
	Operations []struct {
		Step    int    `json:"step"`
		Name    string `json:"name"`
		Success bool   `json:"success"`
	} `json:"operations"`
	Error *struct {
		Status  int    `json:"status"`
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
	FinalResult json.RawMessage `json:"finalResult,omitempty"`
	Success     bool            `json:"success"`
}

const (
	credentialsPath = integrationsPath + "/credentials"
	actionsPath     = integrationsPath + "/actions"
)

// CreateCredential stores a credential. Not retried after a 5xx.
func (s *IntegrationsService) CreateCredential(ctx context.Context, c *Credential) (*CredentialSummary, error) {
	if c == nil || c.Type.Name == "" {
		return nil, fmt.Errorf("genesys: Integrations.CreateCredential: Credential.Type.Name is empty (e.g. basicAuth)")
	}
	var out CredentialSummary
	r := &request{method: http.MethodPost, area: "integrations", route: credentialsPath, path: credentialsPath, body: c}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateCredential replaces a stored credential's name, type and fields.
func (s *IntegrationsService) UpdateCredential(ctx context.Context, id string, c *Credential) (*CredentialSummary, error) {
	pid, err := pathID("credential id", id)
	if err != nil {
		return nil, err
	}
	var out CredentialSummary
	r := &request{method: http.MethodPut, area: "integrations", route: credentialsPath + "/{id}",
		path: credentialsPath + "/" + pid, body: c, idempotent: true}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ListAllCredentials returns every stored credential (without fields).
func (s *IntegrationsService) ListAllCredentials(ctx context.Context) ([]CredentialSummary, error) {
	q := url.Values{}
	ListOptions{PageSize: 100}.set(q)
	return listAll[CredentialSummary](ctx, s.client, get("integrations", credentialsPath, credentialsPath, q))
}

// DeleteCredential removes a stored credential.
func (s *IntegrationsService) DeleteCredential(ctx context.Context, id string) error {
	pid, err := pathID("credential id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "integrations", route: credentialsPath + "/{id}",
		path: credentialsPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}

// ListAllActions returns every published action (drafts: true for the
// drafts), with their config.
func (s *IntegrationsService) ListAllActions(ctx context.Context, drafts bool) ([]Action, error) {
	p := actionsPath
	if drafts {
		p += "/drafts"
	}
	q := url.Values{"includeConfig": {"true"}}
	ListOptions{PageSize: 100}.set(q)
	return listAll[Action](ctx, s.client, get("integrations", p, p, q))
}

// CreateActionDraft creates an action as a draft (Postactioninput: name,
// category, integrationId, config, contract, secure). Not retried after a 5xx.
func (s *IntegrationsService) CreateActionDraft(ctx context.Context, a *Action) (*Action, error) {
	if a == nil || a.Name == "" || a.IntegrationID == "" {
		return nil, fmt.Errorf("genesys: Integrations.CreateActionDraft: Action.Name and Action.IntegrationID are required")
	}
	in := *a
	in.ID, in.Version, in.SelfURI = "", 0, ""
	var out Action
	r := &request{method: http.MethodPost, area: "integrations", route: actionsPath + "/drafts", path: actionsPath + "/drafts", body: &in}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateActionDraft changes a draft (Updatedraftinput); a.Version must be
// the draft's current version.
func (s *IntegrationsService) UpdateActionDraft(ctx context.Context, id string, a *Action) (*Action, error) {
	pid, err := pathID("action id", id)
	if err != nil {
		return nil, err
	}
	body := struct {
		Name     string          `json:"name,omitempty"`
		Category string          `json:"category,omitempty"`
		Config   *ActionConfig   `json:"config,omitempty"`
		Contract *ActionContract `json:"contract,omitempty"`
		Secure   bool            `json:"secure"`
		Version  int             `json:"version"`
	}{a.Name, a.Category, a.Config, a.Contract, a.Secure, a.Version}
	var out Action
	r := &request{method: http.MethodPatch, area: "integrations", route: actionsPath + "/{id}/draft",
		path: actionsPath + "/" + pid + "/draft", body: &body}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// PublishActionDraft publishes the draft of version (Publishdraftinput).
func (s *IntegrationsService) PublishActionDraft(ctx context.Context, id string, version int) (*Action, error) {
	pid, err := pathID("action id", id)
	if err != nil {
		return nil, err
	}
	var out Action
	r := &request{method: http.MethodPost, area: "integrations", route: actionsPath + "/{id}/draft/publish",
		path: actionsPath + "/" + pid + "/draft/publish", body: map[string]int{"version": version}}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteAction removes an action.
func (s *IntegrationsService) DeleteAction(ctx context.Context, id string) error {
	pid, err := pathID("action id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "integrations", route: actionsPath + "/{id}",
		path: actionsPath + "/" + pid, idempotent: true}
	return s.client.do(ctx, r, nil)
}

// TestAction runs a published action with input and reports each step;
// a failing action is a result with Success false, not an error.
func (s *IntegrationsService) TestAction(ctx context.Context, id string, input any) (*ActionTestResult, error) {
	pid, err := pathID("action id", id)
	if err != nil {
		return nil, err
	}
	var out ActionTestResult
	r := &request{method: http.MethodPost, area: "integrations", route: actionsPath + "/{id}/test",
		path: actionsPath + "/" + pid + "/test", body: input}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// ExecuteAction runs a published action with input and decodes its
// translated output into out.
func (s *IntegrationsService) ExecuteAction(ctx context.Context, id string, input, out any) error {
	pid, err := pathID("action id", id)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodPost, area: "integrations", route: actionsPath + "/{id}/execute",
		path: actionsPath + "/" + pid + "/execute", body: input}
	return s.client.do(ctx, r, out)
}

// GetAction reads a published action (draft: its draft) with its config and
// contract (expand=contract, includeConfig=true).
func (s *IntegrationsService) GetAction(ctx context.Context, id string, draft bool) (*Action, error) {
	pid, err := pathID("action id", id)
	if err != nil {
		return nil, err
	}
	route, p := actionsPath+"/{id}", actionsPath+"/"+pid
	if draft {
		route, p = route+"/draft", p+"/draft"
	}
	var out Action
	if err := s.client.do(ctx, get("integrations", route, p, url.Values{"expand": {"contract"}, "includeConfig": {"true"}}), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateDraftFromAction opens a draft of a published action, to change it
// without changing its id (flows call actions by id). Model:
// platformclientv2 IntegrationsApi.PostIntegrationsActionDraft
// (POST /api/v2/integrations/actions/{actionId}/draft -> Action).
func (s *IntegrationsService) CreateDraftFromAction(ctx context.Context, id string) (*Action, error) {
	pid, err := pathID("action id", id)
	if err != nil {
		return nil, err
	}
	var out Action
	r := &request{method: http.MethodPost, area: "integrations", route: actionsPath + "/{id}/draft", path: actionsPath + "/" + pid + "/draft"}
	if err := s.client.do(ctx, r, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
