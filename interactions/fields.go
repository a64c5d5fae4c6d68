package interactions

import (
	"errors"
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
func conversationSource(c *genesys.Conversation) fieldSource {
	cust := CustomerParticipant(c)
	src := fieldSource{attr: func(name string) string { return attribute(c, cust, name) }, extra: map[string]string{}}
	if cust != nil {
		src.extra["customer.name"] = cust.Name
	}
	return src
}

// analyticsSource reads participant data from analytics (details jobs
// carry it; the query does not), customer first.
func analyticsSource(c *genesys.AnalyticsConversation, cust *genesys.AnalyticsParticipant) fieldSource {
	src := fieldSource{extra: map[string]string{}}
	if cust != nil {
		src.extra["customer.name"] = cust.ParticipantName
	}
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
