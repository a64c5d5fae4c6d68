package genesys

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

// AnalyticsService covers conversation detail queries (docs/upstreams.md).
type AnalyticsService service

// ConversationQuery is the body of the synchronous details query.
type ConversationQuery struct {
	// Interval is "start/end" in ISO-8601, e.g.
	// "2024-05-01T00:00:00.000Z/2024-05-02T00:00:00.000Z". Required.
	Interval            string         `json:"interval"`
	Order               string         `json:"order,omitempty"`   // asc, desc
	OrderBy             string         `json:"orderBy,omitempty"` // conversationStart, ...
	Paging              *PagingSpec    `json:"paging,omitempty"`
	ConversationFilters []DetailFilter `json:"conversationFilters,omitempty"`
	SegmentFilters      []DetailFilter `json:"segmentFilters,omitempty"`
}

// PagingSpec pages the synchronous query (default page size 25; 100 is the
// commonly assumed maximum, UNVERIFIED).
type PagingSpec struct {
	PageSize   int `json:"pageSize"`
	PageNumber int `json:"pageNumber"`
}

// DetailFilter is {type: and|or, predicates, clauses}.
type DetailFilter struct {
	Type       string            `json:"type"`
	Predicates []DetailPredicate `json:"predicates,omitempty"`
	Clauses    []DetailClause    `json:"clauses,omitempty"`
}

// DetailClause groups predicates inside a filter.
type DetailClause struct {
	Type       string            `json:"type"`
	Predicates []DetailPredicate `json:"predicates"`
}

// DetailPredicate matches one dimension, property or metric.
type DetailPredicate struct {
	Type      string        `json:"type,omitempty"` // dimension (default), property, metric
	Dimension string        `json:"dimension,omitempty"`
	Metric    string        `json:"metric,omitempty"`
	Operator  string        `json:"operator,omitempty"` // matches (default), exists, notExists
	Value     string        `json:"value,omitempty"`
	Range     *NumericRange `json:"range,omitempty"`
}

// NumericRange bounds a metric predicate.
type NumericRange struct {
	Gt  *float64 `json:"gt,omitempty"`
	Gte *float64 `json:"gte,omitempty"`
	Lt  *float64 `json:"lt,omitempty"`
	Lte *float64 `json:"lte,omitempty"`
}

// ConversationQueryResponse is one page of the synchronous query.
type ConversationQueryResponse struct {
	Conversations []AnalyticsConversation `json:"conversations"`
	TotalHits     int                     `json:"totalHits"`
}

// AnalyticsConversation is a conversation as analytics sees it. The sync
// query leaves participant attributes out; job results include them.
type AnalyticsConversation struct {
	ConversationID        string                 `json:"conversationId"`
	ConversationStart     time.Time              `json:"conversationStart,omitzero"`
	ConversationEnd       time.Time              `json:"conversationEnd,omitzero"`
	OriginatingDirection  string                 `json:"originatingDirection,omitempty"`
	ConversationInitiator string                 `json:"conversationInitiator,omitempty"`
	CustomerParticipation bool                   `json:"customerParticipation,omitempty"`
	DivisionIDs           []string               `json:"divisionIds,omitempty"`
	ExternalTag           string                 `json:"externalTag,omitempty"`
	Participants          []AnalyticsParticipant `json:"participants,omitempty"`
}

// AnalyticsParticipant is one participant of an analytics conversation.
type AnalyticsParticipant struct {
	ParticipantID          string             `json:"participantId"`
	ParticipantName        string             `json:"participantName,omitempty"`
	Purpose                string             `json:"purpose,omitempty"`
	UserID                 string             `json:"userId,omitempty"`
	TeamID                 string             `json:"teamId,omitempty"`
	ExternalContactID      string             `json:"externalContactId,omitempty"`
	ExternalOrganizationID string             `json:"externalOrganizationId,omitempty"`
	Attributes             map[string]string  `json:"attributes,omitempty"` // job results only
	Sessions               []AnalyticsSession `json:"sessions,omitempty"`
}

// AnalyticsSession is one media session of a participant.
type AnalyticsSession struct {
	SessionID    string             `json:"sessionId,omitempty"`
	MediaType    string             `json:"mediaType,omitempty"` // voice, chat, email, message, ...
	Direction    string             `json:"direction,omitempty"`
	Ani          string             `json:"ani,omitempty"`
	Dnis         string             `json:"dnis,omitempty"`
	SessionDnis  string             `json:"sessionDnis,omitempty"`
	AddressFrom  string             `json:"addressFrom,omitempty"`
	AddressTo    string             `json:"addressTo,omitempty"`
	Remote       string             `json:"remote,omitempty"`
	Provider     string             `json:"provider,omitempty"`
	PeerID       string             `json:"peerId,omitempty"`
	EdgeID       string             `json:"edgeId,omitempty"`
	Metrics      []AnalyticsMetric  `json:"metrics,omitempty"`
	Segments     []AnalyticsSegment `json:"segments,omitempty"`
	CallbackNums []string           `json:"callbackNumbers,omitempty"`
}

// AnalyticsMetric is one session metric (tHandle, tTalk, ...).
type AnalyticsMetric struct {
	Name     string    `json:"name"`
	Value    float64   `json:"value"`
	EmitDate time.Time `json:"emitDate,omitzero"`
}

// AnalyticsSegment is one segment of a session; WrapUpCode is a code id.
type AnalyticsSegment struct {
	SegmentType    string    `json:"segmentType,omitempty"`
	SegmentStart   time.Time `json:"segmentStart,omitzero"`
	SegmentEnd     time.Time `json:"segmentEnd,omitzero"`
	QueueID        string    `json:"queueId,omitempty"`
	GroupID        string    `json:"groupId,omitempty"`
	WrapUpCode     string    `json:"wrapUpCode,omitempty"`
	WrapUpNote     string    `json:"wrapUpNote,omitempty"`
	WrapUpTags     []string  `json:"wrapUpTags,omitempty"`
	DisconnectType string    `json:"disconnectType,omitempty"`
	Conference     bool      `json:"conference,omitempty"`
}

const detailsQueryPath = "/api/v2/analytics/conversations/details/query"

// QueryConversationDetails runs the synchronous query for one page. The
// query only reads, so it is retried like a GET.
func (s *AnalyticsService) QueryConversationDetails(ctx context.Context, q *ConversationQuery) (*ConversationQueryResponse, error) {
	if q == nil || q.Interval == "" {
		return nil, fmt.Errorf("genesys: ConversationQuery.Interval is empty; give \"start/end\" in ISO-8601")
	}
	var res ConversationQueryResponse
	r := &request{method: http.MethodPost, area: "analytics", route: detailsQueryPath, path: detailsQueryPath, body: q, idempotent: true}
	if err := s.client.do(ctx, r, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// QueryAllConversationDetails pages the synchronous query from page 1 (or
// q.Paging.PageNumber) until a page holds fewer than the page size
// (default 100), and returns every conversation. q is not modified.
func (s *AnalyticsService) QueryAllConversationDetails(ctx context.Context, q *ConversationQuery) ([]AnalyticsConversation, error) {
	if q == nil {
		return nil, fmt.Errorf("genesys: ConversationQuery is nil")
	}
	qq := *q
	paging := PagingSpec{PageSize: 100, PageNumber: 1}
	if q.Paging != nil {
		if q.Paging.PageSize > 0 {
			paging.PageSize = q.Paging.PageSize
		}
		if q.Paging.PageNumber > 0 {
			paging.PageNumber = q.Paging.PageNumber
		}
	}
	qq.Paging = &paging
	var all []AnalyticsConversation
	for n := 0; n < maxPages; n++ {
		res, err := s.QueryConversationDetails(ctx, &qq)
		if err != nil {
			return nil, err
		}
		all = append(all, res.Conversations...)
		if len(res.Conversations) < paging.PageSize || (res.TotalHits > 0 && len(all) >= res.TotalHits) {
			return all, nil
		}
		paging.PageNumber++
	}
	return nil, fmt.Errorf("genesys: %s: more than %d pages; narrow the interval", detailsQueryPath, maxPages)
}

// AsyncConversationQuery is the body of a details job (docs/upstreams.md): the
// interval selects conversations with activity during it.
// Model: platformclientv2.Asyncconversationquery.
type AsyncConversationQuery struct {
	Interval                   string         `json:"interval"`
	Order                      string         `json:"order,omitempty"`
	OrderBy                    string         `json:"orderBy,omitempty"`
	Limit                      int            `json:"limit,omitempty"`
	StartOfDayIntervalMatching bool           `json:"startOfDayIntervalMatching,omitempty"`
	ConversationFilters        []DetailFilter `json:"conversationFilters,omitempty"`
	SegmentFilters             []DetailFilter `json:"segmentFilters,omitempty"`
}

// DetailsJobStatus: State is QUEUED, PENDING, FAILED, CANCELLED, FULFILLED or EXPIRED.
// Model: platformclientv2.Asyncquerystatus.
type DetailsJobStatus struct {
	State          string    `json:"state"`
	ErrorMessage   string    `json:"errorMessage,omitempty"`
	SubmissionDate time.Time `json:"submissionDate,omitzero"`
	CompletionDate time.Time `json:"completionDate,omitzero"`
	ExpirationDate time.Time `json:"expirationDate,omitzero"`
}

// DetailsJobResults is one page of job results; repeat while Cursor is set.
// Model: platformclientv2.Analyticsconversationasyncqueryresponse.
type DetailsJobResults struct {
	Conversations        []AnalyticsConversation `json:"conversations"`
	Cursor               string                  `json:"cursor,omitempty"`
	DataAvailabilityDate time.Time               `json:"dataAvailabilityDate,omitzero"`
}

const jobsPath = "/api/v2/analytics/conversations/details/jobs"

// CreateDetailsJob submits an async query and returns its job id
// (platformclientv2.AnalyticsApi.PostAnalyticsConversationsDetailsJobs;
// answer Model: platformclientv2.Asyncqueryresponse). Not
// retried after a 5xx: that could start two jobs against the concurrency limit.
func (s *AnalyticsService) CreateDetailsJob(ctx context.Context, q *AsyncConversationQuery) (string, error) {
	if q == nil || q.Interval == "" {
		return "", fmt.Errorf("genesys: AsyncConversationQuery.Interval is empty; give \"start/end\" in ISO-8601")
	}
	var res struct {
		JobID string `json:"jobId"`
	}
	r := &request{method: http.MethodPost, area: "analytics", route: jobsPath, path: jobsPath, body: q}
	if err := s.client.do(ctx, r, &res); err != nil {
		return "", err
	}
	if res.JobID == "" {
		return "", &ResponseError{Status: 202, Method: r.method, Route: r.route, Host: s.client.core.apiHost,
			Err: fmt.Errorf("no jobId in the answer")}
	}
	return res.JobID, nil
}

// GetDetailsJob returns the job's state.
func (s *AnalyticsService) GetDetailsJob(ctx context.Context, jobID string) (*DetailsJobStatus, error) {
	id, err := pathID("job id", jobID)
	if err != nil {
		return nil, err
	}
	var st DetailsJobStatus
	if err := s.client.do(ctx, get("analytics", jobsPath+"/{id}", jobsPath+"/"+id, nil), &st); err != nil {
		return nil, err
	}
	return &st, nil
}

// GetDetailsJobResults returns one page of a fulfilled job; pass "" as
// cursor for the first page and pageSize 0 for the Genesys default.
func (s *AnalyticsService) GetDetailsJobResults(ctx context.Context, jobID, cursor string, pageSize int) (*DetailsJobResults, error) {
	id, err := pathID("job id", jobID)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	if pageSize > 0 {
		q.Set("pageSize", strconv.Itoa(pageSize))
	}
	var res DetailsJobResults
	if err := s.client.do(ctx, get("analytics", jobsPath+"/{id}/results", jobsPath+"/"+id+"/results", q), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// DetailsJobsAvailability is the date up to which details jobs hold data
// (they may lag the synchronous query by up to a day).
// Model: platformclientv2.Dataavailabilityresponse
// (AnalyticsApi.GetAnalyticsConversationsDetailsJobsAvailability).
func (s *AnalyticsService) DetailsJobsAvailability(ctx context.Context) (time.Time, error) {
	var res struct {
		DataAvailabilityDate time.Time `json:"dataAvailabilityDate"`
	}
	if err := s.client.do(ctx, get("analytics", jobsPath+"/availability", jobsPath+"/availability", nil), &res); err != nil {
		return time.Time{}, err
	}
	return res.DataAvailabilityDate, nil
}

// DeleteDetailsJob cancels a job.
func (s *AnalyticsService) DeleteDetailsJob(ctx context.Context, jobID string) error {
	id, err := pathID("job id", jobID)
	if err != nil {
		return err
	}
	r := &request{method: http.MethodDelete, area: "analytics", route: jobsPath + "/{id}", path: jobsPath + "/" + id, idempotent: true}
	return s.client.do(ctx, r, nil)
}
