package genesystest

import (
	"net/http"
	"testing"
)

func TestIntegrationTypesIncludeThePremiumApp(t *testing.T) {
	s := newFake(t, WithPremiumAppType("premium-app-example"))
	tok := seededClient(t, s)
	ids := map[string]bool{}
	path := "/api/v2/integrations/types?pageSize=2&pageNumber=1"
	for path != "" {
		m := api(t, s, "GET", path, tok, nil).json(t)
		for _, e := range m["entities"].([]any) {
			ids[e.(map[string]any)["id"].(string)] = true
		}
		path, _ = m["nextUri"].(string)
	}
	for _, want := range []string{"embedded-client-app", "embedded-client-app-interaction-widget", "premium-app-example"} {
		if !ids[want] {
			t.Fatalf("types %v lack %s", ids, want)
		}
	}
	s.RemoveIntegrationType("premium-app-example")
	wantAPIError(t, api(t, s, "GET", "/api/v2/integrations/types/premium-app-example", tok, nil), 404, "not.found")
}

func TestIntegrationInstallAndConfigVersion(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	r := api(t, s, "POST", "/api/v2/integrations", tok, map[string]any{"name": "DCM widget", "integrationType": map[string]string{"id": "embedded-client-app-interaction-widget"}})
	wantStatus(t, r, http.StatusOK)
	in := r.json(t)
	id := in["id"].(string)
	if in["intendedState"] != "DISABLED" || in["integrationType"].(map[string]any)["id"] != "embedded-client-app-interaction-widget" {
		t.Fatalf("created %s", r.body)
	}
	cfgPath := "/api/v2/integrations/" + id + "/config/current"
	cfg := api(t, s, "GET", cfgPath, tok, nil).json(t)
	if cfg["version"] != float64(1) || cfg["name"] != "DCM widget" {
		t.Fatalf("config %v", cfg)
	}
	put := map[string]any{"name": "DCM widget", "version": 1, "notes": "n", "credentials": map[string]any{},
		"properties": map[string]any{"url": "https://dcm.example/index.html?conversationId={{gcConversationId}}", "communicationTypeFilter": "call", "groups": []string{"g1"}},
		"advanced":   map[string]any{"lifecycle": map[string]any{"ephemeral": true}}}
	r = api(t, s, "PUT", cfgPath, tok, put)
	wantStatus(t, r, http.StatusOK)
	if r.json(t)["version"] != float64(2) {
		t.Fatalf("version after PUT: %s", r.body)
	}
	m := wantAPIError(t, api(t, s, "PUT", cfgPath, tok, put), http.StatusConflict, conflictCode)
	if m["message"] == "" {
		t.Fatal("conflict without message")
	}
	delete(put, "version")
	wantAPIError(t, api(t, s, "PUT", cfgPath, tok, put), 400, "bad.request")

	r = api(t, s, "PATCH", "/api/v2/integrations/"+id, tok, map[string]string{"intendedState": "ENABLED"})
	if rs := r.json(t)["reportedState"].(map[string]any); rs["code"] != "ACTIVE" {
		t.Fatalf("reportedState after enable %v", rs)
	}
	apps := api(t, s, "GET", "/api/v2/integrations/clientapps?pageSize=1000", tok, nil).json(t)
	if apps["total"] != float64(1) {
		t.Fatalf("clientapps %v", apps)
	}
	got := s.Integrations()
	if len(got) != 1 || got[0].IntendedState != "ENABLED" || got[0].Config.Version != 2 ||
		got[0].Config.Properties["communicationTypeFilter"] != "call" {
		t.Fatalf("Integrations() = %+v", got)
	}
	wantStatus(t, api(t, s, "DELETE", "/api/v2/integrations/"+id, tok, nil), http.StatusOK)
	wantAPIError(t, api(t, s, "GET", "/api/v2/integrations/"+id, tok, nil), 404, "not.found")
}

func TestIntegrationCreateValidation(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations", tok, map[string]any{"name": "x"}), 400, "bad.request")
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations", tok, map[string]any{"integrationType": map[string]string{"id": "nope"}}), 400, "invalid.value")
	premium := map[string]any{"integrationType": map[string]string{"id": "premium-app-servicejourney"}}
	wantStatus(t, api(t, s, "POST", "/api/v2/integrations", tok, premium), http.StatusOK)
	wantAPIError(t, api(t, s, "POST", "/api/v2/integrations", tok, premium), 400, "bad.request")
	m := api(t, s, "GET", "/api/v2/integrations?integrationType=premium-app-servicejourney", tok, nil).json(t)
	if m["total"] != float64(1) {
		t.Fatalf("filtered list %v", m)
	}
	req := mustReq(t, "POST", s.URL()+"/api/v2/integrations")
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "text/plain")
	wantAPIError(t, do(t, req), http.StatusUnsupportedMediaType, "unsupported.media.type")
}
