package genesys

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// pagedUsers serves total users over GET /api/v2/users with Genesys-style
// paging and relative nextUri, counting how often each page is asked for.
func pagedUsers(e *env, total int) (pageHits func() map[int]int) {
	var mu sync.Mutex
	hits := map[int]int{}
	e.f.handle("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		size, _ := strconv.Atoi(q.Get("pageSize"))
		if size == 0 {
			size = 25
		}
		num, _ := strconv.Atoi(q.Get("pageNumber"))
		if num == 0 {
			num = 1
		}
		mu.Lock()
		hits[num]++
		mu.Unlock()
		pages := (total + size - 1) / size
		// A struct, not a map, per user: the same JSON, without sorting
		// three keys for each of up to 10,050 users under the race detector.
		type user struct {
			ID    string `json:"id"`
			Name  string `json:"name"`
			State string `json:"state"`
		}
		var ents []user
		for i := (num - 1) * size; i < min(num*size, total); i++ {
			ents = append(ents, user{fmt.Sprintf("u-%05d", i), fmt.Sprintf("User %d", i), q.Get("state")})
		}
		body := map[string]any{"entities": ents, "pageSize": size, "pageNumber": num, "total": total, "pageCount": pages,
			"selfUri": r.URL.RequestURI()}
		if num < pages {
			next := fmt.Sprintf("/api/v2/users?pageSize=%d&pageNumber=%d", size, num+1)
			if s := q.Get("state"); s != "" {
				next += "&state=" + s
			}
			body["nextUri"] = next
		}
		writeJSON(w, 200, body)
	})
	return func() map[int]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[int]int{}
		for k, v := range hits {
			out[k] = v
		}
		return out
	}
}

// Done when: listing 10,050 users walks every page once.
func TestListAllWalksEveryPageOnce(t *testing.T) {
	t.Parallel() // CPU-heavy, independent: overlaps the other three
	e := newEnv(t, nil)
	hits := pagedUsers(e, 10050)
	users, err := e.c.Users.ListAll(context.Background(), &UserListOptions{State: "any"})
	if err != nil {
		t.Fatalf("ListAll: %v", err)
	}
	if len(users) != 10050 {
		t.Fatalf("users = %d, want 10050", len(users))
	}
	seen := map[string]bool{}
	for _, u := range users {
		if seen[u.ID] {
			t.Fatalf("duplicate %s", u.ID)
		}
		seen[u.ID] = true
		if u.State != "any" {
			t.Fatalf("state filter not carried to every page: %+v", u)
		}
	}
	h := hits()
	if len(h) != 101 {
		t.Fatalf("pages fetched = %d, want 101 (100 per page)", len(h))
	}
	for p := 1; p <= 101; p++ {
		if h[p] != 1 {
			t.Fatalf("page %d fetched %d times", p, h[p])
		}
	}
}

func TestListOnePage(t *testing.T) {
	e := newEnv(t, nil)
	pagedUsers(e, 60)
	p, err := e.c.Users.List(context.Background(), &UserListOptions{PageSize: 25, PageNumber: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Entities) != 10 || p.PageNumber != 3 || p.Total != 60 || p.PageCount != 3 || p.NextURI != "" {
		t.Fatalf("page = %+v", p)
	}
	if _, err := e.c.Users.List(context.Background(), &UserListOptions{State: "gone"}); err == nil || !strings.Contains(err.Error(), "State") {
		t.Fatalf("bad state: %v", err)
	}
}

func TestNextURIToOtherHostRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"entities": []map[string]any{{"id": "u"}}, "nextUri": "https://evil.example/api/v2/users?pageNumber=2"})
	})
	_, err := e.c.Users.ListAll(context.Background(), nil)
	if err == nil || !strings.Contains(err.Error(), "another host") {
		t.Fatalf("err = %v", err)
	}
	if e.f.count("GET /api/v2/users") != 1 {
		t.Fatal("followed")
	}
}

func TestNextURILoopStops(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"entities": []map[string]any{{"id": "u"}}, "nextUri": "/api/v2/users?pageNumber=2"})
	})
	if _, err := e.c.Users.ListAll(context.Background(), nil); err == nil || !strings.Contains(err.Error(), "repeats") {
		t.Fatalf("err = %v", err)
	}
}

func TestUserExpandPresenceAndRoutingStatus(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		if got := r.URL.Query().Get("expand"); got != "presence,routingStatus" {
			t.Errorf("expand = %q", got)
		}
		fmt.Fprint(w, `{"id":"u-1","name":"Ann","email":"ann@example.com","username":"ann@example.com","state":"active",
		  "primaryContactInfo":[{"address":"ann@example.com","mediaType":"EMAIL","type":"PRIMARY"}],
		  "presence":{"source":"PURECLOUD","presenceDefinition":{"id":"pd-1","systemPresence":"On Queue"},"modifiedDate":"2024-05-01T10:00:00.000Z"},
		  "routingStatus":{"userId":"u-1","status":"INTERACTING","startTime":"2024-05-01T10:01:02.345Z"},
		  "version":3,"selfUri":"/api/v2/users/u-1"}`)
	})
	u, err := e.c.Users.Get(context.Background(), "u-1", "presence", "routingStatus")
	if err != nil {
		t.Fatal(err)
	}
	if u.Presence.PresenceDefinition.SystemPresence != "On Queue" || u.RoutingStatus.Status != "INTERACTING" ||
		u.RoutingStatus.StartTime.Nanosecond() != 345e6 || u.PrimaryContactInfo[0].MediaType != "EMAIL" || u.Version != 3 {
		t.Fatalf("user = %+v", u)
	}
}

func TestUserListExpandAndIDs(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if q.Get("expand") != "presence,routingStatus" || q.Get("id") != "a,b" || q.Get("state") != "active" {
			t.Errorf("query = %v", q)
		}
		writeJSON(w, 200, map[string]any{"entities": []map[string]any{
			{"id": "a", "presence": map[string]any{"presenceDefinition": map[string]any{"systemPresence": "Available"}}, "routingStatus": map[string]any{"status": "IDLE"}},
		}})
	})
	p, err := e.c.Users.List(context.Background(), &UserListOptions{State: "active", Expand: []string{"presence", "routingStatus"}, IDs: []string{"a", "b"}})
	if err != nil || p.Entities[0].Presence.PresenceDefinition.SystemPresence != "Available" || p.Entities[0].RoutingStatus.Status != "IDLE" {
		t.Fatalf("%+v %v", p, err)
	}
}

func TestSearchByEmail(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("POST /api/v2/users/search", func(w http.ResponseWriter, r *http.Request) {
		var req UserSearchRequest
		json.NewDecoder(r.Body).Decode(&req)
		if len(req.Query) != 1 || req.Query[0].Type != "EXACT" || req.Query[0].Fields[0] != "email" || req.Query[0].Value != "ann@example.com" {
			t.Errorf("search body = %+v", req)
		}
		writeJSON(w, 200, map[string]any{"total": 1, "results": []map[string]any{{"id": "u-1", "email": "ann@example.com"}}})
	})
	us, err := e.c.Users.SearchByEmail(context.Background(), " ann@example.com ")
	if err != nil || len(us) != 1 || us[0].ID != "u-1" {
		t.Fatalf("%+v %v", us, err)
	}
}

func TestMeWithUserToken(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/me", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer user-tok" || r.URL.Query().Get("expand") != "organization,authorization" {
			t.Errorf("auth %q expand %q", r.Header.Get("Authorization"), r.URL.Query().Get("expand"))
		}
		fmt.Fprint(w, `{"id":"u-1","name":"Ann","organization":{"id":"org-1","name":"Acme"},"authorization":{"roles":[{"id":"r1","name":"admin"}],"permissions":["integrations:integration:view"]}}`)
	})
	me, err := e.c.WithToken("user-tok").Users.Me(context.Background(), "organization", "authorization")
	if err != nil || me.ID != "u-1" || me.Organization.ID != "org-1" || me.Authorization.Permissions[0] != "integrations:integration:view" || me.Authorization.Roles[0].Name != "admin" {
		t.Fatalf("%+v %v", me, err)
	}
	if e.f.tokenCalls.Load() != 0 {
		t.Fatal("fetched a client-credentials token for a user call")
	}
}

func TestEmptyIDRefused(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.c.Users.Get(context.Background(), " "); err == nil || !strings.Contains(err.Error(), "user id") {
		t.Fatalf("err = %v", err)
	}
}

func TestIDsEscapedInPath(t *testing.T) {
	e := newEnv(t, nil)
	e.f.handle("GET /api/v2/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"id": r.PathValue("id")})
	})
	u, err := e.c.Users.Get(context.Background(), "a/b?c")
	if err != nil || u.ID != "a/b?c" {
		t.Fatalf("%+v %v", u, err)
	}
}
