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
	// end is the state the job ends in instead of FULFILLED (FailJobs);
	// pagesLeft the result pages it serves before it expires (-1: no limit).
	end, endMessage string
	pagesLeft       int
	expired         bool
	// gen are the generated conversations the job may return after
	// results, made a page at a time; q and [from, to) select them.
	gen      []genPart
	q        analyticsQuery
	from, to time.Time
}

// jobFaults are what FailJobs, ExpireJobsAfter and SetJobsAvailability set.
type jobFaults struct {
	end, endMessage string
	pages           int
	availability    time.Time
}

// FailJobs makes analytics jobs submitted from now on end in state (FAILED
// or CANCELLED) with message, once they would be fulfilled; "" restores
// FULFILLED.
func (s *Server) FailJobs(state, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobFaults.end, s.jobFaults.endMessage = state, message
}

// ExpireJobsAfter makes jobs submitted from now on expire once they have
// served pages result pages: their status answers EXPIRED and their results
// 404 [UNVERIFIED: what Genesys answers for the results of an expired job].
// 0 restores the default (a job expires 24 h after completion, by the
// server's clock).
func (s *Server) ExpireJobsAfter(pages int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobFaults.pages = pages
}

// SetJobsAvailability sets the date up to which jobs hold data (the
// availability endpoint's answer; zero: the server's clock, always fresh).
func (s *Server) SetJobsAvailability(t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobFaults.availability = t
}

// Jobs counts the analytics jobs the server holds (submitted and not deleted).
func (s *Server) Jobs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.data.jobs)
}

// expiredLocked: the job has expired (by its page budget or its date).
func (s *Server) expiredLocked(j *job) bool {
	if !j.expired && !j.completed.IsZero() && s.now().After(j.completed.Add(24*time.Hour)) {
		j.expired = true
	}
	return j.expired
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
	j := &job{id: newUUID(), results: results, pagesLeft: -1, q: q, from: from, to: to}
	s.mu.Lock()
	j.gen = s.generatedParts(from, to)
	j.end, j.endMessage = s.jobFaults.end, s.jobFaults.endMessage
	if s.jobFaults.pages > 0 {
		j.pagesLeft = s.jobFaults.pages
	}
	j.submitted = s.now()
	if s.opts.jobPendingPolls <= 0 {
		j.completed = j.submitted
	}
	s.data.jobs[j.id] = j
	s.mu.Unlock()
	writeJSON(w, http.StatusAccepted, map[string]string{"jobId": j.id})
}

// GET .../jobs/{jobId}: QUEUED on the first poll and PENDING after it, for
// the configured number of polls, then FULFILLED (or the state FailJobs set),
// EXPIRED once it expired.
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
	switch {
	case j.completed.IsZero() && j.polls <= 1:
		st.State = "QUEUED"
	case j.completed.IsZero():
		st.State = "PENDING"
	case j.end != "":
		st.State, st.ErrorMessage = j.end, j.endMessage
		st.CompletionDate = isoTime(j.completed)
	case s.expiredLocked(j):
		st.State = "EXPIRED"
		st.CompletionDate = isoTime(j.completed)
		st.ExpirationDate = isoTime(j.completed.Add(24 * time.Hour))
	default:
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
	if j.completed.IsZero() || j.end != "" {
		badRequest(w, "the job is not FULFILLED; poll its status first")
		return
	}
	if s.expiredLocked(j) {
		notFound(w, "analytics job (expired)", id)
		return
	}
	if j.pagesLeft > 0 {
		if j.pagesLeft--; j.pagesLeft == 0 {
			j.expired = true // after this page
		}
	}
	resp := struct {
		Conversations        []wireAConversation `json:"conversations"`
		Cursor               string              `json:"cursor,omitempty"`
		DataAvailabilityDate string              `json:"dataAvailabilityDate"`
	}{Conversations: []wireAConversation{}, DataAvailabilityDate: isoTime(j.submitted)}
	total := len(j.results) + genLen(j.gen)
	if offset < total {
		end := min(offset+size, total)
		page := make([]wireAConversation, 0, end-offset)
		if offset < len(j.results) {
			page = append(page, j.results[offset:min(end, len(j.results))]...)
		}
		if end > len(j.results) {
			page = append(page, s.generatedPage(j, offset-len(j.results), end-len(j.results))...)
		}
		resp.Conversations = page
		if end < total {
			resp.Cursor = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// GET .../jobs/availability: fresh unless SetJobsAvailability says otherwise.
func (s *Server) handleJobAvailability(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	at := s.jobFaults.availability
	if at.IsZero() {
		at = s.now()
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"dataAvailabilityDate": isoTime(at)})
}
