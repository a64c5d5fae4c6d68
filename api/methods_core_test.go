package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

type staticVerifier struct{}

func (staticVerifier) Verify(_ context.Context, bearer string) (*api.Caller, error) {
	if bearer != "agent-token" {
		return nil, api.Unauthorized("token not valid")
	}
	return &api.Caller{ID: "g-1", Name: "Ann Agent", OrgID: "org-1"}, nil
}

type stack struct {
	fake   *appbasetest.Server
	client *appbase.Client
	h      http.Handler
}

func newStack(t testing.TB, timeout time.Duration) *stack {
	t.Helper()
	fake := appbasetest.NewServerT(t)
	fake.AddParty(appbasetest.Party{ID: "p1", Name: "Pat Party", Phone: "+14155550100"})
	opts := fake.ClientOptions()
	opts.Timeout = timeout
	opts.MaxRetries = -1
	c, err := appbase.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	allow := []string{fake.RuleName(appbase.OpFindParties)}
	srv, err := api.New(api.Options{Verifier: staticVerifier{}, Methods: api.CoreMethods(c, nil, allow)})
	if err != nil {
		t.Fatal(err)
	}
	return &stack{fake: fake, client: c, h: srv.Handler()}
}

func (s *stack) call(t testing.TB, method, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer agent-token")
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: body not JSON: %s", method, w.Body.String())
	}
	return w.Code, out
}

func TestExecuteRuleRunsAllowlistedRule(t *testing.T) {
	s := newStack(t, 5*time.Second)
	rule := s.fake.RuleName(appbase.OpFindParties)
	code, out := s.call(t, "ExecuteRule", `{"rule":"`+rule+`","parameters":{"PHONE":"+14155550100"}}`)
	if code != 200 {
		t.Fatalf("ExecuteRule = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	items := d["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["NAME"] != "Pat Party" {
		t.Fatalf("items = %v", items)
	}
	b, _ := json.Marshal(out)
	if strings.Contains(string(b), s.fake.Password()) {
		t.Fatal("response holds the system password")
	}
}

func TestExecuteRuleOffAllowlistIs403WithoutUpstreamCall(t *testing.T) {
	s := newStack(t, 5*time.Second)
	code, out := s.call(t, "ExecuteRule", `{"rule":"`+s.fake.RuleName(appbase.OpGetUsers)+`","parameters":{}}`)
	if code != 403 || !strings.Contains(out["Message"].(string), "ruleAllowlist") {
		t.Fatalf("off-allowlist rule = %d %v", code, out)
	}
	if n := s.fake.Requests("*"); n != 0 {
		t.Fatalf("fake received %d rule calls, want 0", n)
	}
	if n := s.fake.Logins(); n != 0 {
		t.Fatalf("fake received %d logins, want 0", n)
	}
}

func TestExecuteRuleConcurrentColdCacheLogsInOnce(t *testing.T) {
	s := newStack(t, 10*time.Second)
	rule := s.fake.RuleName(appbase.OpFindParties)
	var wg sync.WaitGroup
	codes := make([]int, 200)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _ = s.call(t, "ExecuteRule", `{"rule":"`+rule+`","parameters":{"PHONE":"+14155550100"}}`)
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("call %d = %d", i, c)
		}
	}
	if n := s.fake.Logins(); n != 1 {
		t.Fatalf("200 concurrent calls caused %d logins, want 1", n)
	}
}

func TestExecuteRuleUpstreamErrorsMapToGatewayStatuses(t *testing.T) {
	s := newStack(t, 300*time.Millisecond)
	rule := s.fake.RuleName(appbase.OpFindParties)
	body := `{"rule":"` + rule + `","parameters":{"PHONE":"+1"}}`
	// Warm the token so faults hit the rule, not the login.
	if code, out := s.call(t, "ExecuteRule", body); code != 200 {
		t.Fatalf("warm-up = %d %v", code, out)
	}
	cases := []struct {
		name  string
		fault appbasetest.Fault
		code  int
	}{
		// Not once: the client logs in again after a first top-level 500 (it may be an expired token).
		{"ErrorCode 500 with HTTP 200", appbasetest.Fault{TopLevelError500: true}, 502},
		{"HTTP 500", appbasetest.Fault{HTTP500: true, Times: 1}, 502},
		{"dropped connection", appbasetest.Fault{Drop: true, Times: 1}, 503},
		{"too slow", appbasetest.Fault{Latency: 2 * time.Second, Times: 1}, 504},
	}
	for _, tc := range cases {
		s.fake.ClearFaults()
		s.fake.Fault(appbase.OpFindParties, tc.fault)
		code, out := s.call(t, "ExecuteRule", body)
		if code != tc.code {
			t.Errorf("%s: status %d, want %d (%v)", tc.name, code, tc.code, out)
		}
		if msg, _ := out["Message"].(string); msg == "" || strings.Contains(msg, s.fake.Password()) {
			t.Errorf("%s: message %q", tc.name, msg)
		}
	}
}

// BenchmarkExecuteRule compares a rule call through dcmconnect with the same
// call made directly by the client, both against the fake at zero latency.
func BenchmarkExecuteRule(b *testing.B) {
	s := newStack(b, 10*time.Second)
	rule := s.fake.RuleName(appbase.OpFindParties)
	ctx := context.Background()
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.client.Execute(ctx, rule, map[string]string{"PHONE": "+14155550100"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("through-server", func(b *testing.B) {
		body := `{"rule":"` + rule + `","parameters":{"PHONE":"+14155550100"}}`
		b.ReportAllocs()
		for b.Loop() {
			if code, _ := s.call(b, "ExecuteRule", body); code != 200 {
				b.Fatal(code)
			}
		}
	})
}
