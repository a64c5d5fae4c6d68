package genesystest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// analyticsFixture seeds three conversations:
// c1 ended call 2024-05-01 10:00, c2 active chat 2024-05-01 12:00,
// c3 ended call 2024-05-02 09:00.
func analyticsFixture(t *testing.T, opts ...Option) (s *Server, tok string, c1, c2, c3 Conversation, ann User, code string) {
	s = newFake(t, opts...)
	tok = seededClient(t, s)
	ann = s.AddUser(User{Name: "Ann"})
	q := s.AddQueue("", "Support")
	code = s.AddWrapupCode("", "Resolved")
	c1 = seedCall(s, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), ann.ID, q, code)
	c2 = s.AddConversation(Conversation{
		StartTime: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC),
		Participants: []Participant{
			{Purpose: "customer", Name: "Web visitor", Attributes: map[string]string{"Email": "v@example.com"},
				Chats: []Media{{State: "connected", Direction: "inbound"}}},
		},
	})
	c3 = seedCall(s, time.Date(2024, 5, 2, 9, 0, 0, 0, time.UTC), ann.ID, q, code)
	return
}

func queryIDs(t *testing.T, s *Server, tok string, body map[string]any) (ids []string, m map[string]any) {
	t.Helper()
	r := api(t, s, "POST", "/api/v2/analytics/conversations/details/query", tok, body)
	wantStatus(t, r, http.StatusOK)
	m = r.json(t)
	cs, _ := m["conversations"].([]any)
	for _, c := range cs {
		ids = append(ids, c.(map[string]any)["conversationId"].(string))
	}
	return ids, m
}

func TestAnalyticsQueryIntervalOrderPaging(t *testing.T) {
	s, tok, c1, c2, c3, ann, code := analyticsFixture(t)
	day1 := "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z"
	ids, m := queryIDs(t, s, tok, map[string]any{"interval": day1})
	if strings.Join(ids, ",") != c1.ID+","+c2.ID || m["totalHits"] != float64(2) {
		t.Fatalf("day 1 = %v (totalHits %v), want c1,c2", ids, m["totalHits"])
	}
	if strings.Contains(string(api(t, s, "POST", "/api/v2/analytics/conversations/details/query", tok, map[string]any{"interval": day1}).body), "attributes") {
		t.Fatal("sync query returned participant attributes")
	}
	conv := m["conversations"].([]any)
	first, second := conv[0].(map[string]any), conv[1].(map[string]any)
	if first["conversationEnd"] != "2024-05-01T10:05:00.000Z" || first["originatingDirection"] != "inbound" {
		t.Fatalf("c1 %v", first)
	}
	if _, has := second["conversationEnd"]; has {
		t.Fatal("active conversation has conversationEnd")
	}
	// The agent's wrap-up segment carries the code and note.
	var wrap map[string]any
	for _, p := range first["participants"].([]any) {
		pm := p.(map[string]any)
		if pm["userId"] != ann.ID {
			continue
		}
		for _, sg := range pm["sessions"].([]any)[0].(map[string]any)["segments"].([]any) {
			if sg.(map[string]any)["segmentType"] == "wrapup" {
				wrap = sg.(map[string]any)
			}
		}
	}
	if wrap == nil || wrap["wrapUpCode"] != code || wrap["wrapUpNote"] != "called back" || wrap["segmentEnd"] != "2024-05-01T10:05:30.000Z" {
		t.Fatalf("wrap-up segment %v", wrap)
	}

	ids, _ = queryIDs(t, s, tok, map[string]any{"interval": "2024-05-01T00:00:00Z/2024-05-03T00:00:00Z", "order": "desc", "paging": map[string]int{"pageSize": 1, "pageNumber": 2}})
	if len(ids) != 1 || ids[0] != c2.ID {
		t.Fatalf("desc page 2 = %v, want c2", ids)
	}
	ids, m = queryIDs(t, s, tok, map[string]any{"interval": "2024-04-01T00:00:00Z/2024-04-02T00:00:00Z"})
	if len(ids) != 0 || m["totalHits"] != float64(0) {
		t.Fatalf("empty interval = %v", m)
	}
	if _, has := m["conversations"]; has {
		t.Fatal("empty result carries conversations")
	}
	_ = c3
}

func TestAnalyticsQueryFilters(t *testing.T) {
	s, tok, c1, c2, c3, ann, code := analyticsFixture(t)
	all := "2024-05-01T00:00:00Z/2024-05-03T00:00:00Z"
	filter := func(filters ...map[string]any) []string {
		ids, _ := queryIDs(t, s, tok, map[string]any{"interval": all, "segmentFilters": filters})
		return ids
	}
	if ids := filter(map[string]any{"type": "or", "predicates": []map[string]any{{"dimension": "mediaType", "value": "chat"}}}); len(ids) != 1 || ids[0] != c2.ID {
		t.Fatalf("mediaType chat = %v", ids)
	}
	if ids := filter(map[string]any{"type": "and", "predicates": []map[string]any{{"dimension": "userId", "value": ann.ID}, {"dimension": "wrapUpCode", "value": code}}}); strings.Join(ids, ",") != c1.ID+","+c3.ID {
		t.Fatalf("agent + wrap-up = %v", ids)
	}
	ids, _ := queryIDs(t, s, tok, map[string]any{"interval": all, "conversationFilters": []map[string]any{
		{"type": "and", "predicates": []map[string]any{{"dimension": "conversationEnd", "operator": "notExists"}}}}})
	if len(ids) != 1 || ids[0] != c2.ID {
		t.Fatalf("active only = %v", ids)
	}
	for _, bad := range []map[string]any{
		{"interval": "yesterday"},
		{"interval": "2024-05-02T00:00:00Z/2024-05-01T00:00:00Z"},
		{"interval": all, "paging": map[string]int{"pageSize": 101}},
		{"interval": all, "segmentFilters": []map[string]any{{"type": "or", "predicates": []map[string]any{{"dimension": "flowName", "value": "x"}}}}},
		{"interval": all, "order": "sideways"},
	} {
		wantAPIError(t, api(t, s, "POST", "/api/v2/analytics/conversations/details/query", tok, bad), 400, "bad.request")
	}
}

func TestAnalyticsDayMatching(t *testing.T) {
	narrow := map[string]any{"interval": "2024-05-01T11:00:00Z/2024-05-01T13:00:00Z"}
	s, tok, _, c2, _, _, _ := analyticsFixture(t)
	if ids, _ := queryIDs(t, s, tok, narrow); len(ids) != 1 || ids[0] != c2.ID {
		t.Fatalf("default matching = %v, want only c2", ids)
	}
	s, tok, c1, c2, _, _, _ := analyticsFixture(t, WithAnalyticsDayMatching())
	if ids, _ := queryIDs(t, s, tok, narrow); strings.Join(ids, ",") != c1.ID+","+c2.ID {
		t.Fatalf("day matching = %v, want c1,c2", ids)
	}
}

func TestAnalyticsJob(t *testing.T) {
	s, tok, c1, c2, c3, _, _ := analyticsFixture(t, WithJobPendingPolls(2))
	r := api(t, s, "POST", "/api/v2/analytics/conversations/details/jobs", tok,
		map[string]any{"interval": "2024-05-01T10:03:00Z/2024-05-02T00:00:00Z"})
	wantStatus(t, r, http.StatusAccepted)
	job := r.json(t)["jobId"].(string)
	base := "/api/v2/analytics/conversations/details/jobs/" + job
	wantAPIError(t, api(t, s, "GET", base+"/results", tok, nil), 400, "bad.request")
	for i, want := range []string{"QUEUED", "PENDING", "FULFILLED", "FULFILLED"} {
		if st := api(t, s, "GET", base, tok, nil).json(t)["state"]; st != want {
			t.Fatalf("poll %d state %v, want %s", i+1, st, want)
		}
	}
	// Activity during the interval: c1 (ended 10:05) and c2 (active); not c3.
	var ids []string
	attrs := map[string]string{}
	path := base + "/results?pageSize=1"
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("cursor never ends")
		}
		m := api(t, s, "GET", path, tok, nil).json(t)
		for _, c := range m["conversations"].([]any) {
			cm := c.(map[string]any)
			ids = append(ids, cm["conversationId"].(string))
			for _, p := range cm["participants"].([]any) {
				for k, v := range p.(map[string]any)["attributes"].(map[string]any) {
					attrs[k] = v.(string)
				}
				break // the customer is first
			}
		}
		cursor, _ := m["cursor"].(string)
		if cursor == "" {
			break
		}
		path = base + "/results?pageSize=1&cursor=" + url.QueryEscape(cursor)
	}
	if strings.Join(ids, ",") != c1.ID+","+c2.ID || attrs["CaseId"] != "C-1" || attrs["Email"] != "v@example.com" {
		t.Fatalf("job results %v with attributes %v", ids, attrs)
	}
	wantStatus(t, api(t, s, "DELETE", base, tok, nil), http.StatusNoContent)
	wantAPIError(t, api(t, s, "GET", base, tok, nil), 404, "not.found")
	_ = c3
}

// FailJobs, ExpireJobsAfter and SetJobsAvailability shape later jobs.
func TestAnalyticsJobFaults(t *testing.T) {
	s, tok, _, _, _, _, _ := analyticsFixture(t, WithJobPendingPolls(0))
	const jobs = "/api/v2/analytics/conversations/details/jobs"
	submit := func() string {
		r := api(t, s, "POST", jobs, tok, map[string]any{"interval": "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"})
		wantStatus(t, r, http.StatusAccepted)
		return jobs + "/" + r.json(t)["jobId"].(string)
	}
	s.FailJobs("FAILED", "too many jobs")
	failed := submit()
	if m := api(t, s, "GET", failed, tok, nil).json(t); m["state"] != "FAILED" || m["errorMessage"] != "too many jobs" {
		t.Fatalf("failed job status %v", m)
	}
	wantAPIError(t, api(t, s, "GET", failed+"/results", tok, nil), 400, "bad.request")
	s.FailJobs("", "")
	s.ExpireJobsAfter(1)
	exp := submit()
	wantStatus(t, api(t, s, "GET", exp+"/results?pageSize=1", tok, nil), http.StatusOK)
	if st := api(t, s, "GET", exp, tok, nil).json(t)["state"]; st != "EXPIRED" {
		t.Fatalf("after its page the job is %v, want EXPIRED", st)
	}
	wantAPIError(t, api(t, s, "GET", exp+"/results?pageSize=1", tok, nil), 404, "not.found")
	at := time.Date(2024, 5, 1, 6, 0, 0, 0, time.UTC)
	s.SetJobsAvailability(at)
	if d := api(t, s, "GET", jobs+"/availability", tok, nil).json(t)["dataAvailabilityDate"]; d != "2024-05-01T06:00:00.000Z" {
		t.Fatalf("availability %v", d)
	}
	if s.Jobs() != 2 {
		t.Fatalf("Jobs() = %d, want 2", s.Jobs())
	}
}

// Generated conversations come out of jobs a page at a time: those with
// activity in the interval, in start order, across the static ones' end.
func TestAnalyticsJobGeneratedConversations(t *testing.T) {
	s, tok, _, c2, _, _, _ := analyticsFixture(t, WithJobPendingPolls(0))
	first := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	s.AddGeneratedConversations(GeneratedConversations{First: first, Every: time.Minute, N: 1000,
		Make: func(i int, start time.Time) Conversation {
			end := start.Add(30 * time.Second)
			return Conversation{ID: fmt.Sprintf("g%04d", i), StartTime: start, EndTime: &end, OriginatingDirection: "inbound",
				Participants: []Participant{{Purpose: "customer", Attributes: map[string]string{"n": fmt.Sprint(i)}}}}
		}})
	const jobs = "/api/v2/analytics/conversations/details/jobs"
	// 00:10:40 .. 00:20:00: g0010 ended at 00:10:30, before it; g0011..g0019.
	r := api(t, s, "POST", jobs, tok, map[string]any{"interval": "2024-06-01T00:10:40Z/2024-06-01T00:20:00Z"})
	base := jobs + "/" + r.json(t)["jobId"].(string)
	var ids []string
	path := base + "/results?pageSize=4"
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("cursor never ends")
		}
		m := api(t, s, "GET", path, tok, nil).json(t)
		for _, c := range m["conversations"].([]any) {
			ids = append(ids, c.(map[string]any)["conversationId"].(string))
		}
		cursor, _ := m["cursor"].(string)
		if cursor == "" {
			break
		}
		path = base + "/results?pageSize=4&cursor=" + url.QueryEscape(cursor)
	}
	// c2 (static, still active) first.
	want := []string{c2.ID, "g0011", "g0012", "g0013", "g0014", "g0015", "g0016", "g0017", "g0018", "g0019"}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Fatalf("generated results %v, want %v", ids, want)
	}
}
