package api_test

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/interactions"
)

func matchIDs(t *testing.T, out map[string]any) []string {
	t.Helper()
	d, ok := out["d"].(map[string]any)
	if !ok {
		t.Fatalf("no result: %v", out)
	}
	var got []string
	for _, m := range d["matches"].([]any) {
		m := m.(map[string]any)
		got = append(got, m["kind"].(string)+":"+m["id"].(string))
	}
	return got
}

func TestSearchRecordsMethodOnBothProfiles(t *testing.T) {
	for _, profile := range []string{appbase.ProfileStandard, appbase.ProfileConnector} {
		t.Run(profile, func(t *testing.T) {
			s := newIxStackOn(t, profile)
			s.sj.AddParty(appbasetest.Party{ID: "P-2", Name: "Bob Brown", Phone: "+14155550199", Email: "bob@brown.example"})
			s.sj.AddParty(appbasetest.Party{ID: "P-3", Name: "Brown Household", Phone: "(415) 555-0199"})
			s.sj.AddCase(appbasetest.Case{ID: "7", CaseID: "CASE-0007", PartyID: "P-2", Summary: "Refund", State: "Open"})
			for _, c := range []struct {
				body string
				want []string
			}{
				{`{"kind":"name","text":"brown"}`, []string{"party:P-2", "party:P-3"}},
				{`{"kind":"phone","text":"415 555 0101"}`, []string{"party:P-1"}},
				{`{"kind":"email","text":"bob@brown.example"}`, []string{"party:P-2"}},
				{`{"kind":"case","text":"CASE-0007","conversationId":"` + ixConv + `"}`, []string{"case:7"}},
				{`{"kind":"name","text":"nobody here"}`, nil},
			} {
				code, out := s.call(t, ixAnn, "SearchRecords", c.body)
				if code != 200 || fmt.Sprint(matchIDs(t, out)) != fmt.Sprint(c.want) {
					t.Errorf("%s: %d %v; want %v", c.body, code, out, c.want)
				}
			}
			// A number stored in national form: the stock search finds it
			// (digits, then the national number); the connector rule gets E.164.
			s.sj.AddParty(appbasetest.Party{ID: "P-4", Name: "Nina National", Phone: "(212) 555-0142"})
			_, out := s.call(t, ixAnn, "SearchRecords", `{"kind":"phone","text":"+1 212 555 0142"}`)
			want := "[party:P-4]"
			if profile == appbase.ProfileConnector {
				want = "[]"
			}
			if got := fmt.Sprint(matchIDs(t, out)); got != want {
				t.Errorf("phone +14155550199 on %s = %s; want %s", profile, got, want)
			}
		})
	}
}

func TestSearchRecordsMethodRefusals(t *testing.T) {
	s := newIxStack(t)
	for i := range interactions.MaxSearchResults + 1 {
		s.sj.AddParty(appbasetest.Party{Name: fmt.Sprintf("Smith %02d", i)})
	}
	code, out := s.call(t, ixAnn, "SearchRecords", `{"kind":"name","text":"smith"}`)
	d, _ := out["d"].(map[string]any)
	if code != 200 || len(matchIDs(t, out)) != interactions.MaxSearchResults || d["more"] != true {
		t.Fatalf("21 Smiths: %d %v; want %d and more", code, d, interactions.MaxSearchResults)
	}
	checks := []struct {
		name, user, body string
		status           int
		text, code       string
	}{
		{"not a phone", ixAnn, `{"kind":"phone","text":"call me"}`, 400, "text is not a phone number", api.MsgSearchNotPhone},
		{"not an e-mail", ixAnn, `{"kind":"email","text":"bob"}`, 400, "text is not an e-mail address", api.MsgSearchNotEmail},
		{"too short", ixAnn, `{"kind":"name","text":"b"}`, 400, "text is shorter than 2", api.MsgSearchTooShort},
		{"too long", ixAnn, `{"kind":"name","text":"` + strings.Repeat("b", 101) + `"}`, 400, "text is longer than 100", api.MsgSearchTooLong},
		{"empty", ixAnn, `{"kind":"name","text":" "}`, 400, "text is empty", api.MsgSearchEmpty},
		{"unknown kind", ixAnn, `{"kind":"address","text":"Main St"}`, 400, "kind must be name, phone, email or case", api.MsgSearchKind},
		{"no kind", ixAnn, `{"text":"bob"}`, 400, `"kind" is required`, api.MsgBadRequest},
		{"not mapped", ixCarla, `{"kind":"name","text":"smith"}`, 403, "not linked to a ServiceJourney user", api.MsgAgentNotMapped},
	}
	for _, c := range checks {
		code, out := s.call(t, c.user, "SearchRecords", c.body)
		if code != c.status || !strings.Contains(fmt.Sprint(out["Message"]), c.text) || out["Code"] != c.code {
			t.Errorf("%s: %d %v; want %d %q code %s", c.name, code, out, c.status, c.text, c.code)
		}
	}
	if params, _ := s.callParams(t, `{"kind":"name","text":"b"}`); params["min"] != "2" {
		t.Errorf("too short: Params %v; want min 2", params)
	}

	// No bearer, no search.
	req := httptest.NewRequest("POST", "/dcm-connect-service/DCMServices.asmx/SearchRecords", strings.NewReader(`{"kind":"name","text":"smith"}`))
	req.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	s.h.Handler().ServeHTTP(w, req)
	if w.Code != 401 {
		t.Errorf("no token: %d %s", w.Code, w.Body.String())
	}

	// ServiceJourney down: a clear 503 with the system's name only.
	s.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	code, out = s.call(t, ixAnn, "SearchRecords", `{"kind":"name","text":"smith"}`)
	params, _ := out["Params"].(map[string]any)
	if code != 503 || out["Code"] != api.MsgUpstreamDown || params["system"] != "ServiceJourney" || len(params) != 1 {
		t.Errorf("ServiceJourney down: %d %v", code, out)
	}
}

func (s *ixStack) callParams(t *testing.T, body string) (map[string]any, int) {
	t.Helper()
	code, out := s.call(t, ixAnn, "SearchRecords", body)
	p, _ := out["Params"].(map[string]any)
	return p, code
}

// "Not this customer", a search, a choice: the logged record names the
// chosen case, and the conversation carries its number for the next agent.
func TestForgetSearchChooseThroughTheMethods(t *testing.T) {
	s := newIxStack(t)
	s.sj.AddCase(appbasetest.Case{ID: "7", CaseID: "CASE-0007", PartyID: "P-1", Summary: "Refund", State: "Open"})
	if code, out := s.call(t, ixAnn, "ScreenPop", `{"conversationId":"`+ixConv+`"}`); code != 200 {
		t.Fatalf("pop: %d %v", code, out)
	}
	if code, out := s.call(t, ixAnn, "ForgetRecord", `{"conversationId":"`+ixConv+`"}`); code != 200 {
		t.Fatalf("ForgetRecord: %d %v", code, out)
	}
	if code, out := s.call(t, ixCarla, "ForgetRecord", `{"conversationId":"`+ixConv+`"}`); code != 403 || out["Code"] != api.MsgNotParticipant {
		t.Errorf("Carla forgets Ann's record: %d %v", code, out)
	}
	if code, out := s.call(t, ixAnn, "LogInteraction", `{"conversationId":"`+ixConv+`","event":"connect"}`); code != 200 {
		t.Fatalf("log: %d %v", code, out)
	}
	if rec, _ := s.sj.Interaction(ixConv); rec.PartyID != "" {
		t.Fatalf("after ForgetRecord the record names party %q", rec.PartyID)
	}
	_, out := s.call(t, ixAnn, "SearchRecords", `{"kind":"case","text":"case-0007","conversationId":"`+ixConv+`"}`)
	if got := matchIDs(t, out); len(got) != 1 || got[0] != "case:7" {
		t.Fatalf("search: %v", out)
	}
	code, out := s.call(t, ixAnn, "LogInteraction", `{"conversationId":"`+ixConv+`","event":"connect","caseId":"7"}`)
	if d, _ := out["d"].(map[string]any); code != 200 || d["contextWritten"] != true || d["caseId"] != "7" {
		t.Fatalf("choice: %d %v", code, out)
	}
	if rec, _ := s.sj.Interaction(ixConv); rec.CaseID != "7" {
		t.Errorf("record names case %q; want 7", rec.CaseID)
	}
	c, _ := s.g.Conversation(ixConv)
	for _, p := range c.Participants {
		if p.Purpose == "customer" && p.Attributes["CaseId"] != "CASE-0007" {
			t.Errorf("customer data %v; want CaseId CASE-0007", p.Attributes)
		}
	}
	if b, _ := json.Marshal(out); strings.Contains(string(b), s.tokens[ixAnn]) {
		t.Error("the token leaked into the answer")
	}
}
