package genesystest

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// analyticsQuery is ConversationQuery / AsyncConversationQuery (docs/upstreams.md).
type analyticsQuery struct {
	Interval            string         `json:"interval"`
	Order               string         `json:"order"`
	OrderBy             string         `json:"orderBy"`
	Paging              *queryPaging   `json:"paging"`
	ConversationFilters []detailFilter `json:"conversationFilters"`
	SegmentFilters      []detailFilter `json:"segmentFilters"`
	EvaluationFilters   []any          `json:"evaluationFilters"`
	SurveyFilters       []any          `json:"surveyFilters"`
	ResolutionFilters   []any          `json:"resolutionFilters"`
	Aggregations        []any          `json:"aggregations"`
	Limit               int            `json:"limit"`
}

type queryPaging struct {
	PageSize   int `json:"pageSize"`
	PageNumber int `json:"pageNumber"`
}

type detailFilter struct {
	Type       string         `json:"type"`
	Predicates []predicate    `json:"predicates"`
	Clauses    []detailClause `json:"clauses"`
}

type detailClause struct {
	Type       string      `json:"type"`
	Predicates []predicate `json:"predicates"`
}

type predicate struct {
	Type      string          `json:"type"`
	Dimension string          `json:"dimension"`
	Operator  string          `json:"operator"`
	Value     string          `json:"value"`
	Range     json.RawMessage `json:"range"`
}

// maxAnalyticsPageSize is the sync query's page limit [UNVERIFIED: 100 is
// the commonly assumed maximum, docs/upstreams.md].
const maxAnalyticsPageSize = 100

// Wire shapes of analytics conversations (docs/upstreams.md).
type wireAConversation struct {
	ConversationID       string             `json:"conversationId"`
	ConversationStart    string             `json:"conversationStart"`
	ConversationEnd      string             `json:"conversationEnd,omitempty"`
	OriginatingDirection string             `json:"originatingDirection"`
	DivisionIDs          []string           `json:"divisionIds"`
	ExternalTag          string             `json:"externalTag,omitempty"`
	Participants         []wireAParticipant `json:"participants"`
	start, end           time.Time          // for ordering; zero end = active
}

type wireAParticipant struct {
	ParticipantID   string            `json:"participantId"`
	ParticipantName string            `json:"participantName,omitempty"`
	Purpose         string            `json:"purpose"`
	UserID          string            `json:"userId,omitempty"`
	Attributes      map[string]string `json:"attributes,omitempty"` // async job results only
	Sessions        []wireASession    `json:"sessions"`
}

type wireASession struct {
	SessionID string         `json:"sessionId"`
	MediaType string         `json:"mediaType"`
	Direction string         `json:"direction"`
	ANI       string         `json:"ani,omitempty"`
	DNIS      string         `json:"dnis,omitempty"`
	Provider  string         `json:"provider,omitempty"`
	Segments  []wireASegment `json:"segments"`
}

type wireASegment struct {
	SegmentStart   string `json:"segmentStart"`
	SegmentEnd     string `json:"segmentEnd,omitempty"`
	SegmentType    string `json:"segmentType"`
	QueueID        string `json:"queueId,omitempty"`
	WrapUpCode     string `json:"wrapUpCode,omitempty"`
	WrapUpNote     string `json:"wrapUpNote,omitempty"`
	DisconnectType string `json:"disconnectType,omitempty"`
	Conference     bool   `json:"conference"`
}

// parseInterval reads "start/end" (ISO-8601 instants).
func parseInterval(iv string) (time.Time, time.Time, string) {
	a, b, ok := strings.Cut(iv, "/")
	if iv == "" {
		return time.Time{}, time.Time{}, "interval is required, e.g. 2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z"
	}
	from, err1 := time.Parse(time.RFC3339Nano, a)
	to, err2 := time.Parse(time.RFC3339Nano, b)
	if !ok || err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, "interval must be two ISO-8601 instants separated by '/', got " + iv
	}
	if !to.After(from) {
		return time.Time{}, time.Time{}, "interval end must be after its start, got " + iv
	}
	return from.UTC(), to.UTC(), ""
}

// validateQuery checks what the fake can evaluate and returns an error text.
func validateQuery(q *analyticsQuery) string {
	if len(q.EvaluationFilters)+len(q.SurveyFilters)+len(q.ResolutionFilters) > 0 {
		return "evaluationFilters, surveyFilters and resolutionFilters are not supported by the fake"
	}
	switch strings.ToLower(q.Order) {
	case "", "asc", "desc", "unordered":
	default:
		return "order must be asc, desc or unordered; got " + q.Order
	}
	switch q.OrderBy {
	case "", "conversationStart", "conversationEnd", "segmentStart", "segmentEnd":
	default:
		return "orderBy must be conversationStart, conversationEnd, segmentStart or segmentEnd; got " + q.OrderBy
	}
	for _, fs := range [][]detailFilter{q.ConversationFilters, q.SegmentFilters} {
		for _, f := range fs {
			if e := validateFilter(f); e != "" {
				return e
			}
		}
	}
	return ""
}

func validateFilter(f detailFilter) string {
	ps := slices.Clone(f.Predicates)
	for _, c := range f.Clauses {
		ps = append(ps, c.Predicates...)
	}
	for _, p := range ps {
		if p.Type != "" && p.Type != "dimension" {
			return "predicate type " + p.Type + " is not supported by the fake (only dimension)"
		}
		if len(p.Range) > 0 && string(p.Range) != "null" {
			return "predicate range is not supported by the fake (dimension " + p.Dimension + ")"
		}
		switch p.Operator {
		case "", "matches", "exists", "notExists":
		default:
			return "predicate operator must be matches, exists or notExists; got " + p.Operator
		}
		if _, ok := conversationDims[p.Dimension]; ok {
			continue
		}
		if _, ok := segmentDims[p.Dimension]; !ok {
			return "dimension " + p.Dimension + " is not supported by the fake"
		}
	}
	return ""
}

// segCtx is one segment seen with its session, participant and conversation.
type segCtx struct {
	c   *wireAConversation
	p   *wireAParticipant
	ss  *wireASession
	seg *wireASegment
}

var conversationDims = map[string]func(segCtx) []string{
	"conversationId":       func(x segCtx) []string { return []string{x.c.ConversationID} },
	"originatingDirection": func(x segCtx) []string { return []string{x.c.OriginatingDirection} },
	"externalTag":          func(x segCtx) []string { return []string{x.c.ExternalTag} },
	"conversationEnd":      func(x segCtx) []string { return []string{x.c.ConversationEnd} },
	"divisionId":           func(x segCtx) []string { return x.c.DivisionIDs },
}

var segmentDims = map[string]func(segCtx) []string{
	"mediaType":       func(x segCtx) []string { return []string{x.ss.MediaType} },
	"direction":       func(x segCtx) []string { return []string{x.ss.Direction} },
	"ani":             func(x segCtx) []string { return []string{x.ss.ANI} },
	"dnis":            func(x segCtx) []string { return []string{x.ss.DNIS} },
	"purpose":         func(x segCtx) []string { return []string{x.p.Purpose} },
	"userId":          func(x segCtx) []string { return []string{x.p.UserID} },
	"participantName": func(x segCtx) []string { return []string{x.p.ParticipantName} },
	"queueId":         func(x segCtx) []string { return []string{x.seg.QueueID} },
	"wrapUpCode":      func(x segCtx) []string { return []string{x.seg.WrapUpCode} },
	"segmentType":     func(x segCtx) []string { return []string{x.seg.SegmentType} },
	"segmentEnd":      func(x segCtx) []string { return []string{x.seg.SegmentEnd} },
}

func predicateHolds(p predicate, x segCtx) bool {
	get := conversationDims[p.Dimension]
	if get == nil {
		get = segmentDims[p.Dimension]
	}
	vals := get(x)
	nonEmpty := slices.ContainsFunc(vals, func(v string) bool { return v != "" })
	switch p.Operator {
	case "exists":
		return nonEmpty
	case "notExists":
		return !nonEmpty
	}
	return slices.ContainsFunc(vals, func(v string) bool { return strings.EqualFold(v, p.Value) })
}

func combine(typ string, results []bool) bool {
	if len(results) == 0 {
		return true
	}
	if strings.EqualFold(typ, "or") {
		return slices.Contains(results, true)
	}
	return !slices.Contains(results, false)
}

func filterHolds(f detailFilter, x segCtx) bool {
	var rs []bool
	for _, p := range f.Predicates {
		rs = append(rs, predicateHolds(p, x))
	}
	for _, c := range f.Clauses {
		var cr []bool
		for _, p := range c.Predicates {
			cr = append(cr, predicateHolds(p, x))
		}
		rs = append(rs, combine(c.Type, cr))
	}
	return combine(f.Type, rs)
}

// segments lists every segment of a conversation in context.
func (c *wireAConversation) segments() []segCtx {
	var out []segCtx
	for i := range c.Participants {
		p := &c.Participants[i]
		for j := range p.Sessions {
			ss := &p.Sessions[j]
			for k := range ss.Segments {
				out = append(out, segCtx{c: c, p: p, ss: ss, seg: &ss.Segments[k]})
			}
		}
	}
	return out
}

// matches applies the filters: each conversation filter must hold (checked
// with any segment, as conversation dimensions are the same on all); each
// segment filter must hold for at least one segment.
func (q *analyticsQuery) matches(c *wireAConversation) bool {
	segs := c.segments()
	for _, fs := range [][]detailFilter{q.ConversationFilters, q.SegmentFilters} {
		for _, f := range fs {
			if !slices.ContainsFunc(segs, func(x segCtx) bool { return filterHolds(f, x) }) {
				return false
			}
		}
	}
	return true
}

// analyticsConversation renders a stored conversation in analytics shape;
// the caller holds s.mu. Each media element is a session; a participant
// without media gets one voice session.
func (s *Server) analyticsConversation(c *Conversation, withAttributes bool) wireAConversation {
	div := c.DivisionID
	if div == "" {
		div = s.data.homeDivision.ID
	}
	ac := wireAConversation{
		ConversationID:       c.ID,
		ConversationStart:    isoTime(c.StartTime),
		ConversationEnd:      isoTimePtr(c.EndTime),
		OriginatingDirection: c.OriginatingDirection,
		DivisionIDs:          []string{div},
		ExternalTag:          c.ExternalTag,
		Participants:         []wireAParticipant{},
		start:                c.StartTime,
	}
	if c.EndTime != nil {
		ac.end = *c.EndTime
	}
	for i := range c.Participants {
		p := &c.Participants[i]
		ap := wireAParticipant{ParticipantID: p.ID, ParticipantName: p.Name, Purpose: p.Purpose, UserID: p.UserID, Sessions: []wireASession{}}
		if withAttributes && len(p.Attributes) > 0 {
			ap.Attributes = maps.Clone(p.Attributes) // a snapshot, not the live map
		}
		type media struct {
			kind string
			m    Media
		}
		var ms []media
		for _, l := range p.mediaLists() {
			if l.analyticsType == "" {
				continue // analytics has no session type for it
			}
			for _, m := range l.legs {
				ms = append(ms, media{l.analyticsType, m})
			}
		}
		if len(ms) == 0 {
			ms = append(ms, media{"voice", Media{ID: nameUUID("session:" + p.ID)}})
		}
		for k, m := range ms {
			ap.Sessions = append(ap.Sessions, s.analyticsSession(c, p, m.kind, m.m, k == 0))
		}
		ac.Participants = append(ac.Participants, ap)
	}
	return ac
}

func (s *Server) analyticsSession(c *Conversation, p *Participant, kind string, m Media, withWrapup bool) wireASession {
	dir := m.Direction
	if dir == "" {
		dir = c.OriginatingDirection
	}
	ss := wireASession{SessionID: m.ID, MediaType: kind, Direction: dir, Segments: []wireASegment{}}
	if kind == "voice" {
		ss.ANI, ss.DNIS, ss.Provider = p.ANI, p.DNIS, "Edge"
	}
	start := p.StartTime
	connected := m.ConnectedTime
	if connected == nil {
		connected = p.ConnectedTime
	}
	end := m.DisconnectedTime
	if end == nil {
		end = p.EndTime
	}
	seg := func(typ string, from time.Time, to *time.Time) {
		ss.Segments = append(ss.Segments, wireASegment{SegmentStart: isoTime(from), SegmentEnd: isoTimePtr(to), SegmentType: typ, QueueID: p.QueueID})
	}
	switch p.Purpose {
	case "agent", "user":
		if connected != nil {
			seg("alert", start, connected)
			seg("interact", *connected, end)
		} else {
			seg("alert", start, end)
		}
	case "ivr":
		seg("ivr", start, end)
	default: // customer, external, acd, ...
		from := start
		if connected != nil && p.Purpose != "acd" {
			from = *connected
		}
		seg("interact", from, end)
	}
	if end != nil && m.DisconnectType != "" {
		ss.Segments[len(ss.Segments)-1].DisconnectType = m.DisconnectType
	}
	if withWrapup && p.Wrapup != nil {
		from := start
		if end != nil {
			from = *end
		} else if connected != nil {
			from = *connected
		}
		to := p.Wrapup.EndTime
		if to == nil && p.Wrapup.DurationSeconds > 0 {
			t := from.Add(time.Duration(p.Wrapup.DurationSeconds) * time.Second)
			to = &t
		}
		ss.Segments = append(ss.Segments, wireASegment{
			SegmentStart: isoTime(from), SegmentEnd: isoTimePtr(to), SegmentType: "wrapup",
			QueueID: p.QueueID, WrapUpCode: p.Wrapup.Code, WrapUpNote: p.Wrapup.Notes,
		})
	}
	return ss
}

// selectConversations evaluates a query; activity=true selects by activity
// during the interval (async jobs), otherwise by start (sync query).
func (s *Server) selectConversations(q *analyticsQuery, from, to time.Time, activity, withAttributes bool) []wireAConversation {
	if !activity && s.opts.analyticsDayMatch {
		from = from.Truncate(24 * time.Hour)
		if t := to.Truncate(24 * time.Hour); !t.Equal(to) {
			to = t.Add(24 * time.Hour)
		}
	}
	s.mu.Lock()
	var out []wireAConversation
	for _, c := range s.data.convs.list() {
		var in bool
		if activity {
			in = c.StartTime.Before(to) && (c.EndTime == nil || !c.EndTime.Before(from))
		} else {
			in = !c.StartTime.Before(from) && c.StartTime.Before(to)
		}
		if !in {
			continue
		}
		ac := s.analyticsConversation(c, withAttributes)
		if q.matches(&ac) {
			out = append(out, ac)
		}
	}
	s.mu.Unlock()

	byEnd := q.OrderBy == "conversationEnd" || q.OrderBy == "segmentEnd"
	slices.SortStableFunc(out, func(a, b wireAConversation) int {
		if byEnd {
			// Active conversations (no end yet) sort last.
			switch {
			case a.end.IsZero() && !b.end.IsZero():
				return 1
			case !a.end.IsZero() && b.end.IsZero():
				return -1
			}
			if c := a.end.Compare(b.end); c != 0 {
				return c
			}
		}
		return a.start.Compare(b.start)
	})
	if strings.EqualFold(q.Order, "desc") {
		slices.Reverse(out)
	}
	return out
}

// POST /api/v2/analytics/conversations/details/query (docs/upstreams.md). The
// sync query returns no participant attributes.
func (s *Server) handleAnalyticsQuery(w http.ResponseWriter, r *http.Request) {
	var q analyticsQuery
	if !decodeJSON(w, r, &q) {
		return
	}
	from, to, e := parseInterval(q.Interval)
	if e == "" {
		e = validateQuery(&q)
	}
	size, number := defaultPageSize, 1
	if q.Paging != nil {
		if q.Paging.PageSize != 0 {
			size = q.Paging.PageSize
		}
		if q.Paging.PageNumber != 0 {
			number = q.Paging.PageNumber
		}
	}
	if e == "" && (size < 1 || size > maxAnalyticsPageSize || number < 1) {
		e = "paging.pageSize must be 1..100 and paging.pageNumber at least 1"
	}
	if e != "" {
		badRequest(w, e)
		return
	}
	all := s.selectConversations(&q, from, to, false, false)
	resp := struct {
		Conversations []wireAConversation `json:"conversations,omitempty"`
		TotalHits     int                 `json:"totalHits"`
	}{Conversations: pageOf(all, size, number), TotalHits: len(all)}
	writeJSON(w, http.StatusOK, resp)
}
