package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/supervisor"
	"dcmconnect/usermap"
)

const supervisorPerm = "analytics:conversationDetail:view"

// testClock is a clock the test moves by hand.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Date(2025, 3, 14, 10, 30, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// supStack is the supervisor methods on the real Genesys client, against the
// fake Genesys Cloud, behind the real HTTP surface and token verification.
type supStack struct {
	g      *genesystest.Server
	gc     *genesys.Client
	h      http.Handler
	clock  *testClock
	store  *usermap.Store
	jobs   map[string]func() any
	super  []string // supervisor user ids
	agent  string   // a user without the permission
	health map[string]error
	mu     sync.Mutex
}

func newSupStack(t testing.TB, agents, supervisors int, mut func(*supervisor.Options, *api.Supervisors)) *supStack {
	t.Helper()
	g := genesystest.NewServerT(t)
	g.AddClient(genesystest.Client{ID: "bg", Secret: "bg-secret"})
	s := &supStack{g: g, clock: newTestClock(), jobs: map[string]func() any{}, health: map[string]error{}}
	presences := []string{"ON_QUEUE", "AVAILABLE", "BUSY", "AWAY", "OFFLINE"}
	routing := []string{"INTERACTING", "IDLE", "OFF_QUEUE", "OFF_QUEUE", "OFF_QUEUE"}
	for i := range agents {
		u := g.AddUser(genesystest.User{Name: fmt.Sprintf("Agent %05d", i), Email: fmt.Sprintf("agent%05d@example.com", i),
			Presence: presences[i%5], RoutingStatus: routing[i%5], Permissions: []string{"conversation:communication:view"}})
		if i == 0 {
			s.agent = u.ID
		}
	}
	for i := range supervisors {
		u := g.AddUser(genesystest.User{Name: fmt.Sprintf("Supervisor %02d", i), Email: fmt.Sprintf("sup%02d@example.com", i),
			Presence: "AVAILABLE", Permissions: []string{supervisorPerm}})
		s.super = append(s.super, u.ID)
	}
	var err error
	s.gc, err = genesys.New(genesys.Options{APIURL: g.URL(), LoginURL: g.URL(), ClientID: "bg", ClientSecret: "bg-secret",
		Timeout: 5 * time.Second, MaxRetries: -1, RequestsPerMinute: -1})
	if err != nil {
		t.Fatal(err)
	}
	s.store = usermap.NewStore(usermap.StoreOptions{})
	who := api.Supervisors{Permissions: []string{supervisorPerm}}
	o := supervisor.Options{
		Source: supervisor.GenesysSource{Client: s.gc},
		Users:  s.store,
		Jobs:   s.jobs,
		Health: []supervisor.HealthCheck{
			{Name: "Genesys Cloud", Check: func(ctx context.Context) error { _, err := s.gc.Token(ctx); return err }},
			{Name: "ServiceJourney", Check: func(context.Context) error { s.mu.Lock(); defer s.mu.Unlock(); return s.health["ServiceJourney"] }},
		},
		Refresh: 30 * time.Second,
		Now:     s.clock.Now,
	}
	if mut != nil {
		mut(&o, &who)
	}
	svc, err := supervisor.New(o)
	if err != nil {
		t.Fatal(err)
	}
	methods := append(api.SupervisorMethods(svc, who), api.UserMapMethods(s.store, nil, who)...)
	srv, err := api.New(api.Options{Verifier: api.GenesysVerifier{Client: s.gc}, Methods: methods})
	if err != nil {
		t.Fatal(err)
	}
	s.h = srv.Handler()
	return s
}

func (s *supStack) call(t testing.TB, token, method, body string) (int, map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/"+method, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	s.h.ServeHTTP(w, req)
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Errorf("%s: body not JSON: %s", method, w.Body.String())
	}
	return w.Code, out
}

// refreshAll has every supervisor ask for the agents at the same moment.
func (s *supStack) refreshAll(t *testing.T, tokens []string) []map[string]any {
	t.Helper()
	out := make([]map[string]any, len(tokens))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, tok := range tokens {
		wg.Go(func() {
			<-start
			code, body := s.call(t, tok, "GetAgentStatus", `{}`)
			if code != 200 {
				t.Errorf("supervisor %d: GetAgentStatus = %d %v", i, code, body)
				return
			}
			out[i] = body["d"].(map[string]any)
		})
	}
	close(start)
	wg.Wait()
	return out
}

func TestTenSupervisorsShareOnePresenceQueryPerInterval(t *testing.T) {
	s := newSupStack(t, 40, 10, nil)
	tokens := make([]string, len(s.super))
	for i, id := range s.super {
		tokens[i] = s.g.UserToken(id)
	}
	// Every supervisor's token is verified first, so the first refresh below
	// starts with all ten arriving together.
	for _, tok := range tokens {
		if code, body := s.call(t, tok, "GetSyncStatus", `{}`); code != 200 {
			t.Fatalf("GetSyncStatus = %d %v", code, body)
		}
	}
	s.g.ResetRequests()
	// A slow upstream keeps the first query in flight while the others arrive:
	// they must wait for it, not start their own.
	s.g.Fault("GET /api/v2/users", genesystest.Fault{Latency: 300 * time.Millisecond, Times: 1})

	first := s.refreshAll(t, tokens)
	if n := s.g.Requests("GET /api/v2/users"); n != 1 {
		t.Fatalf("ten supervisors refreshing at once caused %d presence queries, want 1", n)
	}
	for i, d := range first {
		if d == nil || d["total"].(float64) != 50 {
			t.Fatalf("supervisor %d saw %v agents, want 50", i, d["total"])
		}
	}

	// Within the refresh interval: served from the shared copy.
	s.clock.Advance(29 * time.Second)
	s.refreshAll(t, tokens)
	if n := s.g.Requests("GET /api/v2/users"); n != 1 {
		t.Fatalf("refreshing within the interval caused %d queries in total, want still 1", n)
	}

	// The next interval: one more query for all ten, showing the new presence.
	if err := s.g.UpdateUser(s.agent, func(u *genesystest.User) { u.Presence = "MEAL" }); err != nil {
		t.Fatal(err)
	}
	s.clock.Advance(2 * time.Second)
	next := s.refreshAll(t, tokens)
	if n := s.g.Requests("GET /api/v2/users"); n != 2 {
		t.Fatalf("after the interval: %d queries in total, want 2", n)
	}
	for i, d := range next {
		if d["presenceCounts"].(map[string]any)["Meal"] != float64(1) {
			t.Fatalf("supervisor %d did not see the new presence: %v", i, d["presenceCounts"])
		}
	}
}

func TestAgentStatusFailureIsSharedAndOlderDataShownStale(t *testing.T) {
	s := newSupStack(t, 5, 1, nil)
	tok := s.g.UserToken(s.super[0])
	s.g.Fault("GET /api/v2/users", genesystest.Fault{Status: 503})
	for range 3 {
		code, body := s.call(t, tok, "GetAgentStatus", `{}`)
		if code != 502 || !strings.Contains(body["Message"].(string), "Genesys Cloud") {
			t.Fatalf("GetAgentStatus with Genesys down = %d %v, want 502 naming Genesys Cloud", code, body)
		}
	}
	if n := s.g.Requests("GET /api/v2/users"); n != 1 {
		t.Fatalf("a failing upstream was asked %d times within one interval, want 1", n)
	}
	s.g.ClearFaults()
	s.clock.Advance(31 * time.Second)
	if code, body := s.call(t, tok, "GetAgentStatus", `{}`); code != 200 || body["d"].(map[string]any)["stale"] != nil {
		t.Fatalf("after recovery = %d %v", code, body)
	}
	s.g.Fault("GET /api/v2/users", genesystest.Fault{Status: 500})
	s.clock.Advance(31 * time.Second)
	code, body := s.call(t, tok, "GetAgentStatus", `{}`)
	if code != 200 {
		t.Fatalf("failure after a success = %d %v, want the older data", code, body)
	}
	d := body["d"].(map[string]any)
	if d["total"].(float64) != 6 || !strings.Contains(d["stale"].(string), "Genesys Cloud") {
		t.Fatalf("stale answer = %v", d)
	}
	// The page says it in its own language: the failure as a message code.
	if code, _ := d["staleCode"].(string); !strings.HasPrefix(code, "upstream") || d["staleParams"].(map[string]any)["system"] != "Genesys Cloud" {
		t.Fatalf("stale code = %v %v, want an upstream code naming Genesys Cloud", d["staleCode"], d["staleParams"])
	}
}

func TestEverySupervisorMethodRefusesOthers(t *testing.T) {
	s := newSupStack(t, 3, 1, nil)
	agent, super := s.g.UserToken(s.agent), s.g.UserToken(s.super[0])
	methods := []string{"GetAgentStatus", "GetSyncStatus", "GetInteractionSummary", "GetUserMap", "SetUserMapping", "IgnoreServiceJourneyUser"}
	for _, m := range methods {
		code, body := s.call(t, agent, m, `{"serviceJourneyUserId":"1","genesysUserId":"x"}`)
		if code != 403 || !strings.Contains(body["Message"].(string), "supervisors only") {
			t.Errorf("%s as an agent = %d %v, want 403 supervisors only", m, code, body)
		}
		if code, body := s.call(t, super, m, `{"serviceJourneyUserId":"1","genesysUserId":"x"}`); code == 403 || code == 401 {
			t.Errorf("%s as a supervisor = %d %v", m, code, body)
		}
	}
	if n := s.g.Requests("GET /api/v2/users"); n != 1 {
		t.Errorf("the agent's calls reached upstream: %d users queries, want 1 (the supervisor's)", n)
	}
	// No permission configured: nobody is a supervisor.
	s2 := newSupStack(t, 1, 1, func(_ *supervisor.Options, who *api.Supervisors) { who.Permissions = nil })
	if code, _ := s2.call(t, s2.g.UserToken(s2.super[0]), "GetSyncStatus", `{}`); code != 403 {
		t.Errorf("with no supervisorPermissions GetSyncStatus = %d, want 403", code)
	}
}

func TestAgentStatusFiltersSortsPagesAndJoinsTheUserMap(t *testing.T) {
	s := newSupStack(t, 120, 1, nil)
	// The map: agent 0 explicit, agent 1 by e-mail, the rest unmatched.
	users := s.g.Users()
	var gus []usermap.GenesysUser
	for _, u := range users {
		gus = append(gus, usermap.GenesysUser{ID: u.ID, Name: u.Name, Email: u.Email})
	}
	s.store.Replace(usermap.Build(gus, []usermap.SJUser{
		{ID: "sj-0", Name: "SJ Zero", Email: "other@example.com", PureCloudUserID: users[0].ID},
		{ID: "sj-1", Name: "SJ One", Email: users[1].Email},
	}))
	tok := s.g.UserToken(s.super[0])
	get := func(body string) map[string]any {
		t.Helper()
		code, out := s.call(t, tok, "GetAgentStatus", body)
		if code != 200 {
			t.Fatalf("GetAgentStatus(%s) = %d %v", body, code, out)
		}
		return out["d"].(map[string]any)
	}
	d := get(`{"pageSize":25,"page":2}`)
	agents := d["agents"].([]any)
	if d["total"].(float64) != 121 || d["matched"].(float64) != 121 || len(agents) != 25 || d["pageCount"].(float64) != 5 {
		t.Fatalf("page 2 = total %v matched %v rows %d pages %v", d["total"], d["matched"], len(agents), d["pageCount"])
	}
	if name := agents[0].(map[string]any)["name"]; name != "Agent 00025" {
		t.Errorf("page 2 starts with %v, want Agent 00025", name)
	}
	pc := d["presenceCounts"].(map[string]any)
	if pc["On Queue"] != float64(24) || pc["Available"] != float64(25) {
		t.Errorf("presence counts = %v", pc)
	}
	mc := d["mappingCounts"].(map[string]any)
	if mc["explicit"] != float64(1) || mc["email"] != float64(1) || mc["unmatched"] != float64(119) {
		t.Errorf("mapping counts = %v", mc)
	}

	d = get(`{"presence":"On Queue","search":"AGENT 0001","sort":"-name"}`)
	var names []string
	for _, a := range d["agents"].([]any) {
		names = append(names, a.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "Agent 00015,Agent 00010" {
		t.Errorf("On Queue matching 'agent 0001', name descending = %v", names)
	}

	d = get(`{"sort":"mapping","pageSize":2}`)
	a0, a1 := d["agents"].([]any)[0].(map[string]any), d["agents"].([]any)[1].(map[string]any)
	if a0["mapping"] != "unmatched" || a1["mapping"] != "unmatched" {
		t.Errorf("sort by mapping puts the most actionable first, got %v, %v", a0["mapping"], a1["mapping"])
	}
	d = get(`{"mapping":"explicit"}`)
	if rows := d["agents"].([]any); len(rows) != 1 || rows[0].(map[string]any)["serviceJourneyUserName"] != "SJ Zero" {
		t.Errorf("explicit agents = %v", rows)
	}

	for body, field := range map[string]string{
		`{"pageSize":0.5}`: "pageSize", `{"pageSize":501}`: "pageSize", `{"page":-1}`: "page",
		`{"sort":"age"}`: "sort", `{"mapping":"maybe"}`: "mapping",
	} {
		code, out := s.call(t, tok, "GetAgentStatus", body)
		if code != 400 || !strings.Contains(out["Message"].(string), `"`+field+`"`) {
			t.Errorf("GetAgentStatus(%s) = %d %v, want 400 naming %s", body, code, out, field)
		}
	}
}

func TestSyncStatusShowsEveryJobGenericallyAndUpstreamHealth(t *testing.T) {
	s := newSupStack(t, 1, 1, nil)
	now := s.clock.Now()
	s.jobs["users"] = func() any {
		return usermap.RunStatus{LastStart: now.Add(-time.Minute), LastEnd: now.Add(-50 * time.Second), LastSuccess: now.Add(-50 * time.Second),
			NextRun: now.Add(14 * time.Minute), Last: &usermap.Summary{OK: true, GenesysUsers: 3}}
	}
	// A job this package knows nothing about, with its own failure list.
	s.jobs["interactions"] = func() any {
		return struct {
			LastStart time.Time `json:"lastStart"`
			LastEnd   time.Time `json:"lastEnd"`
			LastError string    `json:"lastError"`
			Failures  []map[string]string
		}{now.Add(-2 * time.Minute), now.Add(-time.Minute), "2 of 9 interactions not logged",
			[]map[string]string{{"conversationId": "c1", "reason": "rule UPSERTINTERACTION failed"}}}
	}
	s.jobs["idle"] = func() any { return usermap.RunStatus{} }
	s.health["ServiceJourney"] = fmt.Errorf("ServiceJourney system user: login refused")

	code, out := s.call(t, s.g.UserToken(s.super[0]), "GetSyncStatus", `{}`)
	if code != 200 {
		t.Fatalf("GetSyncStatus = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	jobs := d["jobs"].([]any)
	if len(jobs) != 3 {
		t.Fatalf("jobs = %v", jobs)
	}
	byName := map[string]map[string]any{}
	for _, j := range jobs {
		byName[j.(map[string]any)["name"].(string)] = j.(map[string]any)
	}
	if u := byName["users"]; u["outcome"] != "ok" || u["nextRun"] == nil || u["details"].(map[string]any)["last"].(map[string]any)["genesysUsers"] != float64(3) {
		t.Errorf("users job = %v", u)
	}
	in := byName["interactions"]
	if in["outcome"] != "failed" || in["lastError"] != "2 of 9 interactions not logged" {
		t.Errorf("interactions job = %v", in)
	}
	if f := in["details"].(map[string]any)["Failures"].([]any); len(f) != 1 || f[0].(map[string]any)["reason"] != "rule UPSERTINTERACTION failed" {
		t.Errorf("failures not passed on: %v", in["details"])
	}
	if byName["idle"]["outcome"] != "never" {
		t.Errorf("a job that never ran = %v", byName["idle"])
	}
	ups := d["upstreams"].([]any)
	g, sj := ups[0].(map[string]any), ups[1].(map[string]any)
	if g["name"] != "Genesys Cloud" || g["ok"] != true || sj["ok"] != false || !strings.Contains(sj["error"].(string), "login refused") {
		t.Errorf("upstreams = %v", ups)
	}
	b, _ := json.Marshal(out)
	if strings.Contains(string(b), "bg-secret") {
		t.Error("the client secret leaked into the answer")
	}
}

func TestInteractionSummaryCountsTodayByQueueAndMedia(t *testing.T) {
	s := newSupStack(t, 2, 1, nil)
	support := s.g.AddQueue("", "Support")
	sales := s.g.AddQueue("", "Sales")
	now := s.clock.Now() // 10:30 UTC
	conv := func(start time.Time, media, queue, dir string) {
		p := genesystest.Participant{Purpose: "customer", ANI: "tel:+14155550100"}
		m := []genesystest.Media{{State: "disconnected", Direction: dir}}
		switch media {
		case "chat":
			p.Chats = m
		case "email":
			p.Emails = m
		default:
			p.Calls = m
		}
		parts := []genesystest.Participant{p}
		if queue != "" {
			parts = append(parts, genesystest.Participant{Purpose: "acd", QueueID: queue, Calls: []genesystest.Media{{State: "disconnected", Direction: dir}}})
		}
		end := start.Add(time.Minute)
		s.g.AddConversation(genesystest.Conversation{StartTime: start, EndTime: &end, OriginatingDirection: dir, Participants: parts})
	}
	conv(now.Add(-time.Hour), "voice", support, "inbound")
	conv(now.Add(-2*time.Hour), "voice", support, "inbound")
	conv(now.Add(-3*time.Hour), "chat", sales, "inbound")
	conv(now.Add(-4*time.Hour), "voice", "", "outbound")
	conv(now.Add(-11*time.Hour), "voice", support, "inbound") // 23:30 yesterday UTC; today in UTC+1

	tok := s.g.UserToken(s.super[0])
	code, out := s.call(t, tok, "GetInteractionSummary", `{"utcOffsetMinutes":0}`)
	if code != 200 {
		t.Fatalf("GetInteractionSummary = %d %v", code, out)
	}
	d := out["d"].(map[string]any)
	if d["total"] != float64(4) || d["from"] != "2025-03-14T00:00:00Z" {
		t.Fatalf("UTC day: total %v from %v", d["total"], d["from"])
	}
	counts := func(key string) string {
		var parts []string
		for _, c := range d[key].([]any) {
			m := c.(map[string]any)
			parts = append(parts, fmt.Sprintf("%s=%v", m["name"], m["count"]))
		}
		return strings.Join(parts, ",")
	}
	if got := counts("byQueue"); got != "Support=2,=1,Sales=1" {
		t.Errorf("by queue = %s", got)
	}
	if got := counts("byMediaType"); got != "voice=3,chat=1" {
		t.Errorf("by media type = %s", got)
	}
	if got := counts("byDirection"); got != "inbound=3,outbound=1" {
		t.Errorf("by direction = %s", got)
	}
	// Another time zone is another day: the 23:30 UTC call is today in Paris (UTC+1).
	_, out = s.call(t, tok, "GetInteractionSummary", `{"utcOffsetMinutes":60}`)
	if d := out["d"].(map[string]any); d["total"] != float64(5) || d["from"] != "2025-03-13T23:00:00Z" {
		t.Errorf("UTC+1 day: total %v from %v", d["total"], d["from"])
	}
	queries := s.g.Requests("POST /api/v2/analytics/conversations/details/query")
	queueLookups := s.g.Requests("GET /api/v2/routing/queues/{queueId}")
	for range 5 {
		s.call(t, tok, "GetInteractionSummary", `{"utcOffsetMinutes":0}`)
	}
	if n := s.g.Requests("POST /api/v2/analytics/conversations/details/query"); n != queries {
		t.Errorf("repeated summaries within the interval queried analytics %d more times", n-queries)
	}
	s.clock.Advance(61 * time.Second)
	s.call(t, tok, "GetInteractionSummary", `{"utcOffsetMinutes":0}`)
	if n := s.g.Requests("GET /api/v2/routing/queues/{queueId}"); n != queueLookups {
		t.Errorf("queue names were looked up again (%d more)", n-queueLookups)
	}
	if code, out := s.call(t, tok, "GetInteractionSummary", `{"utcOffsetMinutes":900}`); code != 400 || !strings.Contains(out["Message"].(string), "utcOffsetMinutes") {
		t.Errorf("offset 900 = %d %v", code, out)
	}
}
