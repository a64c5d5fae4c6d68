package genesystest

import (
	"fmt"
	"time"
)

// InboundCall describes a queue call for ConnectCall.
type InboundCall struct {
	ID string // zero: a new UUID
	// From is the caller's number and To the number called (E.164).
	From, To string
	QueueID  string
	AgentID  string
	// Attributes are the customer's participant data (CaseId, PartyId, ...).
	Attributes map[string]string
}

// The helpers below drive a call through its life the way Genesys would,
// each change emitting its conversation event: ConnectCall (the agent
// answers), TransferCall (another agent takes over; the first goes to
// after-call work), DisconnectCall (everyone leaves; agents who owe a
// wrap-up are in after-call work) and WrapUpCall (an agent's wrap-up ends
// their after-call work).

// ConnectCall stores an inbound queue call answered by AgentID now.
func (s *Server) ConnectCall(in InboundCall) Conversation {
	now := s.now()
	from, to := "tel:"+in.From, "tel:"+in.To
	c := Conversation{ID: in.ID, Address: to, OriginatingDirection: "inbound", StartTime: now,
		Participants: []Participant{
			{Purpose: "customer", Name: "Caller", ANI: from, DNIS: to, Address: from, Attributes: in.Attributes,
				ConnectedTime: &now, Calls: []Media{{State: "connected", Direction: "inbound", ConnectedTime: &now}}},
			{Purpose: "acd", Name: "ACD", QueueID: in.QueueID, ConnectedTime: &now, EndTime: &now,
				Calls: []Media{{State: "disconnected", Direction: "inbound", ConnectedTime: &now, DisconnectedTime: &now, DisconnectType: "transfer"}}},
			s.agentLeg(in.AgentID, in.QueueID, now),
		}}
	return s.AddConversation(c)
}

func (s *Server) agentLeg(userID, queueID string, now time.Time) Participant {
	name := ""
	s.mu.Lock()
	if u, ok := s.data.users.get(userID); ok {
		name = u.Name
	}
	s.mu.Unlock()
	return Participant{Purpose: "agent", UserID: userID, Name: name, QueueID: queueID, StartTime: now, ConnectedTime: &now,
		WrapupRequired: true, Calls: []Media{{State: "connected", Direction: "inbound", ConnectedTime: &now}}}
}

// TransferCall hands the call from its connected agent to toAgentID.
func (s *Server) TransferCall(id, toAgentID string) error {
	now := s.now()
	leg := s.agentLeg(toAgentID, "", now)
	return s.UpdateConversation(id, func(c *Conversation) {
		queue := ""
		for i := range c.Participants {
			p := &c.Participants[i]
			if p.Purpose == "agent" && p.EndTime == nil {
				queue = p.QueueID
				endLeg(p, now, "transfer")
			}
		}
		leg.QueueID = queue
		c.Participants = append(c.Participants, leg)
	})
}

// DisconnectCall ends the call for everyone now.
func (s *Server) DisconnectCall(id string) error {
	now := s.now()
	return s.UpdateConversation(id, func(c *Conversation) {
		c.EndTime = &now
		for i := range c.Participants {
			p := &c.Participants[i]
			if p.EndTime == nil {
				typ := "client"
				if p.Purpose == "customer" {
					typ = "peer"
				}
				endLeg(p, now, typ)
			}
		}
	})
}

// WrapUpCall records agentID's wrap-up (their last leg), ending their
// after-call work.
func (s *Server) WrapUpCall(id, agentID, code, notes string) error {
	now := s.now()
	found := false
	err := s.UpdateConversation(id, func(c *Conversation) {
		for i := len(c.Participants) - 1; i >= 0; i-- {
			p := &c.Participants[i]
			if p.UserID != agentID {
				continue
			}
			d := 0
			if p.EndTime != nil {
				d = int(now.Sub(*p.EndTime).Seconds())
			}
			p.Wrapup = &Wrapup{Code: code, Notes: notes, DurationSeconds: d, EndTime: &now}
			found = true
			return
		}
	})
	if err == nil && !found {
		err = fmt.Errorf("conversation %q has no participant for user %q: %w", id, agentID, ErrNotFound)
	}
	return err
}

func endLeg(p *Participant, now time.Time, disconnectType string) {
	p.EndTime = &now
	for _, ms := range [][]Media{p.Calls, p.Chats, p.Emails, p.Messages} {
		for j := range ms {
			if ms[j].State != "disconnected" && ms[j].State != "terminated" {
				ms[j].State, ms[j].DisconnectedTime, ms[j].DisconnectType = "disconnected", &now, disconnectType
			}
		}
	}
}
