package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// recorder answers every API request with a canned body and remembers it.
type recorder struct {
	mu     sync.Mutex
	method string
	uri    string
	body   string
	status int
	answer string
}

func (rec *recorder) install(e *env) {
	e.f.handle("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.method, rec.uri, rec.body = r.Method, r.URL.RequestURI(), string(b)
		status, answer := rec.status, rec.answer
		rec.mu.Unlock()
		if status == 0 {
			status = 200
		}
		w.WriteHeader(status)
		fmt.Fprint(w, answer)
	})
}

func (rec *recorder) set(status int, answer string) {
	rec.mu.Lock()
	rec.status, rec.answer = status, answer
	rec.mu.Unlock()
}

func jsonEq(t *testing.T, got, want string) {
	t.Helper()
	if want == "" {
		if got != "" {
			t.Errorf("body = %s, want none", got)
		}
		return
	}
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("request body %q: %v", got, err)
	}
	json.Unmarshal([]byte(want), &w)
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body\n got %s\nwant %s", gb, wb)
	}
}

func TestServicesWire(t *testing.T) {
	e := newEnv(t, nil)
	rec := &recorder{}
	rec.install(e)
	ctx := context.Background()
	c := e.c
	cases := []struct {
		name       string
		status     int
		answer     string
		call       func() (any, error)
		method     string
		uri        string
		body       string
		check      func(v any) bool
		area, tmpl string
	}{
		{name: "org me", answer: `{"id":"org-1","name":"Acme","thirdPartyOrgName":"acme"}`,
			call: func() (any, error) { return c.Organizations.Me(ctx) }, method: "GET", uri: "/api/v2/organizations/me",
			check: func(v any) bool { o := v.(*Organization); return o.ID == "org-1" && o.ThirdPartyOrgName == "acme" },
			area:  "organizations", tmpl: "/api/v2/organizations/me"},
		{name: "conversation get",
			answer: `{"id":"c-1","participants":[{"id":"p-1","purpose":"customer","ani":"tel:+353861234567","attributes":{"CaseId":"C-9"},
				"calls":[{"id":"call-1","state":"connected","direction":"inbound","other":{"addressNormalized":"tel:+353861234567"}}],
				"wrapup":{"code":"wc-1","notes":"n"}}]}`,
			call: func() (any, error) { return c.Conversations.Get(ctx, "c-1") }, method: "GET", uri: "/api/v2/conversations/c-1",
			check: func(v any) bool {
				p := v.(*Conversation).Participants[0]
				return p.Attributes["CaseId"] == "C-9" && p.Ani == "tel:+353861234567" && p.Calls[0].Other.AddressNormalized == "tel:+353861234567" && p.Wrapup.Code == "wc-1"
			},
			area: "conversations", tmpl: "/api/v2/conversations/{id}"},
		{name: "patch attributes", status: 202,
			call: func() (any, error) {
				return nil, c.Conversations.PatchParticipantAttributes(ctx, "c-1", "p-1", map[string]string{"CaseId": "C-1"})
			},
			method: "PATCH", uri: "/api/v2/conversations/c-1/participants/p-1/attributes", body: `{"attributes":{"CaseId":"C-1"}}`,
			area: "conversations", tmpl: "/api/v2/conversations/{id}/participants/{participantId}/attributes"},
		{name: "create call", answer: `{"id":"conv-new","selfUri":"/api/v2/conversations/conv-new"}`,
			call: func() (any, error) {
				return c.Conversations.CreateCall(ctx, &CreateCallRequest{PhoneNumber: "+353861234567", Attributes: map[string]string{"CaseId": "C-1"}})
			},
			method: "POST", uri: "/api/v2/conversations/calls", body: `{"phoneNumber":"+353861234567","attributes":{"CaseId":"C-1"}}`,
			check: func(v any) bool { return v.(string) == "conv-new" }, area: "conversations", tmpl: "/api/v2/conversations/calls"},
		{name: "analytics query", answer: `{"totalHits":1,"conversations":[{"conversationId":"c-1","originatingDirection":"inbound",
				"participants":[{"participantId":"p","purpose":"agent","userId":"u-1","sessions":[{"mediaType":"voice","ani":"tel:+1","segments":[{"segmentType":"wrapup","wrapUpCode":"wc-1","queueId":"q-1"}]}]}]}]}`,
			call: func() (any, error) {
				return c.Analytics.QueryConversationDetails(ctx, &ConversationQuery{Interval: "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z",
					Order: "asc", OrderBy: "conversationStart", Paging: &PagingSpec{PageSize: 100, PageNumber: 1},
					SegmentFilters: []DetailFilter{{Type: "or", Predicates: []DetailPredicate{{Dimension: "mediaType", Value: "voice"}}}}})
			},
			method: "POST", uri: "/api/v2/analytics/conversations/details/query",
			body: `{"interval":"2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z","order":"asc","orderBy":"conversationStart","paging":{"pageSize":100,"pageNumber":1},"segmentFilters":[{"type":"or","predicates":[{"dimension":"mediaType","value":"voice"}]}]}`,
			check: func(v any) bool {
				r := v.(*ConversationQueryResponse)
				return r.TotalHits == 1 && r.Conversations[0].Participants[0].Sessions[0].Segments[0].WrapUpCode == "wc-1"
			},
			area: "analytics", tmpl: "/api/v2/analytics/conversations/details/query"},
		{name: "job create", status: 202, answer: `{"jobId":"job-1"}`,
			call: func() (any, error) {
				return c.Analytics.CreateDetailsJob(ctx, &AsyncConversationQuery{Interval: "2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"})
			},
			method: "POST", uri: "/api/v2/analytics/conversations/details/jobs", body: `{"interval":"2024-05-01T00:00:00Z/2024-05-02T00:00:00Z"}`,
			check: func(v any) bool { return v.(string) == "job-1" }, area: "analytics", tmpl: "/api/v2/analytics/conversations/details/jobs"},
		{name: "job status", answer: `{"state":"FULFILLED","completionDate":"2024-05-02T01:00:00.000Z"}`,
			call: func() (any, error) { return c.Analytics.GetDetailsJob(ctx, "job-1") }, method: "GET", uri: "/api/v2/analytics/conversations/details/jobs/job-1",
			check: func(v any) bool { return v.(*DetailsJobStatus).State == "FULFILLED" }, area: "analytics", tmpl: "/api/v2/analytics/conversations/details/jobs/{id}"},
		{name: "job results", answer: `{"conversations":[{"conversationId":"c","participants":[{"participantId":"p","attributes":{"CaseId":"C-1"}}]}],"cursor":"next-c"}`,
			call: func() (any, error) { return c.Analytics.GetDetailsJobResults(ctx, "job-1", "cur 1", 500) }, method: "GET",
			uri: "/api/v2/analytics/conversations/details/jobs/job-1/results?cursor=cur+1&pageSize=500",
			check: func(v any) bool {
				r := v.(*DetailsJobResults)
				return r.Cursor == "next-c" && r.Conversations[0].Participants[0].Attributes["CaseId"] == "C-1"
			},
			area: "analytics", tmpl: "/api/v2/analytics/conversations/details/jobs/{id}/results"},
		{name: "integrations list", answer: `{"entities":[{"id":"i-1","intendedState":"ENABLED","integrationType":{"id":"embedded-client-app"},"reportedState":{"code":"ACTIVE"}}],"total":1}`,
			call: func() (any, error) {
				return c.Integrations.List(ctx, &IntegrationListOptions{PageSize: 50, IntegrationType: "embedded-client-app"})
			},
			method: "GET", uri: "/api/v2/integrations?integrationType=embedded-client-app&pageSize=50",
			check: func(v any) bool {
				p := v.(*Page[Integration])
				return p.Entities[0].ReportedState.Code == "ACTIVE" && p.Entities[0].IntegrationType.ID == "embedded-client-app"
			},
			area: "integrations", tmpl: "/api/v2/integrations"},
		{name: "integration create", answer: `{"id":"i-2","name":"DCM"}`,
			call: func() (any, error) {
				return c.Integrations.Create(ctx, "DCM", "embedded-client-app-interaction-widget")
			},
			method: "POST", uri: "/api/v2/integrations", body: `{"name":"DCM","integrationType":{"id":"embedded-client-app-interaction-widget"}}`,
			check: func(v any) bool { return v.(*Integration).ID == "i-2" }, area: "integrations", tmpl: "/api/v2/integrations"},
		{name: "integration patch", answer: `{"id":"i-2","intendedState":"ENABLED"}`,
			call:   func() (any, error) { return c.Integrations.Patch(ctx, "i-2", &Integration{IntendedState: "ENABLED"}) },
			method: "PATCH", uri: "/api/v2/integrations/i-2", body: `{"intendedState":"ENABLED"}`,
			check: func(v any) bool { return v.(*Integration).IntendedState == "ENABLED" }, area: "integrations", tmpl: "/api/v2/integrations/{id}"},
		{name: "integration delete", status: 204, call: func() (any, error) { return nil, c.Integrations.Delete(ctx, "i-2") },
			method: "DELETE", uri: "/api/v2/integrations/i-2", area: "integrations", tmpl: "/api/v2/integrations/{id}"},
		{name: "config get", answer: `{"name":"DCM","version":2,"properties":{"url":"https://dcm.example/","sandbox":"allow-scripts"},"advanced":{},"credentials":{}}`,
			call:   func() (any, error) { return c.Integrations.GetConfig(ctx, "i-2") },
			method: "GET", uri: "/api/v2/integrations/i-2/config/current",
			check: func(v any) bool {
				cfg := v.(*IntegrationConfiguration)
				return cfg.Version == 2 && cfg.Properties["url"] == "https://dcm.example/"
			},
			area: "integrations", tmpl: "/api/v2/integrations/{id}/config/current"},
		{name: "config put", answer: `{"name":"DCM","version":2}`,
			call: func() (any, error) {
				return c.Integrations.PutConfig(ctx, "i-2", &IntegrationConfiguration{Name: "DCM", Version: 1, Properties: map[string]any{"url": "https://dcm.example/"}})
			},
			method: "PUT", uri: "/api/v2/integrations/i-2/config/current",
			body:  `{"name":"DCM","version":1,"properties":{"url":"https://dcm.example/"},"advanced":{},"notes":"","credentials":{}}`,
			check: func(v any) bool { return v.(*IntegrationConfiguration).Version == 2 }, area: "integrations", tmpl: "/api/v2/integrations/{id}/config/current"},
		{name: "types", answer: `{"entities":[{"id":"embedded-client-app","name":"Client Application"}]}`,
			call:   func() (any, error) { return c.Integrations.ListTypes(ctx, &ListOptions{PageSize: 100, PageNumber: 2}) },
			method: "GET", uri: "/api/v2/integrations/types?pageNumber=2&pageSize=100",
			check: func(v any) bool { return v.(*Page[IntegrationType]).Entities[0].ID == "embedded-client-app" },
			area:  "integrations", tmpl: "/api/v2/integrations/types"},
		{name: "client apps", answer: `{"entities":[{"id":"i-1","integrationType":{"id":"premium-app-example"}}]}`,
			call:   func() (any, error) { return c.Integrations.ListClientApps(ctx, &ListOptions{PageSize: 1000}) },
			method: "GET", uri: "/api/v2/integrations/clientapps?pageSize=1000", area: "integrations", tmpl: "/api/v2/integrations/clientapps"},
		{name: "roles by name", answer: `{"entities":[{"id":"r-1","name":"employee"}]}`,
			call:   func() (any, error) { return c.Authorization.ListRoles(ctx, &RoleListOptions{Name: "employee"}) },
			method: "GET", uri: "/api/v2/authorization/roles?name=employee",
			check: func(v any) bool { return v.(*Page[Role]).Entities[0].ID == "r-1" }, area: "authorization", tmpl: "/api/v2/authorization/roles"},
		{name: "role create", answer: `{"id":"r-2","name":"DCM_Role"}`,
			call: func() (any, error) {
				return c.Authorization.CreateRole(ctx, &Role{Name: "DCM_Role", PermissionPolicies: []PermissionPolicy{{Domain: "integrations", EntityName: "integration", ActionSet: []string{"view"}}}})
			},
			method: "POST", uri: "/api/v2/authorization/roles",
			body: `{"name":"DCM_Role","permissionPolicies":[{"domain":"integrations","entityName":"integration","actionSet":["view"],"allowConditions":false}]}`,
			area: "authorization", tmpl: "/api/v2/authorization/roles"},
		{name: "role users add", answer: `["u-1"]`,
			call:   func() (any, error) { return c.Authorization.AddRoleUsers(ctx, "r-2", "u-1") },
			method: "PUT", uri: "/api/v2/authorization/roles/r-2/users/add", body: `["u-1"]`,
			check: func(v any) bool { return v.([]string)[0] == "u-1" }, area: "authorization", tmpl: "/api/v2/authorization/roles/{id}/users/add"},
		{name: "role delete", status: 204, call: func() (any, error) { return nil, c.Authorization.DeleteRole(ctx, "r-2") },
			method: "DELETE", uri: "/api/v2/authorization/roles/r-2", area: "authorization", tmpl: "/api/v2/authorization/roles/{id}"},
		{name: "group search", answer: `{"total":1,"results":[{"id":"g-1","name":"DCM_Agents"}]}`,
			call:   func() (any, error) { return c.Groups.Search(ctx, "DCM_") },
			method: "POST", uri: "/api/v2/groups/search", body: `{"pageSize":100,"query":[{"fields":["name"],"type":"STARTS_WITH","value":"DCM_"}]}`,
			check: func(v any) bool { return v.([]Group)[0].ID == "g-1" }, area: "groups", tmpl: "/api/v2/groups/search"},
		{name: "group create", answer: `{"id":"g-2","name":"DCM_Agents","version":1}`,
			call:   func() (any, error) { return c.Groups.Create(ctx, &Group{Name: "DCM_Agents"}) },
			method: "POST", uri: "/api/v2/groups", body: `{"name":"DCM_Agents","type":"official","visibility":"public","rulesVisible":false}`,
			area: "groups", tmpl: "/api/v2/groups"},
		{name: "group members", status: 202, call: func() (any, error) { return nil, c.Groups.AddMembers(ctx, "g-2", 1, "u-1") },
			method: "POST", uri: "/api/v2/groups/g-2/members", body: `{"memberIds":["u-1"],"version":1}`, area: "groups", tmpl: "/api/v2/groups/{id}/members"},
		{name: "group delete", status: 204, call: func() (any, error) { return nil, c.Groups.Delete(ctx, "g-2") },
			method: "DELETE", uri: "/api/v2/groups/g-2", area: "groups", tmpl: "/api/v2/groups/{id}"},
		{name: "oauth create", answer: `{"id":"oc-1","name":"DCM","secret":"new-secret","authorizedGrantType":"CLIENT-CREDENTIALS"}`,
			call: func() (any, error) {
				return c.OAuthClients.Create(ctx, &OAuthClient{Name: "DCM", AuthorizedGrantType: "CLIENT-CREDENTIALS", AccessTokenValiditySeconds: 86400, RoleIDs: []string{"r-1"}})
			},
			method: "POST", uri: "/api/v2/oauth/clients", body: `{"name":"DCM","accessTokenValiditySeconds":86400,"roleIds":["r-1"],"authorizedGrantType":"CLIENT-CREDENTIALS"}`,
			check: func(v any) bool { return v.(*OAuthClient).Secret == "new-secret" }, area: "oauth", tmpl: "/api/v2/oauth/clients"},
		{name: "oauth list", answer: `{"entities":[{"id":"oc-1","name":"DCM"}]}`,
			call:   func() (any, error) { return c.OAuthClients.List(ctx) },
			method: "GET", uri: "/api/v2/oauth/clients", check: func(v any) bool { return v.([]OAuthClient)[0].ID == "oc-1" },
			area: "oauth", tmpl: "/api/v2/oauth/clients"},
		{name: "oauth get", answer: `{"id":"oc-1","name":"DCM"}`, call: func() (any, error) { return c.OAuthClients.Get(ctx, "oc-1") },
			method: "GET", uri: "/api/v2/oauth/clients/oc-1", area: "oauth", tmpl: "/api/v2/oauth/clients/{id}"},
		{name: "oauth update", answer: `{"id":"oc-1","name":"DCM","state":"inactive"}`,
			call: func() (any, error) {
				return c.OAuthClients.Update(ctx, "oc-1", &OAuthClient{Name: "DCM", AuthorizedGrantType: "CODE", State: "inactive"})
			},
			method: "PUT", uri: "/api/v2/oauth/clients/oc-1", body: `{"name":"DCM","authorizedGrantType":"CODE","state":"inactive"}`,
			area: "oauth", tmpl: "/api/v2/oauth/clients/{id}"},
		{name: "oauth delete", status: 204, call: func() (any, error) { return nil, c.OAuthClients.Delete(ctx, "oc-1") },
			method: "DELETE", uri: "/api/v2/oauth/clients/oc-1", area: "oauth", tmpl: "/api/v2/oauth/clients/{id}"},
		{name: "queue", answer: `{"id":"q-1","name":"Support"}`, call: func() (any, error) { return c.Routing.GetQueue(ctx, "q-1") },
			method: "GET", uri: "/api/v2/routing/queues/q-1", check: func(v any) bool { return v.(*Queue).Name == "Support" },
			area: "routing", tmpl: "/api/v2/routing/queues/{id}"},
		{name: "wrapup code", answer: `{"id":"wc-1","name":"Resolved"}`, call: func() (any, error) { return c.Routing.GetWrapupCode(ctx, "wc-1") },
			method: "GET", uri: "/api/v2/routing/wrapupcodes/wc-1", check: func(v any) bool { return v.(*WrapupCode).Name == "Resolved" },
			area: "routing", tmpl: "/api/v2/routing/wrapupcodes/{id}"},
		{name: "wrapup list", answer: `{"entities":[{"id":"wc-1","name":"Resolved"}]}`,
			call:   func() (any, error) { return c.Routing.ListWrapupCodes(ctx, &ListOptions{PageSize: 10}) },
			method: "GET", uri: "/api/v2/routing/wrapupcodes?pageSize=10", area: "routing", tmpl: "/api/v2/routing/wrapupcodes"},
		{name: "tokens me", answer: `{"organization":{"id":"org-1"},"dateTokenIdles":"2024-05-01T10:00:00.000Z"}`,
			call: func() (any, error) { return c.Tokens.Me(ctx) }, method: "GET", uri: "/api/v2/tokens/me",
			check: func(v any) bool { return v.(*TokenInfo).DateTokenIdles.Hour() == 10 }, area: "tokens", tmpl: "/api/v2/tokens/me"},
	}
	for _, tc := range cases {
		rec.set(tc.status, tc.answer)
		v, err := tc.call()
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		rec.mu.Lock()
		method, uri, body := rec.method, rec.uri, rec.body
		rec.mu.Unlock()
		if method != tc.method || uri != tc.uri {
			t.Errorf("%s: sent %s %s, want %s %s", tc.name, method, uri, tc.method, tc.uri)
		}
		jsonEq(t, body, tc.body)
		if tc.check != nil && !tc.check(v) {
			t.Errorf("%s: decoded %+v", tc.name, v)
		}
		status := tc.status
		if status == 0 {
			status = 200
		}
		if got := counterValue(t, c.core.metrics.requests.WithLabelValues(tc.area, tc.tmpl, tc.method, fmt.Sprint(status))); got < 1 {
			t.Errorf("%s: not counted under area=%s route=%s", tc.name, tc.area, tc.tmpl)
		}
	}
}

// Metric labels carry route templates only: no raw ids, no tokens.
func TestMetricLabelsHoldNoIDsOrTokens(t *testing.T) {
	e := newEnv(t, nil)
	rec := &recorder{}
	rec.install(e)
	rec.set(200, `{"id":"x"}`)
	ctx := context.Background()
	e.c.Users.Get(ctx, "raw-user-id-123")
	e.c.WithToken("user-secret-token").Conversations.Get(ctx, "raw-conv-id-456")
	e.c.VerifyUserToken(ctx, "verify-secret-token")
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, mf := range mfs {
		sb.WriteString(mf.String())
	}
	all := sb.String()
	for _, bad := range []string{"raw-user-id-123", "raw-conv-id-456", "user-secret-token", "verify-secret-token", "tok-1", testClientSecret} {
		if strings.Contains(all, bad) {
			t.Errorf("metrics contain %q", bad)
		}
	}
	if !strings.Contains(all, "/api/v2/users/{id}") {
		t.Error("route template missing from metrics")
	}
}

func TestQueryAllConversationDetailsPagesUntilShortPage(t *testing.T) {
	e := newEnv(t, nil)
	var pages []int
	var mu sync.Mutex
	e.f.handle("POST /api/v2/analytics/conversations/details/query", func(w http.ResponseWriter, r *http.Request) {
		var q ConversationQuery
		json.NewDecoder(r.Body).Decode(&q)
		mu.Lock()
		pages = append(pages, q.Paging.PageNumber)
		mu.Unlock()
		const total = 250
		var convs []map[string]any
		for i := (q.Paging.PageNumber - 1) * q.Paging.PageSize; i < min(total, q.Paging.PageNumber*q.Paging.PageSize); i++ {
			convs = append(convs, map[string]any{"conversationId": fmt.Sprint("c-", i)})
		}
		writeJSON(w, 200, map[string]any{"conversations": convs, "totalHits": total})
	})
	q := &ConversationQuery{Interval: "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z"}
	all, err := e.c.Analytics.QueryAllConversationDetails(context.Background(), q)
	if err != nil || len(all) != 250 || all[249].ConversationID != "c-249" {
		t.Fatalf("%d conversations, %v", len(all), err)
	}
	if fmt.Sprint(pages) != "[1 2 3]" {
		t.Fatalf("pages = %v", pages)
	}
	if q.Paging != nil {
		t.Fatal("caller's query modified")
	}
}

func TestListAllWrapupCodesAndTypes(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/routing/wrapupcodes", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("pageNumber") == "2" {
			writeJSON(w, 200, map[string]any{"entities": []map[string]any{{"id": "b"}}})
			return
		}
		writeJSON(w, 200, map[string]any{"entities": []map[string]any{{"id": "a"}}, "nextUri": "/api/v2/routing/wrapupcodes?pageSize=100&pageNumber=2"})
	})
	codes, err := e.c.Routing.ListAllWrapupCodes(context.Background())
	if err != nil || len(codes) != 2 || codes[1].ID != "b" {
		t.Fatalf("%+v %v", codes, err)
	}
}

func TestNextPathForms(t *testing.T) {
	c, _ := New(Options{APIURL: "https://proxy.example/genesys", LoginURL: "https://login.x"})
	for in, want := range map[string]string{
		"/api/v2/users?pageNumber=2":                                      "/api/v2/users?pageNumber=2",
		"https://proxy.example/genesys/api/v2/users?pageNumber=2":         "/api/v2/users?pageNumber=2",
		"https://proxy.example/api/v2/users?pageNumber=3&expand=presence": "/api/v2/users?pageNumber=3&expand=presence",
	} {
		got, err := c.core.nextPath(in)
		if err != nil || got != want {
			t.Errorf("nextPath(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"https://other.example/api/v2/users", "/oauth/token", "::"} {
		if _, err := c.core.nextPath(bad); err == nil {
			t.Errorf("nextPath(%q) accepted", bad)
		}
	}
}
