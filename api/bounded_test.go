package api_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/usermap"
)

// ExecuteRule runs on the request's goroutine (Method.Bounded): a rule call
// slower than the server's write timeout, with an appbase timeout longer
// still, so that only the method's budget can end it, is still a 504 JSON
// answer before the write timeout would have closed the connection.
func TestSlowRuleAnswers504BeforeTheWriteTimeout(t *testing.T) {
	t.Parallel() // waits out real deadlines or latencies; needs little CPU
	// 3 s, not 1.5: the 10 % margin of 150 ms was missed at load 13 on 2 cores.
	const write = 3 * time.Second
	fake, call := ruleStack(t, write, time.Minute) // the login is made and kept
	fake.Fault(appbase.OpFindParties, appbasetest.Fault{Latency: time.Minute})
	code, out, took := call()
	if code != http.StatusGatewayTimeout {
		t.Fatalf("%d %v; want a 504 JSON answer", code, out)
	}
	if took >= write {
		t.Errorf("answered after %s, not before the write timeout %s", took, write)
	}
	if msg, _ := out["Message"].(string); !strings.Contains(msg, "in time") && !strings.Contains(msg, "did not finish") {
		t.Errorf("message %q does not say it ran out of time", msg)
	}
}

// ruleStack is ExecuteRule as serve wires it (appbase client, StoreMapper)
// on a real server with the given write timeout and appbase timeout, its
// login made and kept by a first call.
func ruleStack(t *testing.T, write, appbaseTimeout time.Duration) (fake *appbasetest.Server, call func() (int, map[string]any, time.Duration)) {
	t.Helper()
	fake = appbasetest.NewServerT(t)
	fake.AddParty(appbasetest.Party{ID: "P-1", Name: "Pat Party", Phone: "+14155550100"})
	o := fake.ClientOptions()
	o.Timeout, o.MaxRetries = appbaseTimeout, -1
	ab, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	users := usermap.NewStore(usermap.StoreOptions{})
	users.Replace(usermap.Build([]usermap.GenesysUser{{ID: "g-1", Email: "ann@example.com"}},
		[]usermap.SJUser{{ID: "101", Name: "Ann Agent", Email: "ann@example.com"}}))
	rule := fake.RuleName(appbase.OpFindParties)
	srv, err := api.New(api.Options{WriteTimeout: write, Verifier: staticVerifier{},
		Methods: api.CoreMethods(ab, api.StoreMapper{Store: users}, []string{rule}, api.Supervisors{})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	base := serveIx(t, srv.Handler(), write)
	call = func() (int, map[string]any, time.Duration) {
		req, _ := http.NewRequest("POST", base+"/dcm-connect-service/DCMServices.asmx/ExecuteRule",
			strings.NewReader(`{"rule":"`+rule+`","parameters":{"PHONE":"+14155550100"}}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer agent-token")
		start := time.Now()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("no answer (the connection closed): %v", err)
		}
		defer resp.Body.Close()
		var out map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatalf("%d: body not JSON: %v", resp.StatusCode, err)
		}
		return resp.StatusCode, out, time.Since(start)
	}
	if code, out, _ := call(); code != http.StatusOK {
		t.Fatalf("warm-up: %d %v", code, out)
	}
	return fake, call
}

// ExecuteRule's budget reaches the appbase client as a value, with no
// timer of its own (Method.OwnDeadline): it must still bound what follows a
// rejected token, the re-login's wait and the second attempt, when the
// appbase timeout is far longer. Fails if either wait is bounded only by
// the appbase timeout.
func TestRuleBudgetBoundsTheReloginAndItsSecondAttempt(t *testing.T) {
	t.Parallel() // waits out real deadlines or latencies; needs little CPU
	// 3 s, not 1.5: the 10 % margin of 150 ms was missed at load 13 on 2 cores.
	const write = 3 * time.Second
	for _, c := range []struct {
		name  string
		fault func(*appbasetest.Server)
	}{
		{"slow re-login", func(f *appbasetest.Server) {
			f.Fault(appbase.OpFindParties, appbasetest.Fault{TopLevelError500: true, Times: 1})
			f.Fault("login", appbasetest.Fault{Latency: time.Minute})
		}},
		{"slow second attempt", func(f *appbasetest.Server) {
			f.Fault(appbase.OpFindParties, appbasetest.Fault{TopLevelError500: true, Times: 1})
			f.Fault(appbase.OpFindParties, appbasetest.Fault{Latency: time.Minute})
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each has its own stack
			fake, call := ruleStack(t, write, time.Minute)
			logins := fake.Logins()
			c.fault(fake)
			code, out, took := call()
			if code != http.StatusGatewayTimeout || took >= write {
				t.Fatalf("%d %v after %s; want a 504 JSON answer before the write timeout %s", code, out, took, write)
			}
			if fake.Logins() == logins {
				t.Errorf("no re-login was made: the test did not reach the path it is about")
			}
		})
	}
}

// With a budget far longer than the appbase timeout, the timeout still
// ends a slow attempt: the one context made for the attempt is at the
// earlier of the two. Fails if the attempt is bounded by the budget alone.
func TestRuleAttemptKeepsTheAppbaseTimeoutUnderALongerBudget(t *testing.T) {
	t.Parallel() // waits out real deadlines or latencies; needs little CPU

	const write, timeout = 6 * time.Second, 200 * time.Millisecond // budget 5.4 s
	fake, call := ruleStack(t, write, timeout)
	fake.Fault(appbase.OpFindParties, appbasetest.Fault{Latency: time.Minute})
	code, out, took := call()
	if code != http.StatusGatewayTimeout {
		t.Fatalf("%d %v; want a 504", code, out)
	}
	if took >= write/2 {
		t.Errorf("answered after %s: the appbase timeout %s did not end the attempt", took, timeout)
	}
}
