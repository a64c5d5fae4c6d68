package interactions

import (
	"context"
	"strings"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// fromConversation builds the log record the page writes, from the live
// conversation as the agent (agentUserID) sees it. Only what is known is
// set: the upsert leaves empty fields alone, so the end written at
// disconnect and the wrap-up written after after-call work complete the
// record that connect started.
func (s *Service) fromConversation(ctx context.Context, c *genesys.Conversation, agentUserID, sjUserID string) appbase.Interaction {
	cust := CustomerParticipant(c)
	agent := AgentParticipant(c, agentUserID)
	in := appbase.Interaction{ConversationID: c.ID, AgentUserID: sjUserID, Start: c.StartTime}
	in.Direction = direction(cust, agent)
	if m := mediaOf(agent); m.kind != "" {
		in.MediaType = m.kind
	} else {
		in.MediaType = mediaOf(cust).kind
	}
	if cust != nil {
		in.ANI = displayPhone(cust.Ani, s.opts.DefaultCountry)
		in.DNIS = displayPhone(cust.Dnis, s.opts.DefaultCountry)
		if in.MediaType == "email" {
			in.ANI = customerEmail(cust)
		}
		if in.ANI == "" {
			in.ANI = displayPhone(callbackNumber(c, cust), s.opts.DefaultCountry) // a callback or voicemail
		}
	}
	// The queue the agent took the interaction from, else the ACD leg's.
	for _, p := range []*genesys.Participant{agent, firstWithPurpose(c, "acd")} {
		if p != nil && p.QueueID != "" {
			in.QueueID, in.QueueName = p.QueueID, p.QueueName
			break
		}
	}
	s.names.remember("queue", in.QueueID, in.QueueName)
	if in.QueueID != "" && in.QueueName == "" {
		in.QueueName = s.names.queue(ctx, in.QueueID)
	}
	if !c.EndTime.IsZero() {
		in.End = c.EndTime
		in.DurationSeconds = seconds(c.StartTime, c.EndTime)
	}
	if w := wrapupOf(agent); w != nil && w.Code != "" {
		in.WrapupCode, in.WrapupName, in.WrapupNotes = w.Code, w.Name, w.Notes
		s.names.remember("wrapup", w.Code, w.Name)
		if in.WrapupName == "" {
			in.WrapupName = s.names.wrapup(ctx, w.Code)
		}
	}
	return in
}

func firstWithPurpose(c *genesys.Conversation, purpose string) *genesys.Participant {
	for i := range c.Participants {
		if strings.EqualFold(c.Participants[i].Purpose, purpose) {
			return &c.Participants[i]
		}
	}
	return nil
}

func seconds(from, to time.Time) int {
	if from.IsZero() || to.Before(from) {
		return 0
	}
	return int(to.Sub(from).Round(time.Second) / time.Second)
}

// analyticsRecord is what the sync job learns from one analytics conversation.
type analyticsRecord struct {
	in appbase.Interaction
	// agentGenesysID is the Genesys user of the agent the record names.
	agentGenesysID string
	// open: the conversation has not ended.
	open bool
	// awaitingWrapup: it ended, but an ACD agent has not wrapped up yet.
	awaitingWrapup bool
	// src is what the field mapping reads besides the record.
	src fieldSource
	// e164 is the customer's number in E.164 ("" when not a number), for
	// resolving the party.
	e164 string
}

// fromAnalytics builds the log record from the analytics view of a
// conversation (the sync job). The agent named is the last one who handled
// it (after a transfer, the one who finished it); the wrap-up is theirs.
func (s *Service) fromAnalytics(ctx context.Context, c *genesys.AnalyticsConversation) analyticsRecord {
	r := analyticsRecord{in: appbase.Interaction{ConversationID: c.ConversationID, Start: c.ConversationStart,
		Direction: strings.ToLower(c.OriginatingDirection)}}
	var cust *genesys.AnalyticsParticipant
	for _, purpose := range customerPurposes {
		for i := range c.Participants {
			if strings.EqualFold(c.Participants[i].Purpose, purpose) {
				cust = &c.Participants[i]
				break
			}
		}
		if cust != nil {
			break
		}
	}
	var agent *genesys.AnalyticsParticipant
	for i := range c.Participants {
		p := &c.Participants[i]
		if p.UserID != "" && (strings.EqualFold(p.Purpose, "agent") || strings.EqualFold(p.Purpose, "user")) && handled(p) {
			agent = p
		}
	}
	r.src = s.analyticsSource(ctx, c, cust)
	if cust != nil && len(cust.Sessions) > 0 {
		ss := cust.Sessions[0]
		r.in.MediaType = ss.MediaType
		// One parse per address, remembered (phoneBook): a record shows
		// both numbers, the party is found by the customer's.
		ani, dnis := s.phones.forms(ss.Ani), s.phones.forms(ss.Dnis)
		r.in.ANI, r.in.DNIS, r.e164 = ani.display, dnis.display, ani.e164
		if r.in.Direction == "outbound" {
			r.e164 = dnis.e164
		}
		if ss.MediaType == "email" {
			r.in.ANI = ss.AddressFrom
		}
	}
	if agent != nil {
		r.agentGenesysID = agent.UserID
		if r.in.MediaType == "" && len(agent.Sessions) > 0 {
			r.in.MediaType = agent.Sessions[0].MediaType
		}
		r.in.QueueID = segmentQueue(agent)
		if w := lastWrapup(agent); w != nil {
			r.in.WrapupCode, r.in.WrapupNotes = w.WrapUpCode, w.WrapUpNote
			r.in.WrapupName = s.names.wrapup(ctx, w.WrapUpCode)
		}
	}
	if r.in.QueueID == "" {
		for i := range c.Participants {
			if strings.EqualFold(c.Participants[i].Purpose, "acd") {
				r.in.QueueID = segmentQueue(&c.Participants[i])
			}
		}
	}
	r.in.QueueName = s.names.queue(ctx, r.in.QueueID)
	if c.ConversationEnd.IsZero() {
		r.open = true
		return r
	}
	r.in.End = c.ConversationEnd
	r.in.DurationSeconds = seconds(c.ConversationStart, c.ConversationEnd)
	// Every ACD agent who talked to the customer owes a wrap-up (codes exist
	// only after after-call work); direct "user" calls usually have none.
	for i := range c.Participants {
		p := &c.Participants[i]
		if strings.EqualFold(p.Purpose, "agent") && handled(p) && lastWrapup(p) == nil {
			r.awaitingWrapup = true
		}
	}
	return r
}

// handled: the participant had an interact segment (it was connected, not
// only alerted).
func handled(p *genesys.AnalyticsParticipant) bool {
	for _, ss := range p.Sessions {
		for _, seg := range ss.Segments {
			if strings.EqualFold(seg.SegmentType, "interact") {
				return true
			}
		}
	}
	return false
}

func lastWrapup(p *genesys.AnalyticsParticipant) *genesys.AnalyticsSegment {
	var w *genesys.AnalyticsSegment
	for i := range p.Sessions {
		for j := range p.Sessions[i].Segments {
			seg := &p.Sessions[i].Segments[j]
			if strings.EqualFold(seg.SegmentType, "wrapup") && seg.WrapUpCode != "" {
				w = seg
			}
		}
	}
	return w
}

func segmentQueue(p *genesys.AnalyticsParticipant) string {
	for _, ss := range p.Sessions {
		for _, seg := range ss.Segments {
			if seg.QueueID != "" {
				return seg.QueueID
			}
		}
	}
	return ""
}
