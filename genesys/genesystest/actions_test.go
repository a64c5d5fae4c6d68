package genesystest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// installAction installs an enabled custom-rest-actions integration with a
// Basic credential and one published action calling target.
func installAction(t *testing.T, s *Server, tok, target string) (integrationID, actionID string) {
	t.Helper()
	in := api(t, s, "POST", "/api/v2/integrations", tok, map[string]any{"name": "SJ actions", "integrationType": map[string]string{"id": CustomRestActions}}).json(t)
	integrationID = in["id"].(string)
	cred := api(t, s, "POST", "/api/v2/integrations/credentials", tok, map[string]any{"name": "SJ", "type": map[string]string{"name": "basicAuth"},
		"credentialFields": map[string]string{"userName": "genesys", "password": "s3cret"}}).json(t)
	if _, leaked := cred["credentialFields"]; leaked {
		t.Fatalf("credential answer shows its fields: %v", cred)
	}
	wantStatus(t, api(t, s, "PUT", "/api/v2/integrations/"+integrationID+"/config/current", tok, map[string]any{
		"name": "SJ actions", "version": 1, "credentials": map[string]any{"basicAuth": map[string]string{"id": cred["id"].(string)}}}), 200)
	wantStatus(t, api(t, s, "PATCH", "/api/v2/integrations/"+integrationID, tok, map[string]string{"intendedState": "ENABLED"}), 200)
	d := api(t, s, "POST", "/api/v2/integrations/actions/drafts", tok, map[string]any{"name": "Find party", "integrationId": integrationID}).json(t)
	actionID = d["id"].(string)
	wantStatus(t, api(t, s, "PATCH", "/api/v2/integrations/actions/"+actionID+"/draft", tok, map[string]any{
		"version": 1,
		"config": map[string]any{
			"request": map[string]any{"requestUrlTemplate": target + "/lookup?phone=$esc.url(${input.phone})", "requestType": "GET"},
			"response": map[string]any{"translationMap": map[string]string{"name": "$.party.name", "open": "$.cases[0]"},
				"translationMapDefaults": map[string]string{"open": `""`},
				"successTemplate":        `{"name": ${name}, "openCase": ${open}}`},
		},
		"contract": map[string]any{
			"input":  map[string]any{"inputSchema": map[string]any{"type": "object", "required": []string{"phone"}, "properties": map[string]any{"phone": map[string]string{"type": "string"}}}},
			"output": map[string]any{"successSchema": map[string]any{"type": "object"}},
		}}), 200)
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/execute", tok, map[string]string{"phone": "x"}), 404, "not.found")
	wantStatus(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/draft/publish", tok, map[string]int{"version": 2}), 200)
	return integrationID, actionID
}

func TestActionExecuteCallsTheServiceWithTheCredential(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	type seen struct{ user, pass, org, phone string }
	got := make(chan seen, 4)
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, _ := r.BasicAuth()
		got <- seen{u, p, r.Header.Get("ININ-Organization-Id"), r.URL.Query().Get("phone")}
		if r.URL.Query().Get("phone") == "+14155550101" {
			_ = json.NewEncoder(w).Encode(map[string]any{"party": map[string]string{"name": "Alice"}, "cases": []string{"C-7"}})
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"party": map[string]string{"name": ""}, "cases": []string{}})
	}))
	t.Cleanup(svc.Close)
	integrationID, actionID := installAction(t, s, tok, svc.URL)

	out := api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/execute", tok, map[string]string{"phone": "+14155550101"}).json(t)
	if out["name"] != "Alice" || out["openCase"] != "C-7" {
		t.Fatalf("execute = %v, want the translated answer", out)
	}
	if g := <-got; g != (seen{"genesys", "s3cret", s.OrgID(), "+14155550101"}) {
		t.Fatalf("service saw %+v", g)
	}
	// A failing path takes its default.
	out = api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/execute", tok, map[string]string{"phone": "+1 999"}).json(t)
	if out["openCase"] != "" {
		t.Fatalf("execute = %v, want the default for openCase", out)
	}
	if g := <-got; g.phone != "+1 999" {
		t.Fatalf("the URL did not carry the escaped phone: %+v", g)
	}
	// Contract: a missing required input never reaches the service.
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/execute", tok, map[string]string{}), 400, "bad.request")
	// test reports steps.
	res := api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/test", tok, map[string]string{"phone": "+14155550101"}).json(t)
	if res["success"] != true || len(res["operations"].([]any)) != 3 {
		t.Fatalf("test = %v", res)
	}
	<-got

	// Deleting the integration removes its actions.
	wantStatus(t, api(t, s, "DELETE", "/api/v2/integrations/"+integrationID, tok, nil), 200)
	if a := s.Actions(); len(a) != 0 {
		t.Fatalf("actions after uninstall: %v", a)
	}
}

func TestActionExecuteReportsTheServiceStatus(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	svc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}))
	t.Cleanup(svc.Close)
	_, actionID := installAction(t, s, tok, svc.URL)
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/execute", tok, map[string]string{"phone": "1"}), 401, "bad.credentials")
	res := api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/test", tok, map[string]string{"phone": "1"}).json(t)
	if res["success"] != false || res["error"] == nil {
		t.Fatalf("test = %v, want a failed result", res)
	}
}

// A published action gets a new draft from its published body (its id
// stays, so flows keep calling it); a second draft is refused.
func TestDraftFromPublishedAction(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	_, actionID := installAction(t, s, tok, "http://127.0.0.1:1")
	d := api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/draft", tok, nil).json(t)
	if d["id"] != actionID || d["version"] != 2.0 || d["config"].(map[string]any)["request"] == nil {
		t.Fatalf("draft = %v; want the published body (version 2) under the same id", d)
	}
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/draft", tok, nil), 409, "general.conflict")
	wantStatus(t, api(t, s, "POST", "/api/v2/integrations/actions/"+actionID+"/draft/publish", tok, map[string]int{"version": 2}), 200)
	if a := s.Actions(); len(a) != 1 || a[0].Draft != nil || a[0].Published == nil {
		t.Fatalf("after publishing: %+v", a)
	}
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations/actions/nope/draft", tok, nil), 404, "not.found")
}
