package genesystest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestUserPagingWalksEveryPageWithNextURI(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	const active, inactive = 1234, 17
	for i := range active + inactive {
		u := User{Name: fmt.Sprintf("User %05d", i), Email: fmt.Sprintf("u%d@example.com", i)}
		if i < inactive {
			u.State = "inactive"
		}
		s.AddUser(u)
	}
	seen := map[string]bool{}
	path, pages := "/api/v2/users?pageSize=100&expand=presence", 0
	for path != "" {
		r := api(t, s, "GET", path, tok, nil)
		wantStatus(t, r, http.StatusOK)
		m := r.json(t)
		pages++
		if m["total"] != float64(active) || m["pageCount"] != float64(13) || m["pageSize"] != float64(100) {
			t.Fatalf("page %d header: total=%v pageCount=%v pageSize=%v", pages, m["total"], m["pageCount"], m["pageSize"])
		}
		for _, e := range m["entities"].([]any) {
			u := e.(map[string]any)
			if seen[u["id"].(string)] {
				t.Fatalf("user %v seen twice", u["id"])
			}
			if u["state"] != "active" || u["presence"] == nil {
				t.Fatalf("entity %v: state %v, presence %v", u["id"], u["state"], u["presence"])
			}
			seen[u["id"].(string)] = true
		}
		next, has := m["nextUri"]
		if has && (next == nil || !strings.HasPrefix(next.(string), "/api/v2/users?")) {
			t.Fatalf("nextUri %v is not a relative users URI", next)
		}
		path, _ = next.(string)
	}
	if len(seen) != active || pages != 13 {
		t.Fatalf("walked %d users in %d pages, want %d in 13", len(seen), pages, active)
	}
	if got := s.Requests("GET /api/v2/users"); got != pages {
		t.Fatalf("Requests = %d, want %d", got, pages)
	}
}

// The list route keeps its filtered, sorted users between pages; a user
// added or changed shows in the next listing, and a descending listing
// leaves the ascending one as it was.
func TestListUsersFollowsChangesBetweenListings(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	names := func(path string) []string {
		t.Helper()
		var out []string
		for _, e := range api(t, s, "GET", path, tok, nil).json(t)["entities"].([]any) {
			out = append(out, e.(map[string]any)["name"].(string))
		}
		return out
	}
	same := func(got []string, want ...string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Fatalf("users %v, want %v", got, want)
		}
	}
	s.AddUser(User{Name: "Bob"})
	cid := s.AddUser(User{Name: "Cid"})
	same(names("/api/v2/users"), "Bob", "Cid")
	same(names("/api/v2/users?sortOrder=desc"), "Cid", "Bob")
	same(names("/api/v2/users"), "Bob", "Cid")
	s.AddUser(User{Name: "Ann"})
	same(names("/api/v2/users"), "Ann", "Bob", "Cid")
	if err := s.UpdateUser(cid.ID, func(u *User) { u.State = "inactive" }); err != nil {
		t.Fatal(err)
	}
	same(names("/api/v2/users"), "Ann", "Bob")
	same(names("/api/v2/users?state=inactive"), "Cid")
	same(names("/api/v2/users?state=any&pageSize=2&pageNumber=2"), "Cid")
}

func TestListUsersFiltersAndExpands(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	a := s.AddUser(User{Name: "Ann", Presence: "ON_QUEUE", RoutingStatus: "IDLE"})
	b := s.AddUser(User{Name: "Bob", State: "inactive"})
	s.AddUser(User{Name: "Cid", State: "deleted"})

	m := api(t, s, "GET", "/api/v2/users?state=any", tok, nil).json(t)
	if m["total"] != float64(3) {
		t.Fatalf("state=any total %v", m["total"])
	}
	m = api(t, s, "GET", "/api/v2/users?id="+a.ID+","+b.ID+"&state=any&expand=presence&expand=routingStatus", tok, nil).json(t)
	es := m["entities"].([]any)
	if len(es) != 2 {
		t.Fatalf("id filter returned %d users", len(es))
	}
	ann := es[0].(map[string]any)
	pd := ann["presence"].(map[string]any)["presenceDefinition"].(map[string]any)
	if pd["systemPresence"] != "On Queue" || ann["routingStatus"].(map[string]any)["status"] != "IDLE" {
		t.Fatalf("expands: %v", ann)
	}
	if es[1].(map[string]any)["presence"] == nil {
		t.Fatal("repeated expand key ignored")
	}
	r := api(t, s, "GET", "/api/v2/users?state=bogus", tok, nil)
	if m := wantAPIError(t, r, http.StatusBadRequest, "bad.request"); !strings.Contains(m["message"].(string), "state") {
		t.Fatalf("message does not name the field: %v", m["message"])
	}
	if m := api(t, s, "GET", "/api/v2/users?pageSize=5000", tok, nil).json(t); m["pageSize"] != float64(500) {
		t.Fatalf("pageSize not clamped: %v", m["pageSize"])
	}
}

func TestGetUserAndErrorBody(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	u := s.AddUser(User{Name: "Ann", Email: "ann@example.com", Phone: "+3225550000"})
	r := api(t, s, "GET", "/api/v2/users/"+u.ID, tok, nil)
	wantStatus(t, r, http.StatusOK)
	m := r.json(t)
	if m["id"] != u.ID || m["username"] != "ann@example.com" || m["version"] != float64(1) || m["selfUri"] != "/api/v2/users/"+u.ID {
		t.Fatalf("user %s", r.body)
	}
	if m["presence"] != nil {
		t.Fatal("presence present without expand")
	}
	if div := m["division"].(map[string]any); div["name"] != "Home" || len(div["id"].(string)) != 36 {
		t.Fatalf("division %v", div)
	}
	e := wantAPIError(t, api(t, s, "GET", "/api/v2/users/00000000-0000-0000-0000-000000000000", tok, nil), http.StatusNotFound, "not.found")
	for _, k := range []string{"details", "errors"} {
		if _, ok := e[k].([]any); !ok {
			t.Fatalf("error body lacks %s array", k)
		}
	}
}

func TestUsersMe(t *testing.T) {
	s := newFake(t)
	s.SetOrg("org-1", "Acme")
	cc := seededClient(t, s)
	r := api(t, s, "GET", "/api/v2/users/me", cc, nil)
	if m := wantAPIError(t, r, http.StatusBadRequest, "bad.request"); !strings.Contains(m["message"].(string), "user context") {
		t.Fatalf("message %v", m["message"])
	}
	role := s.AddRole(Role{Name: "agent", PermissionPolicies: []PermissionPolicy{{Domain: "conversation", EntityName: "communication", ActionSet: []string{"view"}}}})
	u := s.AddUser(User{Name: "Ann", Permissions: []string{"integrations:integration:view"}, Roles: []string{role.ID}})
	m := api(t, s, "GET", "/api/v2/users/me?expand=organization,authorization", s.UserToken(u.ID), nil).json(t)
	if org := m["organization"].(map[string]any); org["id"] != "org-1" || org["name"] != "Acme" {
		t.Fatalf("organization %v", org)
	}
	auth := m["authorization"].(map[string]any)
	perms := fmt.Sprint(auth["permissions"])
	if !strings.Contains(perms, "integrations:integration:view") || !strings.Contains(perms, "conversation:communication:view") {
		t.Fatalf("permissions %v", perms)
	}
	if roles := auth["roles"].([]any); len(roles) != 1 || roles[0].(map[string]any)["id"] != role.ID {
		t.Fatalf("roles %v", roles)
	}
}

func TestTokenOfAnotherOrg(t *testing.T) {
	s := newFake(t)
	s.AddOrg("org-2", "Other")
	cc := seededClient(t, s)
	home := s.AddUser(User{Name: "Home"})
	other := s.AddUser(User{Name: "Stranger", OrgID: "org-2"})
	m := api(t, s, "GET", "/api/v2/users/me?expand=organization", s.UserToken(other.ID), nil).json(t)
	if m["organization"].(map[string]any)["id"] != "org-2" {
		t.Fatalf("organization %v", m["organization"])
	}
	// Each org sees only its own users.
	if m := api(t, s, "GET", "/api/v2/users", cc, nil).json(t); m["total"] != float64(1) {
		t.Fatalf("home org lists %v users", m["total"])
	}
	wantStatus(t, api(t, s, "GET", "/api/v2/users/"+home.ID, s.UserToken(other.ID), nil), http.StatusNotFound)
}

func TestUserSearch(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	for i := range 30 {
		s.AddUser(User{Name: fmt.Sprintf("Agent %02d", i), Email: fmt.Sprintf("agent%02d@example.com", i)})
	}
	s.AddUser(User{Name: "Gone", Email: "gone@example.com", State: "inactive"})
	jane := s.AddUser(User{Name: "Jane", Email: "Jane.Doe@Example.com"})

	exact := func(email string) map[string]any {
		return api(t, s, "POST", "/api/v2/users/search", tok, map[string]any{
			"pageSize": 25, "pageNumber": 1,
			"query": []map[string]any{{"type": "EXACT", "fields": []string{"email"}, "value": email}},
		}).json(t)
	}
	m := exact("jane.doe@example.com")
	if m["total"] != float64(1) || m["results"].([]any)[0].(map[string]any)["id"] != jane.ID {
		t.Fatalf("exact search %v", m)
	}
	// results is required in UsersSearchResponse: an empty search sends [].
	if m := exact("gone@example.com"); m["total"] != float64(0) || m["results"] == nil || len(m["results"].([]any)) != 0 {
		t.Fatalf("inactive user found, or empty results missing: %v", m)
	}
	if m := exact("jane"); m["total"] != float64(0) {
		t.Fatal("EXACT matched a prefix")
	}

	// Page through a CONTAINS search with q64.
	m = api(t, s, "POST", "/api/v2/users/search", tok, map[string]any{
		"pageSize": 10, "query": []map[string]any{{"type": "CONTAINS", "fields": []string{"email"}, "value": "agent"}},
	}).json(t)
	seen := map[string]bool{}
	for {
		for _, r := range m["results"].([]any) {
			seen[r.(map[string]any)["id"].(string)] = true
		}
		next, _ := m["nextPage"].(string)
		if next == "" {
			break
		}
		m = api(t, s, "GET", "/api/v2/users/search?q64="+url.QueryEscape(next), tok, nil).json(t)
	}
	if len(seen) != 30 {
		t.Fatalf("q64 paging saw %d users, want 30", len(seen))
	}
	r := api(t, s, "POST", "/api/v2/users/search", tok, map[string]any{
		"query": []map[string]any{{"type": "REGEX", "fields": []string{"email"}, "value": ".*"}},
	})
	wantAPIError(t, r, http.StatusBadRequest, "bad.request")
	wantAPIError(t, api(t, s, "GET", "/api/v2/users/search?q64=%%%", tok, nil), http.StatusBadRequest, "bad.request")
}

func TestUsersMeExpandGroups(t *testing.T) {
	s := newFake(t)
	ann := s.AddUser(User{Name: "Ann", Email: "ann@example.com"})
	ben := s.AddUser(User{Name: "Ben", Email: "ben@example.com"})
	g := s.AddGroup(Group{Name: "Team Leads", MemberIDs: []string{ann.ID}})
	body := api(t, s, "GET", "/api/v2/users/me?expand=groups", s.UserToken(ann.ID), nil).json(t)
	groups, _ := body["groups"].([]any)
	if len(groups) != 1 || groups[0].(map[string]any)["id"] != g.ID || groups[0].(map[string]any)["name"] != "Team Leads" {
		t.Fatalf("ann's groups = %v", body["groups"])
	}
	body = api(t, s, "GET", "/api/v2/users/me?expand=groups", s.UserToken(ben.ID), nil).json(t)
	if groups, _ := body["groups"].([]any); len(groups) != 0 {
		t.Fatalf("ben is in no group, got %v", groups)
	}
	body = api(t, s, "GET", "/api/v2/users/me", s.UserToken(ann.ID), nil).json(t)
	if _, ok := body["groups"]; ok {
		t.Fatal("groups sent without expand=groups")
	}
}

func TestTokensMeReportsExpiry(t *testing.T) {
	s := newFake(t)
	ann := s.AddUser(User{Name: "Ann", Email: "ann@example.com"})
	body := api(t, s, "GET", "/api/v2/tokens/me", s.UserToken(ann.ID), nil).json(t)
	idles, err := time.Parse(time.RFC3339, body["dateTokenIdles"].(string))
	if err != nil || !idles.After(time.Now()) {
		t.Fatalf("dateTokenIdles = %v (%v)", body["dateTokenIdles"], err)
	}
}
