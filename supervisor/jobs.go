package supervisor

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"
)

// JobView is one background job on the supervisor page. The common fields are
// read from whatever status the job reports (any JSON object with running,
// lastStart, lastEnd, lastSuccess, lastError, nextRun); everything else it
// reports is passed on in Details, so a new job needs no change here.
type JobView struct {
	Name        string    `json:"name"`
	Outcome     string    `json:"outcome"` // running, ok, failed, never
	Running     bool      `json:"running"`
	LastStart   time.Time `json:"lastStart,omitzero"`
	LastEnd     time.Time `json:"lastEnd,omitzero"`
	LastSuccess time.Time `json:"lastSuccess,omitzero"`
	NextRun     time.Time `json:"nextRun,omitzero"`
	LastError   string    `json:"lastError,omitempty"`
	// Details is the rest of the job's status (e.g. the last run's summary,
	// counts, failures with their reasons), as the job reported it.
	Details map[string]any `json:"details,omitempty"`
}

// jobViews reads every registered job's status, sorted by name.
func jobViews(jobs map[string]func() any) []JobView {
	names := slices.Sorted(maps.Keys(jobs))
	out := make([]JobView, 0, len(names))
	for _, n := range names {
		out = append(out, jobView(n, jobs[n]()))
	}
	return out
}

func jobView(name string, status any) JobView {
	v := JobView{Name: name, Outcome: "never"}
	raw, err := json.Marshal(status)
	var m map[string]any
	if err != nil || json.Unmarshal(raw, &m) != nil {
		v.Outcome, v.LastError = "failed", "the job's status could not be read"
		return v
	}
	take := func(key string) any {
		for k, val := range m {
			if strings.EqualFold(k, key) {
				delete(m, k)
				return val
			}
		}
		return nil
	}
	when := func(key string) time.Time {
		s, _ := take(key).(string)
		t, _ := time.Parse(time.RFC3339Nano, s)
		return t
	}
	v.Running, _ = take("running").(bool)
	v.LastStart, v.LastEnd, v.LastSuccess, v.NextRun = when("lastStart"), when("lastEnd"), when("lastSuccess"), when("nextRun")
	v.LastError, _ = take("lastError").(string)
	if len(m) > 0 {
		v.Details = m
	}
	switch {
	case v.Running:
		v.Outcome = "running"
	case v.LastError != "" || lastNotOK(m):
		v.Outcome = "failed"
	case !v.LastEnd.IsZero() || !v.LastSuccess.IsZero():
		v.Outcome = "ok"
	}
	return v
}

// lastNotOK spots a last-run summary that says it failed ({"last":{"ok":false}}).
func lastNotOK(m map[string]any) bool {
	last, _ := m["last"].(map[string]any)
	ok, has := last["ok"].(bool)
	return has && !ok
}

// HealthCheck is one upstream's cheap check (the Genesys token, the
// ServiceJourney login); both clients cache what they check, so a check
// usually costs no upstream call.
type HealthCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// UpstreamHealth is one check's result.
type UpstreamHealth struct {
	Name      string    `json:"name"`
	OK        bool      `json:"ok"`
	Error     string    `json:"error,omitempty"`
	CheckedAt time.Time `json:"checkedAt"`
	Millis    int64     `json:"millis"`
}

// healthTimeout bounds one check: the page must not wait on a hung upstream.
const healthTimeout = 10 * time.Second

// runHealth runs the checks in parallel.
func runHealth(ctx context.Context, checks []HealthCheck, now func() time.Time) []UpstreamHealth {
	out := make([]UpstreamHealth, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Go(func() {
			start := time.Now()
			cctx, cancel := context.WithTimeout(ctx, healthTimeout)
			defer cancel()
			err := c.Check(cctx)
			h := UpstreamHealth{Name: c.Name, OK: err == nil, CheckedAt: now(), Millis: time.Since(start).Milliseconds()}
			if err != nil {
				h.Error = err.Error()
			}
			out[i] = h
		})
	}
	wg.Wait()
	return out
}
