package api_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"dcmconnect/api"
	"dcmconnect/genesys"
	"dcmconnect/setup"
)

// recordingSetup is a SetupService that records what each call got.
type recordingSetup struct {
	mu     sync.Mutex
	tokens []string
	users  []string
	parts  [][]string
	err    error
}

func (r *recordingSetup) Plan() setup.Overview {
	return setup.Overview{Parts: []string{"group", "role"}}
}
func (r *recordingSetup) Status(_ context.Context, token string) (*setup.Report, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, token)
	return &setup.Report{OK: true}, r.err
}
func (r *recordingSetup) Install(_ context.Context, token, userID string, parts []string) (*setup.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens, r.users, r.parts = append(r.tokens, token), append(r.users, userID), append(r.parts, parts)
	return &setup.Result{Recorded: true}, r.err
}
func (r *recordingSetup) Uninstall(_ context.Context, token string) (*setup.Result, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tokens = append(r.tokens, token)
	return &setup.Result{}, r.err
}

// permVerifier maps tokens to callers with given permissions.
type permVerifier map[string][]string

func (v permVerifier) Verify(_ context.Context, bearer string) (*api.Caller, error) {
	perms, ok := v[bearer]
	if !ok {
		return nil, api.Unauthorized("token not valid")
	}
	return &api.Caller{ID: "user-" + bearer, Name: "User " + bearer, OrgID: "org", Permissions: perms}, nil
}

func setupServer(t *testing.T, svc api.SetupService) func(token, method, body string) (int, map[string]any) {
	t.Helper()
	var viewOnly []string
	for _, p := range api.SetupPermissions {
		if p.For == "check" {
			viewOnly = append(viewOnly, p.Permission)
		}
	}
	srv, err := api.New(api.Options{
		Verifier: permVerifier{"admin": {"*:*:*"}, "agent": {"conversation:communication:view"}, "viewer": viewOnly,
			"division": {"integrations:integration:view:div-1", "integrations:*:edit"}},
		Methods: api.SetupMethods(svc),
	})
	if err != nil {
		t.Fatal(err)
	}
	return func(token, method, body string) (int, map[string]any) {
		req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		srv.Handler().ServeHTTP(w, req)
		var out map[string]any
		json.Unmarshal(w.Body.Bytes(), &out)
		return w.Code, out
	}
}

func TestWizardContextListsMissingPermissions(t *testing.T) {
	call := setupServer(t, &recordingSetup{})
	code, out := call("agent", "WizardContext", `{}`)
	if code != 200 {
		t.Fatalf("WizardContext = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	if d["canInstall"] != false || d["canCheck"] != false {
		t.Errorf("agent may install: %v", d)
	}
	missing := d["missing"].(map[string]any)
	install := missing["install"].([]any)
	if len(install) == 0 || !strings.Contains(strings.Join(toStrings(install), ","), "directory:group:add") {
		t.Errorf("missing install = %v", install)
	}
	code, out = call("admin", "WizardContext", `{}`)
	d = out["d"].(map[string]any)
	if code != 200 || d["canInstall"] != true || d["canUninstall"] != true || len(d["missing"].(map[string]any)["install"].([]any)) != 0 {
		t.Errorf("admin: %d %v", code, d)
	}
	code, out = call("division", "WizardContext", `{}`)
	if d := out["d"].(map[string]any); code != 200 || d["canCheck"] != true || d["canInstall"] != false {
		t.Errorf("division-scoped: %v", out)
	}
}

func toStrings(xs []any) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i], _ = x.(string)
	}
	return out
}

func TestSetupMethodsNeedAdminAndPassTheCallersToken(t *testing.T) {
	rec := &recordingSetup{}
	call := setupServer(t, rec)
	for _, m := range []string{"SetupStatus", "Install", "Uninstall"} {
		code, out := call("agent", m, `{}`)
		if code != 403 || !strings.Contains(out["Message"].(string), "integrations:integration:view") {
			t.Errorf("agent %s = %d %v", m, code, out)
		}
	}
	if code, _ := call("viewer", "SetupStatus", `{}`); code != 200 {
		t.Errorf("viewer SetupStatus = %d", code)
	}
	if code, out := call("viewer", "Install", `{}`); code != 403 || !strings.Contains(out["Message"].(string), "authorization:role:add") {
		t.Errorf("viewer Install = %d %v", code, out)
	}
	if code, out := call("admin", "Install", `{"parts":["group","role"]}`); code != 200 {
		t.Fatalf("admin Install = %d %v", code, out)
	}
	if code, out := call("admin", "Install", `{"parts":"group"}`); code != 400 || !strings.Contains(out["Message"].(string), "parts") {
		t.Errorf("bad parts = %d %v", code, out)
	}
	call("admin", "Uninstall", `{}`)
	rec.mu.Lock()
	defer rec.mu.Unlock()
	// viewer's status, admin's install and uninstall: each with its own token.
	if strings.Join(rec.tokens, ",") != "viewer,admin,admin" || rec.users[0] != "user-admin" || strings.Join(rec.parts[0], ",") != "group,role" {
		t.Errorf("tokens %v users %v parts %v", rec.tokens, rec.users, rec.parts)
	}
}

func TestSetupErrorsMapToStatuses(t *testing.T) {
	rec := &recordingSetup{err: &genesys.Error{Status: 403, Code: "missing.permissions", Message: "You are missing directory:group:add"}}
	call := setupServer(t, rec)
	code, out := call("admin", "Install", `{}`)
	if code != 403 || !strings.Contains(out["Message"].(string), "directory:group:add") {
		t.Errorf("forbidden = %d %v", code, out)
	}
	rec.err = &genesys.Error{Status: 401, Code: "bad.credentials"}
	if code, _ := call("admin", "Uninstall", `{}`); code != 401 {
		t.Errorf("unauthorized = %d", code)
	}
	rec.err = &genesys.Error{Status: 500, Code: "internal"}
	if code, _ := call("admin", "SetupStatus", `{}`); code != 502 {
		t.Errorf("upstream = %d", code)
	}
}
