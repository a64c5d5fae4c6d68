package genesystest

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// job is an async analytics details job (docs/upstreams.md). Its results are a
// snapshot taken at submission and include participant attributes.
type job struct {
	id        string
	submitted time.Time
	completed time.Time
	polls     int
	results   []wireAConversation
}

// Defaults for job result pages [UNVERIFIED: not in docs/upstreams.md].
const (
	defaultJobPageSize = 1000
	maxJobPageSize     = 1000
)

type jobStatus struct {
	State          string `json:"state"`
	ErrorMessage   string `json:"errorMessage,omitempty"`
	SubmissionDate string `json:"submissionDate"`
	CompletionDate string `json:"completionDate,omitempty"`
	ExpirationDate string `json:"expirationDate,omitempty"`
}

// POST /api/v2/analytics/conversations/details/jobs: 202 {jobId}.
func (s *Server) handleCreateJob(w http.ResponseWriter, r *http.Request) {
	var q analyticsQuery
	if !decodeJSON(w, r, &q) {
		return
	}
	from, to, e := parseInterval(q.Interval)
	if e == "" {
		e = validateQuery(&q)
	}
	if e != "" {
		badRequest(w, e)
		return
	}
	results := s.selectConversations(&q, from, to, true, true)
	if q.Limit > 0 && len(results) > q.Limit {
		results = results[:q.Limit]
	}
	j := &job{id: newUUID(), results: results}
	s.mu.Lock()
	j.submitted = s.now()
	if s.opts.jobPendingPolls <= 0 {
		j.completed = j.submitted
	}
	s.data.jobs[j.id] = j
	s.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]string{"jobId": j.id})
}

// GET .../jobs/{jobId}: PENDING for the configured number of polls, then
// FULFILLED.
func (s *Server) handleGetJob(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobId")
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.data.jobs[id]
	if !ok {
		notFound(w, "analytics job", id)
		return
	}
	st := jobStatus{SubmissionDate: isoTime(j.submitted)}
	if j.completed.IsZero() {
		j.polls++
		if j.polls > s.opts.jobPendingPolls {
			j.completed = s.now()
		}
	}
	if j.completed.IsZero() {
		st.State = "PENDING"
	} else {
		st.State = "FULFILLED"
		st.CompletionDate = isoTime(j.completed)
		st.ExpirationDate = isoTime(j.completed.Add(24 * time.Hour))
	}
	writeJSON(w, http.StatusOK, st)
}

// DELETE .../jobs/{jobId} cancels a job.
func (s *Server) handleDeleteJob(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobId")
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.data.jobs[id]; !ok {
		notFound(w, "analytics job", id)
		return
	}
	delete(s.data.jobs, id)
	w.WriteHeader(http.StatusNoContent)
}

// GET .../jobs/{jobId}/results?cursor=&pageSize=: pages by an opaque cursor,
// which is absent on the last page.
func (s *Server) handleJobResults(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("jobId")
	q := r.URL.Query()
	size := defaultJobPageSize
	if v := q.Get("pageSize"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			badRequest(w, "pageSize must be a positive integer, got "+strconv.Quote(v))
			return
		}
		size = min(n, maxJobPageSize)
	}
	offset := 0
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 {
			badRequest(w, "cursor must be a value returned by a previous results page")
			return
		}
		offset = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	j, ok := s.data.jobs[id]
	if !ok {
		notFound(w, "analytics job", id)
		return
	}
	if j.completed.IsZero() {
		badRequest(w, "the job is not FULFILLED yet; poll its status first")
		return
	}
	resp := struct {
		Conversations        []wireAConversation `json:"conversations"`
		Cursor               string              `json:"cursor,omitempty"`
		DataAvailabilityDate string              `json:"dataAvailabilityDate"`
	}{Conversations: []wireAConversation{}, DataAvailabilityDate: isoTime(j.submitted)}
	if offset < len(j.results) {
		end := min(offset+size, len(j.results))
		resp.Conversations = j.results[offset:end]
		if end < len(j.results) {
			resp.Cursor = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// GET .../jobs/availability: data is always fresh in the fake.
func (s *Server) handleJobAvailability(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.now()
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"dataAvailabilityDate": isoTime(now)})
}
