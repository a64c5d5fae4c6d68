package genesystest

import (
	"slices"
	"testing"
	"time"
)

// These tests decode what the fake sends and hold it to the official models
// (platformclientv2 in github.com/MyPureCloud/platform-client-sdk-go):
// required fields present, fields of other models absent.

// callOnly are the fields only platformclientv2.Call has among the legs.
var callOnly = []string{"recording", "recordingState", "muted", "confined"}

func wantKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			t.Errorf("%s lacks %q: %v", what, k, m)
		}
	}
}

func wantNoKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for _, k := range keys {
		if _, ok := m[k]; ok {
			t.Errorf("%s carries %q, which its model does not have: %v", what, k, m)
		}
	}
}

func wantOnlyKeys(t *testing.T, what string, m map[string]any, keys ...string) {
	t.Helper()
	for k := range m {
		if !slices.Contains(keys, k) {
			t.Errorf("%s carries %q; its model has only %v", what, k, keys)
		}
	}
}

func TestConversationLegsFollowTheirModels(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	acwStart, acwEnd := start.Add(5*time.Minute), start.Add(6*time.Minute)
	leg := func(dir string) []Media {
		return []Media{{State: "connected", Direction: dir,
			AfterCallWork: &AfterCallWork{State: "complete", StartTime: &acwStart, EndTime: &acwEnd}, AfterCallWorkRequired: true}}
	}
	c := s.AddConversation(Conversation{StartTime: start, Participants: []Participant{
		{Purpose: "customer", Calls: leg("inbound")},
		{Purpose: "agent", StartAcwTime: &acwStart, EndAcwTime: &acwEnd,
			Calls: leg("inbound"), Chats: leg("inbound"), Emails: leg("outbound"), Messages: leg("inbound"),
			Videos: leg(""), Screenshares: leg(""), SocialExpressions: leg(""), Cobrowsesessions: leg("")},
	}})
	body := api(t, s, "GET", "/api/v2/conversations/"+c.ID, tok, nil).json(t)
	agent := body["participants"].([]any)[1].(map[string]any)
	// Model: platformclientv2.Participant.
	if agent["startAcwTime"] != "2026-03-02T09:05:00.000Z" || agent["endAcwTime"] != "2026-03-02T09:06:00.000Z" {
		t.Errorf("participant ACW times: %v / %v", agent["startAcwTime"], agent["endAcwTime"])
	}
	legs := func(media string) map[string]any {
		t.Helper()
		l, ok := agent[media].([]any)
		if !ok || len(l) != 1 {
			t.Fatalf("participant %s = %v, want one leg", media, agent[media])
		}
		return l[0].(map[string]any)
	}
	for media, model := range map[string]struct {
		has, hasNot []string
	}{
		"calls":             {append([]string{"held", "direction"}, callOnly...), nil},      // Call
		"chats":             {[]string{"held", "direction"}, callOnly},                      // Conversationchat
		"emails":            {[]string{"held", "direction"}, callOnly},                      // Email
		"messages":          {[]string{"held", "direction"}, callOnly},                      // Message
		"socialExpressions": {[]string{"held"}, append([]string{"direction"}, callOnly...)}, // Socialexpression
		"videos":            {nil, append([]string{"held", "direction"}, callOnly...)},      // Video
		"screenshares":      {nil, append([]string{"held", "direction"}, callOnly...)},      // Screenshare
		"cobrowsesessions":  {nil, append([]string{"held", "direction"}, callOnly...)},      // Cobrowsesession
	} {
		l := legs(media)
		wantKeys(t, media, l, append([]string{"id", "state", "afterCallWork", "afterCallWorkRequired"}, model.has...)...)
		wantNoKeys(t, media, l, model.hasNot...)
		// Model: platformclientv2.Aftercallwork.
		if acw, _ := l["afterCallWork"].(map[string]any); acw["state"] != "complete" || acw["startTime"] != "2026-03-02T09:05:00.000Z" ||
			acw["endTime"] != "2026-03-02T09:06:00.000Z" {
			t.Errorf("%s afterCallWork = %v", media, l["afterCallWork"])
		}
	}
	if s.Conversations()[0].Participants[1].Videos[0].AfterCallWork.State != "complete" {
		t.Error("stored conversation lost the video leg's after-call work")
	}
}

func TestEmptySearchesSendResults(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	none := map[string]any{"query": []map[string]any{{"type": "EXACT", "fields": []string{"name"}, "value": "nobody here"}}}
	for _, path := range []string{"/api/v2/users/search", "/api/v2/groups/search"} {
		// Models: platformclientv2.Userssearchresponse, Groupssearchresponse (results is required).
		m := api(t, s, "POST", path, tok, none).json(t)
		wantKeys(t, path, m, "total", "pageCount", "pageSize", "pageNumber", "types", "results")
		if r, ok := m["results"].([]any); !ok || len(r) != 0 {
			t.Errorf("%s results = %#v, want []", path, m["results"])
		}
	}
}

func TestTokenInfoFollowsItsModel(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	m := api(t, s, "GET", "/api/v2/tokens/me", tok, nil).json(t)
	// Model: platformclientv2.Tokeninfo; organizations are Namedentity (id, name).
	for _, k := range []string{"organization", "homeOrganization"} {
		org, _ := m[k].(map[string]any)
		wantKeys(t, k, org, "id", "name")
		wantOnlyKeys(t, k, org, "id", "name")
	}
	// Model: platformclientv2.Orgoauthclient (name, authorizedGrantType required).
	c, _ := m["OAuthClient"].(map[string]any)
	wantKeys(t, "OAuthClient", c, "id", "name", "authorizedGrantType", "organization")
	if c["authorizedGrantType"] != GrantClientCredentials {
		t.Errorf("OAuthClient grant type %v, want %s", c["authorizedGrantType"], GrantClientCredentials)
	}
	org, _ := c["organization"].(map[string]any)
	wantOnlyKeys(t, "OAuthClient organization", org, "id", "name")
}

func TestGroupReferencesFollowTheModel(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	ann := s.AddUser(User{Name: "Ann", Email: "ann@example.com"})
	s.AddGroup(Group{Name: "Team Leads", MemberIDs: []string{ann.ID}})
	me := api(t, s, "GET", "/api/v2/users/me?expand=groups", s.UserToken(ann.ID), nil).json(t)
	search := api(t, s, "POST", "/api/v2/groups/search", tok, map[string]any{
		"query": []map[string]any{{"type": "EXACT", "fields": []string{"name"}, "value": "Team Leads"}}}).json(t)
	for what, list := range map[string]any{"users/me groups": me["groups"], "groups/search results": search["results"]} {
		l, _ := list.([]any)
		if len(l) != 1 {
			t.Fatalf("%s = %v, want one group", what, list)
		}
		// Model: platformclientv2.Group (name, type, rulesVisible, visibility required).
		g := l[0].(map[string]any)
		wantKeys(t, what, g, "id", "name", "type", "visibility", "rulesVisible")
		if g["type"] != "official" || g["visibility"] != "public" || g["rulesVisible"] != false {
			t.Errorf("%s: %v", what, g)
		}
	}
}
