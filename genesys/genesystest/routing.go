package genesystest

import (
	"net/http"
	"strings"
)

// wireNamed is the shape shared by Queue and WrapupCode (docs/upstreams.md).
type wireNamed struct {
	ID          string  `json:"id"`
	Name        string  `json:"name"`
	Division    wireRef `json:"division"`
	DateCreated string  `json:"dateCreated"`
	SelfURI     string  `json:"selfUri"`
}

func (s *Server) namedWire(n *named, base string) wireNamed {
	dv := s.data.homeDivision
	return wireNamed{
		ID:          n.ID,
		Name:        n.Name,
		Division:    wireRef{ID: dv.ID, Name: dv.Name, SelfURI: "/api/v2/authorization/divisions/" + dv.ID},
		DateCreated: isoTime(n.Created),
		SelfURI:     base + n.ID,
	}
}

// listNamed serves a paged listing with an optional name filter (a prefix,
// case-insensitive, "*" wildcards removed).
func (s *Server) listNamed(w http.ResponseWriter, r *http.Request, o *ordered[named], base string) {
	size, number, ok := s.pageParams(w, r)
	if !ok {
		return
	}
	name := strings.ToLower(strings.ReplaceAll(r.URL.Query().Get("name"), "*", ""))
	s.mu.Lock()
	var all []wireNamed
	for _, n := range o.list() {
		if name == "" || strings.HasPrefix(strings.ToLower(n.Name), name) {
			all = append(all, s.namedWire(n, base))
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, newListing(r, all, size, number))
}

func (s *Server) getNamed(w http.ResponseWriter, o *ordered[named], what, id, base string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := o.get(id)
	if !ok {
		notFound(w, what, id)
		return
	}
	writeJSON(w, http.StatusOK, s.namedWire(n, base))
}

func (s *Server) handleListQueues(w http.ResponseWriter, r *http.Request) {
	s.listNamed(w, r, &s.data.queues, "/api/v2/routing/queues/")
}

func (s *Server) handleGetQueue(w http.ResponseWriter, r *http.Request) {
	s.getNamed(w, &s.data.queues, "queue", r.PathValue("queueId"), "/api/v2/routing/queues/")
}

func (s *Server) handleListWrapupCodes(w http.ResponseWriter, r *http.Request) {
	s.listNamed(w, r, &s.data.wrapups, "/api/v2/routing/wrapupcodes/")
}

func (s *Server) handleGetWrapupCode(w http.ResponseWriter, r *http.Request) {
	s.getNamed(w, &s.data.wrapups, "wrap-up code", r.PathValue("codeId"), "/api/v2/routing/wrapupcodes/")
}
