package api_test

import (
	"context"
	"encoding/json"
	"fmt"
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
	switch bearer {
	case "agent-token":
		return &api.Caller{ID: "g-1", Name: "Ann Agent", OrgID: "org-1"}, nil
	case "stranger-token": // a Genesys user with no ServiceJourney account
		return &api.Caller{ID: "g-2", Name: "Stan Stranger", OrgID: "org-1"}, nil
	case "boss-token": // an unmapped supervisor
		return &api.Caller{ID: "g-3", Name: "Sue Supervisor", OrgID: "org-1", Permissions: []string{"directory:user:edit"}}, nil
	}
	return nil, api.Unauthorized("token not valid")
}

// mappedOnly maps g-1 only.
type mappedOnly struct{}

func (mappedOnly) SJUser(_ context.Context, id string) (any, bool) {
	if id == "g-1" {
		return map[string]string{"id": "101"}, true
	}
	return nil, false
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
	srv, err := api.New(api.Options{Verifier: staticVerifier{}, Methods: api.CoreMethods(c, mappedOnly{}, allow, api.Supervisors{Permissions: []string{"directory:user:edit"}})})
	if err != nil {
		t.Fatal(err)
	}
	return &stack{fake: fake, client: c, h: srv.Handler()}
}

func (s *stack) call(t testing.TB, method, body string) (int, map[string]any) {
	t.Helper()
	return s.callAs(t, "agent-token", method, body)
}

func (s *stack) callAs(t testing.TB, token, method, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
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

// ExecuteRule runs rules as the system user: a Genesys user without a
// ServiceJourney account gets nothing (no rule call); a supervisor may.
func TestExecuteRuleOnlyForMappedCallersOrSupervisors(t *testing.T) {
	s := newStack(t, 5*time.Second)
	body := `{"rule":"` + s.fake.RuleName(appbase.OpFindParties) + `","parameters":{"PHONE":"+14155550100"}}`
	code, out := s.callAs(t, "stranger-token", "ExecuteRule", body)
	if code != 403 || out["ExceptionType"] != api.TypeAgentNotMapped {
		t.Fatalf("unmapped caller = %d %v", code, out)
	}
	if n := s.fake.Requests("*"); n != 0 {
		t.Fatalf("an unmapped caller caused %d rule calls", n)
	}
	if code, out := s.callAs(t, "boss-token", "ExecuteRule", body); code != 200 {
		t.Fatalf("supervisor = %d %v", code, out)
	}
}

// Rule names match ASCII-only, case-insensitively, and go out in the
// allowlist's spelling; Unicode look-alikes that fold to the same letters
// ("ſ" for "S", Kelvin "K" for "K") are refused without a rule call.
func TestExecuteRuleNamesAreASCII(t *testing.T) {
	s := newStack(t, 5*time.Second)
	rule := s.fake.RuleName(appbase.OpFindParties)
	if code, out := s.call(t, "ExecuteRule", `{"rule":"`+strings.ToLower(rule)+`","parameters":{"PHONE":"+14155550100"}}`); code != 200 || out["d"].(map[string]any)["rule"] != rule {
		t.Fatalf("lower-case name = %d %v; want 200 run as %s", code, out, rule)
	}
	before := s.fake.Requests("*")
	for _, trick := range []string{strings.Replace(rule, "S", "ſ", 1), strings.Replace(rule, "FIND", "FIN\u212a", 1) + "", strings.Replace(strings.ToLower(rule), "i", "ı", 1)} {
		code, out := s.call(t, "ExecuteRule", `{"rule":"`+trick+`","parameters":{"PHONE":"+14155550100"}}`)
		if code != 403 {
			t.Errorf("%q = %d %v; want 403", trick, code, out)
		}
	}
	if n := s.fake.Requests("*"); n != before {
		t.Fatalf("look-alike names caused %d rule calls", n-before)
	}
}

// Parameters are capped in number and size (400 naming the limit), and a
// rule refusing its input is the caller's 400, not a 502.
func TestExecuteRuleParameterLimitsAndInputErrors(t *testing.T) {
	s := newStack(t, 5*time.Second)
	rule := s.fake.RuleName(appbase.OpFindParties)
	many := map[string]string{}
	for i := range api.MaxRuleParams + 1 {
		many[fmt.Sprintf("P%d", i)] = "x"
	}
	mb, _ := json.Marshal(map[string]any{"rule": rule, "parameters": many})
	big, _ := json.Marshal(map[string]any{"rule": rule, "parameters": map[string]string{"PHONE": strings.Repeat("1", api.MaxRuleParamBytes)}})
	for name, body := range map[string]string{"too many": string(mb), "too big": string(big)} {
		code, out := s.call(t, "ExecuteRule", body)
		msg, _ := out["Message"].(string)
		if code != 400 || !strings.Contains(msg, "at most") || !strings.Contains(msg, "MaxRuleParam") {
			t.Errorf("%s: %d %q; want 400 naming the limit", name, code, msg)
		}
	}
	if n := s.fake.Requests("*"); n != 0 {
		t.Fatalf("over-limit parameters caused %d rule calls", n)
	}
	code, out := s.call(t, "ExecuteRule", `{"rule":"`+rule+`","parameters":{}}`)
	if msg, _ := out["Message"].(string); code != 400 || !strings.Contains(msg, "PHONE") {
		t.Fatalf("rule input error = %d %v; want 400 with the rule's message", code, out)
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
	// The failures that answer at once get a budget no loaded machine uses
	// up (the top-level 500 costs a login and a retry with backoff: under
	// load that took more than 300 ms and answered 504); only the slow
	// upstream meets the short one.
	roomy, short := newStack(t, 10*time.Second), newStack(t, 300*time.Millisecond)
	cases := []struct {
		name  string
		s     *stack
		fault appbasetest.Fault
		code  int
	}{
		// Not once: the client logs in again after a first top-level 500 (it may be an expired token).
		{"ErrorCode 500 with HTTP 200", roomy, appbasetest.Fault{TopLevelError500: true}, 502},
		{"HTTP 500", roomy, appbasetest.Fault{HTTP500: true, Times: 1}, 502},
		{"dropped connection", roomy, appbasetest.Fault{Drop: true, Times: 1}, 503},
		{"too slow", short, appbasetest.Fault{Latency: 2 * time.Second, Times: 1}, 504},
	}
	for _, s := range []*stack{roomy, short} {
		// Warm the token so faults hit the rule, not the login.
		body := `{"rule":"` + s.fake.RuleName(appbase.OpFindParties) + `","parameters":{"PHONE":"+1"}}`
		if code, out := s.call(t, "ExecuteRule", body); code != 200 {
			t.Fatalf("warm-up = %d %v", code, out)
		}
	}
	for _, tc := range cases {
		s := tc.s
		body := `{"rule":"` + s.fake.RuleName(appbase.OpFindParties) + `","parameters":{"PHONE":"+1"}}`
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

// The proxy hands rows on without decoding them: the page must still get
// byte for byte the answer that encoding the decoded rows gave, with the
// fake's quirks (BOM, `new Date`, mixed-case keys) and awkward text.
func TestExecuteRuleAnswerIsWhatEncodingDecodedRowsGave(t *testing.T) {
	s := newStack(t, 10*time.Second)
	s.fake.AddParty(appbasetest.Party{ID: "p2", Name: `Bob <&> "Q" Ünï` + "\u2028", Phone: "+14155550100", Email: `b\o@x.org`})
	rule := s.fake.RuleName(appbase.OpFindParties)
	params := map[string]string{"PHONE": "+14155550100"}
	for _, quirks := range []bool{false, true} {
		s.fake.SetQuirks(quirks)
		res, err := s.client.Execute(context.Background(), rule, params)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Items) != 2 {
			t.Fatalf("quirks=%v: fake gave %d rows, want 2", quirks, len(res.Items))
		}
		want, _ := json.Marshal(map[string]any{"d": map[string]any{"rule": res.Rule, "items": res.Items, "total": res.Total, "outputs": res.Outputs}})
		req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/ExecuteRule",
			strings.NewReader(`{"rule":"`+rule+`","parameters":{"PHONE":"+14155550100"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer agent-token")
		w := httptest.NewRecorder()
		s.h.ServeHTTP(w, req)
		if got := strings.TrimSpace(w.Body.String()); w.Code != 200 || got != string(want) {
			t.Errorf("quirks=%v: answer %d\n got %s\nwant %s", quirks, w.Code, got, want)
		}
	}
}
