package interactions

import (
	"testing"
	"time"

	"dcmconnect/genesys"
)

func TestCustomerParticipant(t *testing.T) {
	t0 := time.Date(2025, 5, 1, 10, 0, 0, 0, time.UTC)
	call := func(dir string) []genesys.Call { return []genesys.Call{{ID: "c", State: "connected", Direction: dir}} }
	cases := []struct {
		name string
		conv genesys.Conversation
		want string // participant id, "" for none
		num  string // the customer's number as the pop reads it
	}{
		{"inbound queue call", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "ivr", Purpose: "ivr", StartTime: t0},
			{ID: "cust", Purpose: "customer", Ani: "tel:+14155550101", Dnis: "tel:+18005550100", Address: "tel:+14155550101", StartTime: t0, Calls: call("inbound")},
			{ID: "ag", Purpose: "agent", UserID: annID, StartTime: t0.Add(time.Minute), Calls: call("inbound")},
		}}, "cust", "tel:+14155550101"},
		{"conference adds a later external party", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "ag", Purpose: "agent", UserID: annID, StartTime: t0.Add(time.Minute), Calls: call("inbound")},
			{ID: "third", Purpose: "external", Address: "tel:+14155550199", StartTime: t0.Add(5 * time.Minute), Calls: call("outbound")},
			{ID: "cust", Purpose: "customer", Ani: "tel:+14155550101", Address: "tel:+14155550101", StartTime: t0, Calls: call("inbound")},
		}}, "cust", "tel:+14155550101"},
		{"transfer adds agents, the customer stays", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "cust", Purpose: "customer", Ani: "tel:+14155550101", StartTime: t0, Calls: call("inbound")},
			{ID: "ag1", Purpose: "agent", UserID: annID, StartTime: t0.Add(time.Minute), EndTime: t0.Add(3 * time.Minute), Calls: call("inbound")},
			{ID: "ag2", Purpose: "agent", UserID: benID, StartTime: t0.Add(3 * time.Minute), Calls: call("inbound")},
		}}, "cust", "tel:+14155550101"},
		{"outbound: the dialled external party, not our caller id", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "ag", Purpose: "user", UserID: annID, StartTime: t0, Calls: call("outbound")},
			{ID: "dialled", Purpose: "external", Ani: "tel:+18005550100", Dnis: "tel:+14155550123", Address: "tel:+14155550123", StartTime: t0, Calls: call("outbound")},
		}}, "dialled", "tel:+14155550123"},
		{"two external parties: the earliest", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "late", Purpose: "external", Address: "tel:+14155550199", StartTime: t0.Add(2 * time.Minute), Calls: call("outbound")},
			{ID: "first", Purpose: "external", Address: "tel:+14155550101", StartTime: t0, Calls: call("outbound")},
		}}, "first", "tel:+14155550101"},
		{"internal call has no customer", genesys.Conversation{Participants: []genesys.Participant{
			{ID: "a", Purpose: "user", UserID: annID}, {ID: "b", Purpose: "user", UserID: benID},
		}}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := CustomerParticipant(&c.conv)
			got := ""
			if p != nil {
				got = p.ID
			}
			if got != c.want {
				t.Fatalf("CustomerParticipant = %q, want %q", got, c.want)
			}
			agent := AgentParticipant(&c.conv, annID)
			if num := customerNumber(p, direction(p, agent)); num != c.num {
				t.Errorf("customer number = %q, want %q", num, c.num)
			}
		})
	}
}

func TestAgentParticipantIsTheLastLeg(t *testing.T) {
	c := &genesys.Conversation{Participants: []genesys.Participant{
		{ID: "first", Purpose: "agent", UserID: annID}, {ID: "other", Purpose: "agent", UserID: benID}, {ID: "back", Purpose: "agent", UserID: annID},
	}}
	if p := AgentParticipant(c, annID); p == nil || p.ID != "back" {
		t.Errorf("AgentParticipant = %+v, want the leg of the transfer back", p)
	}
	if p := AgentParticipant(c, carlaID); p != nil {
		t.Errorf("AgentParticipant of a non-participant = %+v", p)
	}
}

func TestAttributeLookup(t *testing.T) {
	c := &genesys.Conversation{Participants: []genesys.Participant{
		{ID: "ivr", Purpose: "ivr", Attributes: map[string]string{"caseid": " CASE-IVR "}},
		{ID: "cust", Purpose: "customer", Attributes: map[string]string{"PartyId": "P-9", "CaseId": ""}},
	}}
	cust := CustomerParticipant(c)
	if v := attribute(c, cust, "PartyId"); v != "P-9" {
		t.Errorf("PartyId = %q", v)
	}
	// An empty value on the customer does not hide a real one elsewhere; names match in any case.
	if v := attribute(c, cust, "CaseId"); v != "CASE-IVR" {
		t.Errorf("CaseId = %q", v)
	}
	if v := attribute(c, cust, "Missing"); v != "" {
		t.Errorf("Missing = %q", v)
	}
}

func TestCustomerEmail(t *testing.T) {
	p := &genesys.Participant{Purpose: "customer", Address: "mailto:dora@example.net", Emails: []genesys.MediaSession{{ID: "e"}}}
	if got := customerEmail(p); got != "dora@example.net" {
		t.Errorf("customerEmail = %q", got)
	}
	if got := customerEmail(&genesys.Participant{Address: "sip:+1415@edge"}); got != "" {
		t.Errorf("a SIP address is not an e-mail: %q", got)
	}
}
