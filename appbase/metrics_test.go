package appbase_test

import (
	"strings"
	"testing"

	"dcmconnect/appbase"
)

// A caller choosing the case of a rule code (ExecuteRule takes it from the
// page) must not create a metric series per spelling: AppBase matches rule
// codes case-insensitively, so all spellings are one rule.
func TestRuleMetricLabelIgnoresCase(t *testing.T) {
	e := newEnv(t, nil)
	rule := e.c.RuleName(appbase.OpGetSyncState)
	for _, spelling := range []string{rule, strings.ToLower(rule), "Root_Genesys_GetSyncState"} {
		if _, err := e.c.Query(ctx(t), spelling, map[string]string{"NAME": "x"}); err != nil {
			t.Fatalf("Query(%s): %v", spelling, err)
		}
	}
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		switch mf.GetName() {
		case "dcmconnect_appbase_requests_total", "dcmconnect_appbase_request_duration_seconds":
			var labels []string
			for _, m := range mf.GetMetric() {
				for _, lp := range m.GetLabel() {
					if lp.GetName() == "rule" {
						labels = append(labels, lp.GetValue())
					}
				}
			}
			if len(labels) != 1 || labels[0] != strings.ToUpper(rule) {
				t.Errorf("%s rule labels = %v, want only %s", mf.GetName(), labels, strings.ToUpper(rule))
			}
		}
	}
	if got := counter(t, e.reg, "dcmconnect_appbase_requests_total", map[string]string{"rule": strings.ToUpper(rule), "outcome": "ok"}); got != 3 {
		t.Errorf("requests for %s = %v, want 3", rule, got)
	}
}
