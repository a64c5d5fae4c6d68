package interactions

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/internal/fieldmap"
)

// fieldSource is what a mapped input may read besides the record itself:
// participant data and values fetched for the record (summary, transcript).
type fieldSource struct {
	attr  func(name string) string
	extra map[string]string // by fieldmap.Fields name
}

// mapFields resolves the field mapping (Options.Fields) for a record about
// to be written; set as in.Fields right before the upsert, so the party,
// case and agent resolved last are there too.
func (s *Service) mapFields(in appbase.Interaction, src fieldSource) map[string]string {
	if len(s.fields) == 0 {
		return nil
	}
	attr := src.attr
	if attr == nil {
		attr = func(string) string { return "" }
	}
	return s.fields.Values(func(name string) string {
		if v, ok := src.extra[name]; ok {
			return v
		}
		return recordField(in, name)
	}, attr)
}

func recordField(in appbase.Interaction, name string) string {
	switch name {
	case "conversationId":
		return in.ConversationID
	case "direction":
		return in.Direction
	case "mediaType":
		return in.MediaType
	case "ani":
		return in.ANI
	case "dnis":
		return in.DNIS
	case "queue.id":
		return in.QueueID
	case "queue.name":
		return in.QueueName
	case "agent.id":
		return in.AgentUserID
	case "start", "end":
		// ISO-8601 UTC (appbase.TimeLayout), whatever servicejourney.dateFormat says.
		return in.Params()[strings.ToUpper(name)+"TIME"]
	case "duration":
		if in.DurationSeconds > 0 || !in.End.IsZero() {
			return strconv.Itoa(in.DurationSeconds)
		}
	case "wrapup.code":
		return in.WrapupCode
	case "wrapup.name":
		return in.WrapupName
	case "wrapup.notes":
		return in.WrapupNotes
	case "party.id":
		return in.PartyID
	case "case.id":
		return in.CaseID
	}
	return ""
}

// conversationSource reads participant data of a live conversation,
// customer first (as the pop does).
func (s *Service) conversationSource(ctx context.Context, c *genesys.Conversation) fieldSource {
	cust := CustomerParticipant(c)
	src := fieldSource{attr: func(name string) string { return attribute(c, cust, name) }, extra: map[string]string{}}
	if cust != nil {
		src.extra["customer.name"] = cust.Name
	}
	var ids []string
	for i := range c.Participants {
		if p := &c.Participants[i]; isAgent(p.Purpose, p.UserID) && connected(p) {
			ids = append(ids, p.UserID)
		}
	}
	src.extra["agents"] = s.agentList(ctx, ids)
	return src
}

// agentList is the ServiceJourney users of the Genesys users given, in
// order, each once; unmapped ones are left out.
func (s *Service) agentList(ctx context.Context, genesysIDs []string) string {
	var out []string
	for _, id := range genesysIDs {
		if sj, err := s.agent(ctx, id); err == nil && !slices.Contains(out, sj.ID) {
			out = append(out, sj.ID)
		}
	}
	return strings.Join(out, ",")
}

func isAgent(purpose, userID string) bool {
	return userID != "" && (strings.EqualFold(purpose, "agent") || strings.EqualFold(purpose, "user"))
}

// connected: the participant was connected at some point (not only alerted).
func connected(p *genesys.Participant) bool {
	if !p.ConnectedTime.IsZero() {
		return true
	}
	for _, call := range p.Calls {
		if !call.ConnectedTime.IsZero() {
			return true
		}
	}
	for _, legs := range [][]genesys.MediaSession{p.Chats, p.Emails, p.Messages, p.Callbacks, p.SocialExpressions, p.Videos} {
		for _, m := range legs {
			if !m.ConnectedTime.IsZero() {
				return true
			}
		}
	}
	return false
}

// analyticsSource reads participant data from analytics (details jobs
// carry it; the query does not), customer first.
func (s *Service) analyticsSource(ctx context.Context, c *genesys.AnalyticsConversation, cust *genesys.AnalyticsParticipant) fieldSource {
	src := fieldSource{extra: map[string]string{}}
	if cust != nil {
		src.extra["customer.name"] = cust.ParticipantName
	}
	var ids []string
	for i := range c.Participants {
		if p := &c.Participants[i]; isAgent(p.Purpose, p.UserID) && handled(p) {
			ids = append(ids, p.UserID)
		}
	}
	src.extra["agents"] = s.agentList(ctx, ids)
	src.attr = func(name string) string {
		look := func(p *genesys.AnalyticsParticipant) string {
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
			if v := look(&c.Participants[i]); v != "" {
				return v
			}
		}
		return ""
	}
	return src
}

// parseFields reads Options.Fields over the defaults.
func parseFields(entries map[string]string) (fieldmap.Map, error) {
	m, errs := fieldmap.Parse(entries)
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = "interactions.fields." + e.Error()
		}
		return nil, errors.New(strings.Join(msgs, "; "))
	}
	return m, nil
}
