package appbase_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/internal/deadline"
)

func TestReadsRetriedWithBackoff(t *testing.T) {
	for name, tc := range map[string]struct {
		f       appbasetest.Fault
		backoff []time.Duration
	}{
		"HTTP500": {appbasetest.Fault{HTTP500: true, Times: 2}, []time.Duration{200 * time.Millisecond, 400 * time.Millisecond}},
		// The first top-level 500 is taken for an expired token: a fresh
		// login and an immediate repeat, then the usual backoff.
		"TopLevelError500": {appbasetest.Fault{TopLevelError500: true, Times: 2}, []time.Duration{200 * time.Millisecond}},
	} {
		f := tc.f
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.srv.AddParty(appbasetest.Party{ID: "1", Phone: "+4930123456"})
			e.srv.Fault("FINDPARTIES", f)
			parties, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Phone: "+4930123456"})
			if err != nil || len(parties) != 1 {
				t.Fatalf("FindParties = %v, %v", parties, err)
			}
			if n := e.srv.Requests("FINDPARTIES"); n != 3 {
				t.Fatalf("requests = %d, want 3", n)
			}
			if got, want := e.sleeps.got(), tc.backoff; !reflect.DeepEqual(got, want) {
				t.Fatalf("backoff = %v, want %v", got, want)
			}
			rule := e.c.RuleName("FINDPARTIES")
			if got := counter(t, e.reg, "dcmconnect_appbase_retries_total", map[string]string{"rule": rule}); got != 2 {
				t.Errorf("retries metric = %v", got)
			}
			if got := counter(t, e.reg, "dcmconnect_appbase_requests_total", map[string]string{"rule": rule, "outcome": "ok"}); got != 1 {
				t.Errorf("ok metric = %v", got)
			}
		})
	}
}

func TestReadRetriesBounded(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.MaxRetries = 3; o.RetryBackoff = time.Second })
	e.srv.Fault("GETSYNCSTATE", appbasetest.Fault{HTTP500: true})
	_, _, err := e.c.GetSyncState(ctx(t), "x")
	ae := asError(t, err)
	if ae.Kind != appbase.KindHTTP || ae.Status != 500 || ae.Rule != e.c.RuleName("GETSYNCSTATE") {
		t.Fatalf("err = %+v", ae)
	}
	if n := e.srv.Requests("GETSYNCSTATE"); n != 4 {
		t.Fatalf("requests = %d, want 1 + 3 retries", n)
	}
	if got, want := e.sleeps.got(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !reflect.DeepEqual(got, want) {
		t.Fatalf("backoff = %v, want %v", got, want)
	}
	rule := e.c.RuleName("GETSYNCSTATE")
	if got := counter(t, e.reg, "dcmconnect_appbase_requests_total", map[string]string{"rule": rule, "outcome": "http"}); got != 4 {
		t.Errorf("http outcome metric = %v, want 4", got)
	}
	if got := counter(t, e.reg, "dcmconnect_appbase_request_duration_seconds", map[string]string{"rule": rule}); got != 4 {
		t.Errorf("latency observations = %v, want 4", got)
	}
}

func TestWritesNotRetried(t *testing.T) {
	for name, tc := range map[string]struct {
		f     appbasetest.Fault
		kind  appbase.ErrorKind
		calls int
	}{
		"HTTP500": {appbasetest.Fault{HTTP500: true, Times: 1}, appbase.KindHTTP, 1},
		// A top-level 500 may be an expired token: one repeat after a fresh
		// login (the rule did not run), never more.
		"TopLevelError500": {appbasetest.Fault{TopLevelError500: true, Times: 2}, appbase.KindTopLevel, 2},
		"Drop":             {appbasetest.Fault{Drop: true, Times: 1}, appbase.KindTransport, 1},
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.srv.Fault("UPSERTINTERACTION", tc.f)
			_, err := e.c.UpsertInteraction(ctx(t), appbase.Interaction{ConversationID: "c1"})
			if ae := asError(t, err); ae.Kind != tc.kind {
				t.Fatalf("err = %v, want kind %v", err, tc.kind)
			}
			if n := e.srv.Requests("UPSERTINTERACTION"); n != tc.calls {
				t.Fatalf("requests = %d, want %d (writes are not retried)", n, tc.calls)
			}
			if len(e.sleeps.got()) != 0 || len(e.srv.Interactions()) != 0 {
				t.Fatalf("slept %v, stored %v", e.sleeps.got(), e.srv.Interactions())
			}
		})
	}
}

func TestRuleErrorsNotRetried(t *testing.T) {
	e := newEnv(t, nil, appbasetest.WithQuirks(true))
	_, err := e.c.Query(ctx(t), e.c.RuleName("FINDPARTIES"), nil) // no inputs: the rule's own error 101
	ae := asError(t, err)
	if ae.Kind != appbase.KindRule || ae.Code != "101" || !strings.Contains(ae.Message, "PHONE") || !appbase.IsRuleError(err) {
		t.Fatalf("err = %+v", ae)
	}
	if e.srv.Requests("FINDPARTIES") != 1 {
		t.Fatalf("requests = %d, want 1", e.srv.Requests("FINDPARTIES"))
	}
}

func TestRuleNotFound(t *testing.T) {
	e := newEnv(t, nil)
	e.srv.RemoveRule("FINDCASES")
	_, err := e.c.FindCases(ctx(t), appbase.CaseQuery{PartyID: "1"})
	if !appbase.IsRuleNotFound(err) || e.srv.Requests("FINDCASES") != 1 {
		t.Fatalf("err = %v requests=%d, want rule-not-found and no retry", err, e.srv.Requests("FINDCASES"))
	}
	if msg := err.Error(); !strings.Contains(msg, "servicejourney.rules.FINDCASES") || !strings.Contains(msg, "ROOT_GENESYS_FINDCASES") {
		t.Errorf("error %q does not tell the admin what to do", msg)
	}
	e.srv.RestoreRule("FINDCASES")
	if _, err := e.c.FindCases(ctx(t), appbase.CaseQuery{PartyID: "1"}); err != nil {
		t.Fatal(err)
	}
}

func TestRuleOverrideAndIntegrationCode(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) {
		o.IntegrationCode = "ROOT_GCX"
		o.Rules = map[string]string{"getsyncstate": "root_gcx_getsyncstate"}
	}, appbasetest.WithIntegrationCode("ROOT_GCX"))
	if err := e.c.SetSyncState(ctx(t), "n", "v"); err != nil { // ROOT_GCX_SETSYNCSTATE
		t.Fatal(err)
	}
	if v, ok, err := e.c.GetSyncState(ctx(t), "n"); err != nil || !ok || v != "v" { // lower-case override, same rule
		t.Fatalf("GetSyncState = %q %v %v", v, ok, err)
	}
}

func TestWrongDomain(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.Domain = "DCM_Test.tenant9" })
	_, _, err := e.c.GetSyncState(ctx(t), "x")
	ae := asError(t, err)
	if ae.Kind != appbase.KindTopLevel || !strings.Contains(err.Error(), "servicejourney.domain") {
		t.Fatalf("err = %v", err)
	}
	// A configuration error is not retried: asking again gets the same answer.
	if n := e.srv.Requests("*"); n != 1 {
		t.Fatalf("a wrong domain was asked %d times, want 1", n)
	}
}

func TestTimeout(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.Timeout = 50 * time.Millisecond; o.MaxRetries = -1 })
	if err := e.c.Login(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.srv.Fault("GETSYNCSTATE", appbasetest.Fault{Latency: 10 * time.Second})
	start := time.Now()
	_, _, err := e.c.GetSyncState(ctx(t), "x")
	if !appbase.IsTimeout(err) || asError(t, err).Kind != appbase.KindTransport {
		t.Fatalf("err = %v, want a transport timeout", err)
	}
	if el := time.Since(start); el > 3*time.Second {
		t.Fatalf("took %v despite a 50ms timeout", el)
	}
	if !strings.Contains(err.Error(), "servicejourney.timeout") {
		t.Errorf("error %q does not name the timeout setting", err)
	}
	if got := counter(t, e.reg, "dcmconnect_appbase_requests_total", map[string]string{"outcome": "timeout"}); got != 1 {
		t.Errorf("timeout metric = %v", got)
	}
}

// When the caller's deadline ends the call first, the error must not blame
// servicejourney.timeout (the admin would raise the wrong setting).
func TestCallerDeadlineNotBlamedOnTimeoutSetting(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.Timeout = 10 * time.Second; o.MaxRetries = -1 })
	if err := e.c.Login(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.srv.Fault("GETSYNCSTATE", appbasetest.Fault{Latency: 10 * time.Second})
	cx, cancel := context.WithTimeout(ctx(t), 50*time.Millisecond)
	defer cancel()
	_, _, err := e.c.GetSyncState(cx, "x")
	if !appbase.IsTimeout(err) || asError(t, err).Kind != appbase.KindTransport {
		t.Fatalf("err = %v, want a transport timeout", err)
	}
	if strings.Contains(err.Error(), "servicejourney.timeout") {
		t.Errorf("error %q blames servicejourney.timeout for the caller's deadline", err)
	}
	if !strings.Contains(err.Error(), "caller stopped waiting") {
		t.Errorf("error %q does not say the caller gave up", err)
	}
}

// A deadline handed down as a value (internal/deadline, the api's method
// budget) bounds an attempt like the context's own, without blaming
// servicejourney.timeout; one later than the timeout leaves the timeout in
// charge, and it is named.
func TestPassedDeadlineBoundsTheAttempt(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.Timeout = 300 * time.Millisecond; o.MaxRetries = -1 })
	if err := e.c.Login(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.srv.Fault("GETSYNCSTATE", appbasetest.Fault{Latency: 10 * time.Second})
	for _, c := range []struct {
		name    string
		passed  time.Duration
		blamed  string
		longest time.Duration
	}{
		{"passed first", 50 * time.Millisecond, "caller stopped waiting", 250 * time.Millisecond},
		{"timeout first", time.Minute, "servicejourney.timeout", 5 * time.Second},
	} {
		start := time.Now()
		_, _, err := e.c.GetSyncState(deadline.Pass(ctx(t), start.Add(c.passed)), "x")
		took := time.Since(start)
		if !appbase.IsTimeout(err) || asError(t, err).Kind != appbase.KindTransport {
			t.Fatalf("%s: err = %v, want a transport timeout", c.name, err)
		}
		if !strings.Contains(err.Error(), c.blamed) {
			t.Errorf("%s: error %q does not say %q", c.name, err, c.blamed)
		}
		if took > c.longest {
			t.Errorf("%s: took %v", c.name, took)
		}
	}
}

// A read's backoff waits are bounded by a passed deadline: a wait that
// would end after it is not begun.
func TestPassedDeadlineBoundsTheBackoff(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.RetryBackoff = time.Second; o.MaxRetries = 3 })
	if err := e.c.Login(ctx(t)); err != nil {
		t.Fatal(err)
	}
	e.srv.Fault("GETSYNCSTATE", appbasetest.Fault{HTTP500: true})
	if _, _, err := e.c.GetSyncState(deadline.Pass(ctx(t), time.Now().Add(500*time.Millisecond)), "x"); err == nil {
		t.Fatal("no error from a failing read")
	}
	if got := e.sleeps.got(); len(got) != 0 {
		t.Errorf("waited %v past a deadline 500ms away", got)
	}
	if n := e.srv.Requests("GETSYNCSTATE"); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestBadRuleAndParams(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.c.Query(ctx(t), "a/b", nil); err == nil {
		t.Error("rule with a slash accepted")
	}
	if _, err := e.c.Query(ctx(t), "ROOT_X", map[string]string{"T": "1"}); err == nil || !strings.Contains(err.Error(), "reserved") {
		t.Errorf("parameter t accepted: %v", err)
	}
	if e.srv.Logins() != 0 {
		t.Errorf("bad input reached AppBase")
	}
}
