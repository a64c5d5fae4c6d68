package interactions

import (
	"strings"

	"dcmconnect/genesys"
)

// Customer-side purposes, best first: Architect and ACD put the caller on
// "customer"; agent-placed calls and conferenced third parties show as
// "external" (docs/upstreams.md).
var customerPurposes = []string{"customer", "external"}

// CustomerParticipant picks the customer-side participant of a conversation:
// the earliest-joined "customer" participant, else the earliest "external".
// A transfer adds agents but keeps the customer, and a conference adds a
// later external party, so both resolve to the same record as the original
// call. For an outbound call the dialled party is this participant. Nil when
// the conversation has no customer side (an internal call).
func CustomerParticipant(c *genesys.Conversation) *genesys.Participant {
	if c == nil {
		return nil
	}
	for _, purpose := range customerPurposes {
		var best *genesys.Participant
		for i := range c.Participants {
			p := &c.Participants[i]
			if !strings.EqualFold(p.Purpose, purpose) {
				continue
			}
			// Earliest start wins; participants without a start keep list order.
			if best == nil || (!p.StartTime.IsZero() && !best.StartTime.IsZero() && p.StartTime.Before(best.StartTime)) {
				best = p
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// AgentParticipant is the caller's participant: the last one with their
// user id (an agent transferred back joins again), or nil.
func AgentParticipant(c *genesys.Conversation, userID string) *genesys.Participant {
	if c == nil || userID == "" {
		return nil
	}
	for i := len(c.Participants) - 1; i >= 0; i-- {
		if c.Participants[i].UserID == userID {
			return &c.Participants[i]
		}
	}
	return nil
}

// direction is how the customer's media travels: "inbound" when they called
// us, "outbound" when we dialled them.
func direction(cust, agent *genesys.Participant) string {
	for _, p := range []*genesys.Participant{agent, cust} {
		if p == nil {
			continue
		}
		if d := mediaOf(p).direction; d != "" {
			return strings.ToLower(d)
		}
	}
	return ""
}

// customerNumber is the customer's phone address: the ANI when they called
// in, the dialled address when we called out (the participant's ANI is then
// our own caller id).
func customerNumber(p *genesys.Participant, dir string) string {
	if p == nil {
		return ""
	}
	cands := []string{p.Ani, p.Address, p.Dnis}
	if dir == "outbound" {
		cands = []string{p.Address, p.Dnis}
	}
	for _, a := range cands {
		if a != "" && !strings.Contains(stripScheme(a), "@") {
			return a
		}
	}
	return ""
}

// callbackNumber is the first number a callback (or ACD voicemail) asks to
// be called back on: the customer's leg first, then any other's (the
// agent's callback leg carries the same numbers).
func callbackNumber(c *genesys.Conversation, cust *genesys.Participant) string {
	ps := []*genesys.Participant{cust}
	for i := range c.Participants {
		ps = append(ps, &c.Participants[i])
	}
	for _, p := range ps {
		if p == nil {
			continue
		}
		for _, cb := range p.Callbacks {
			for _, n := range cb.CallbackNumbers {
				if n = strings.TrimSpace(n); n != "" {
					return n
				}
			}
		}
	}
	return ""
}

// customerEmail is the customer's e-mail address, when their address is one.
func customerEmail(p *genesys.Participant) string {
	if p == nil {
		return ""
	}
	for _, a := range []string{p.Address, p.Ani} {
		a = strings.TrimPrefix(strings.TrimSpace(a), "mailto:")
		if strings.Contains(a, "@") && !strings.HasPrefix(strings.ToLower(a), "sip") {
			return a
		}
	}
	return ""
}

// attribute finds a participant-data value by name (case-insensitive),
// looking at the customer participant first (where Architect's Set
// Participant Data writes it), then at every other participant.
func attribute(c *genesys.Conversation, cust *genesys.Participant, name string) string {
	if name == "" || c == nil {
		return ""
	}
	look := func(p *genesys.Participant) string {
		if v, ok := p.Attributes[name]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		for k, v := range p.Attributes {
			if strings.EqualFold(k, name) && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
		return ""
	}
	if cust != nil {
		if v := look(cust); v != "" {
			return v
		}
	}
	for i := range c.Participants {
		if p := &c.Participants[i]; p != cust {
			if v := look(p); v != "" {
				return v
			}
		}
	}
	return ""
}
