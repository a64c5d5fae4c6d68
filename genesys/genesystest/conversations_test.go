package genesystest

import (
	"net/http"
	"testing"
	"time"
)

func ptr[T any](v T) *T { return &v }

// seedCall adds an ended inbound call: customer -> acd -> agent with wrap-up.
func seedCall(s *Server, start time.Time, agentID, queueID, codeID string) Conversation {
	end := start.Add(5 * time.Minute)
	return s.AddConversation(Conversation{
		StartTime: start, EndTime: &end, Address: "tel:+3225551000",
		Participants: []Participant{
			{Name: "Customer", Purpose: "customer", ANI: "tel:+32475123456", DNIS: "tel:+3225551000",
				Attributes: map[string]string{"CaseId": "C-1"}, EndTime: &end,
				Calls: []Media{{State: "disconnected", Direction: "inbound", ConnectedTime: &start, DisconnectedTime: &end, DisconnectType: "client"}}},
			{Name: "Support", Purpose: "acd", QueueID: queueID, EndTime: ptr(start.Add(time.Minute)),
				Calls: []Media{{State: "disconnected", Direction: "inbound", DisconnectedTime: ptr(start.Add(time.Minute))}}},
			{Name: "Ann", Purpose: "agent", UserID: agentID, QueueID: queueID, StartTime: start.Add(time.Minute),
				ConnectedTime: ptr(start.Add(70 * time.Second)), EndTime: &end,
				Wrapup: &Wrapup{Code: codeID, Notes: "called back", DurationSeconds: 30},
				Calls:  []Media{{State: "disconnected", Direction: "inbound"}}},
		},
	})
}

func TestGetConversation(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	ann := s.AddUser(User{Name: "Ann"})
	q := s.AddQueue("", "Support")
	code := s.AddWrapupCode("", "Resolved")
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	c := seedCall(s, start, ann.ID, q, code)
	active := s.AddConversation(Conversation{StartTime: start, Participants: []Participant{{Purpose: "customer"}}})

	r := api(t, s, "GET", "/api/v2/conversations/"+c.ID, tok, nil)
	wantStatus(t, r, http.StatusOK)
	m := r.json(t)
	if m["startTime"] != "2024-05-01T10:00:00.000Z" || m["endTime"] != "2024-05-01T10:05:00.000Z" {
		t.Fatalf("times %v %v", m["startTime"], m["endTime"])
	}
	ps := m["participants"].([]any)
	cust, acd, agent := ps[0].(map[string]any), ps[1].(map[string]any), ps[2].(map[string]any)
	if cust["ani"] != "tel:+32475123456" || cust["attributes"].(map[string]any)["CaseId"] != "C-1" {
		t.Fatalf("customer %v", cust)
	}
	if acd["queueName"] != "Support" || acd["queueId"] != q {
		t.Fatalf("acd %v", acd)
	}
	w := agent["wrapup"].(map[string]any)
	if w["code"] != code || w["name"] != "Resolved" || w["notes"] != "called back" || agent["userId"] != ann.ID {
		t.Fatalf("agent %v", agent)
	}
	if call := cust["calls"].([]any)[0].(map[string]any); call["direction"] != "inbound" || call["state"] != "disconnected" || len(call["id"].(string)) != 36 {
		t.Fatalf("call %v", call)
	}
	am := api(t, s, "GET", "/api/v2/conversations/"+active.ID, tok, nil).json(t)
	if _, has := am["endTime"]; has {
		t.Fatal("active conversation has endTime")
	}
	wantAPIError(t, api(t, s, "GET", "/api/v2/conversations/nope", tok, nil), 404, "not.found")
}

func TestPatchParticipantAttributesMerges(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	c := seedCall(s, time.Now().UTC(), "", "", "")
	pid := c.Participants[0].ID
	path := "/api/v2/conversations/" + c.ID + "/participants/" + pid + "/attributes"
	wantStatus(t, api(t, s, "PATCH", path, tok, map[string]any{"attributes": map[string]string{"PartyId": "P-9"}}), http.StatusAccepted)
	got, _ := s.Conversation(c.ID)
	if a := got.Participants[0].Attributes; a["CaseId"] != "C-1" || a["PartyId"] != "P-9" {
		t.Fatalf("attributes after patch %v", a)
	}
	r := api(t, s, "PATCH", "/api/v2/conversations/calls/"+c.ID+"/participants/"+pid+"/attributes", tok,
		map[string]any{"attributes": map[string]string{"CaseId": "C-2"}})
	wantStatus(t, r, http.StatusOK)
	if a := r.json(t)["attributes"].(map[string]any); a["CaseId"] != "C-2" || a["PartyId"] != "P-9" {
		t.Fatalf("call variant body %v", a)
	}
	wantAPIError(t, api(t, s, "PATCH", path, tok, map[string]any{"attributes": map[string]any{"n": 1}}), 400, "bad.request")
	wantAPIError(t, api(t, s, "PATCH", "/api/v2/conversations/"+c.ID+"/participants/nope/attributes", tok,
		map[string]any{"attributes": map[string]string{}}), 404, "not.found")
}

func TestCreateCall(t *testing.T) {
	s := newFake(t)
	cc := seededClient(t, s)
	ann := s.AddUser(User{Name: "Ann"})
	body := map[string]any{"phoneNumber": "+32475123456", "attributes": map[string]string{"CaseId": "C-7"}}
	wantAPIError(t, api(t, s, "POST", "/api/v2/conversations/calls", cc, body), 400, "bad.request")
	wantAPIError(t, api(t, s, "POST", "/api/v2/conversations/calls", s.UserToken(ann.ID), map[string]any{}), 400, "bad.request")

	r := api(t, s, "POST", "/api/v2/conversations/calls", s.UserToken(ann.ID), body)
	wantStatus(t, r, http.StatusOK)
	m := r.json(t)
	id := m["id"].(string)
	if m["selfUri"] != "/api/v2/conversations/"+id {
		t.Fatalf("create call body %s", r.body)
	}
	c, ok := s.Conversation(id)
	if !ok || c.OriginatingDirection != "outbound" || c.EndTime != nil {
		t.Fatalf("stored conversation %+v", c)
	}
	var agentOK, customerOK bool
	for _, p := range c.Participants {
		agentOK = agentOK || p.UserID == ann.ID
		customerOK = customerOK || (p.Purpose == "customer" && p.Attributes["CaseId"] == "C-7" && p.DNIS == "tel:+32475123456")
	}
	if !agentOK || !customerOK {
		t.Fatalf("participants %+v", c.Participants)
	}
}

func TestRoutingLookups(t *testing.T) {
	s := newFake(t)
	tok := seededClient(t, s)
	q := s.AddQueue("q-1", "Support")
	for _, n := range []string{"Resolved", "Callback", "Refund"} {
		s.AddWrapupCode("", n)
	}
	if m := api(t, s, "GET", "/api/v2/routing/queues/"+q, tok, nil).json(t); m["name"] != "Support" {
		t.Fatalf("queue %v", m)
	}
	m := api(t, s, "GET", "/api/v2/routing/wrapupcodes?pageSize=2", tok, nil).json(t)
	if m["total"] != float64(3) || len(m["entities"].([]any)) != 2 || m["nextUri"] == nil {
		t.Fatalf("wrapupcodes page %v", m)
	}
	id := m["entities"].([]any)[0].(map[string]any)["id"].(string)
	if m := api(t, s, "GET", "/api/v2/routing/wrapupcodes/"+id, tok, nil).json(t); m["name"] != "Resolved" {
		t.Fatalf("wrapupcode %v", m)
	}
	wantAPIError(t, api(t, s, "GET", "/api/v2/routing/queues/none", tok, nil), 404, "not.found")
}
