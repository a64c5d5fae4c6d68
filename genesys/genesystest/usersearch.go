package genesystest

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// searchRequest is UserSearchRequest / GroupSearchRequest (docs/upstreams.md).
type searchRequest struct {
	PageSize   int              `json:"pageSize,omitempty"`
	PageNumber int              `json:"pageNumber,omitempty"`
	SortOrder  string           `json:"sortOrder,omitempty"`
	SortBy     string           `json:"sortBy,omitempty"`
	Expand     []string         `json:"expand,omitempty"`
	Query      []searchCriteria `json:"query"`
}

// paging fills the default page and answers 400 for one out of range,
// as every search endpoint does.
func (req *searchRequest) paging(w http.ResponseWriter) bool {
	if req.PageSize == 0 {
		req.PageSize = defaultPageSize
	}
	if req.PageNumber == 0 {
		req.PageNumber = 1
	}
	if req.PageSize < 0 || req.PageSize > maxSearchPageSize || req.PageNumber < 0 {
		badRequest(w, "pageSize must be 1..100 and pageNumber at least 1")
		return false
	}
	return true
}

type searchCriteria struct {
	Type     string           `json:"type"`
	Fields   []string         `json:"fields,omitempty"`
	Value    string           `json:"value,omitempty"`
	Values   []string         `json:"values,omitempty"`
	Operator string           `json:"operator,omitempty"`
	Group    []searchCriteria `json:"group,omitempty"`
}

// searchResponse is UsersSearchResponse: matches in results, pages as q64.
// Model: platformclientv2.Userssearchresponse / Groupssearchresponse
// (results is required: an empty search sends []).
type searchResponse struct {
	Total        int      `json:"total"`
	PageCount    int      `json:"pageCount"`
	PageSize     int      `json:"pageSize"`
	PageNumber   int      `json:"pageNumber"`
	PreviousPage string   `json:"previousPage,omitempty"`
	CurrentPage  string   `json:"currentPage,omitempty"`
	NextPage     string   `json:"nextPage,omitempty"`
	Types        []string `json:"types"`
	Results      any      `json:"results"`
}

// maxSearchPageSize caps search pages [UNVERIFIED; 100 is the common limit].
const maxSearchPageSize = 100

// fieldGetter returns the searchable value of a field, or false if the fake
// does not index that field.
type fieldGetter func(field string) (string, bool)

// matchCriteria applies criteria the way the search service combines them:
// AND criteria must all match, NOT criteria must not, and when OR criteria
// exist at least one must. It returns an error text for unsupported input.
func matchCriteria(cs []searchCriteria, get fieldGetter) (bool, string) {
	anyOr, orHit := false, false
	for _, c := range cs {
		hit, errText := matchCriterion(c, get)
		if errText != "" {
			return false, errText
		}
		switch strings.ToUpper(c.Operator) {
		case "", "AND":
			if !hit {
				return false, ""
			}
		case "OR":
			anyOr = true
			orHit = orHit || hit
		case "NOT":
			if hit {
				return false, ""
			}
		default:
			return false, "query.operator must be AND, OR or NOT; got " + c.Operator
		}
	}
	return !anyOr || orHit, ""
}

func matchCriterion(c searchCriteria, get fieldGetter) (bool, string) {
	if len(c.Group) > 0 {
		return matchCriteria(c.Group, get)
	}
	typ := strings.ToUpper(c.Type)
	if typ == "MATCH_ALL" {
		return true, ""
	}
	if len(c.Fields) == 0 {
		return false, "query.fields is required for type " + c.Type
	}
	values := c.Values
	if c.Value != "" {
		values = append([]string{c.Value}, values...)
	}
	for _, f := range c.Fields {
		have, ok := get(f)
		if !ok {
			return false, "query.fields: the fake cannot search field " + f
		}
		have = strings.ToLower(have)
		switch typ {
		case "REQUIRED_FIELDS":
			if have != "" {
				return true, ""
			}
			continue
		case "EXACT", "TERM", "TERMS", "CONTAINS", "STARTS_WITH":
		default:
			return false, "query.type " + c.Type + " is not supported by the fake (EXACT, TERM, TERMS, CONTAINS, STARTS_WITH, REQUIRED_FIELDS, MATCH_ALL)"
		}
		for _, v := range values {
			v = strings.ToLower(v)
			switch {
			case (typ == "EXACT" || typ == "TERM" || typ == "TERMS") && have == v,
				typ == "CONTAINS" && strings.Contains(have, v),
				typ == "STARTS_WITH" && strings.HasPrefix(have, v):
				return true, ""
			}
		}
	}
	return false, ""
}

func userField(u *User, div Division) fieldGetter {
	return func(f string) (string, bool) {
		switch f {
		case "id":
			return u.ID, true
		case "name":
			return u.Name, true
		case "email", "addresses", "primaryContactInfo.address":
			return u.Email, true
		case "username":
			return u.Username, true
		case "state":
			return u.State, true
		case "title":
			return u.Title, true
		case "department":
			return u.Department, true
		case "division.id":
			return div.ID, true
		}
		return "", false
	}
}

func encodeQ64(req searchRequest) string {
	b, _ := json.Marshal(req)
	return base64.StdEncoding.EncodeToString(b)
}

// POST /api/v2/users/search.
func (s *Server) handleSearchUsers(w http.ResponseWriter, r *http.Request) {
	var req searchRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	s.searchUsers(w, r, req)
}

// GET /api/v2/users/search?q64=... follows a nextPage value.
func (s *Server) handleSearchUsersQ64(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("q64")
	b, err := base64.StdEncoding.DecodeString(raw)
	var req searchRequest
	if raw == "" || err != nil || json.Unmarshal(b, &req) != nil {
		badRequest(w, "q64 must be a nextPage/previousPage value from a previous search")
		return
	}
	if ex := multiParam(r.URL.Query(), "expand"); len(ex) > 0 {
		req.Expand = ex
	}
	s.searchUsers(w, r, req)
}

func (s *Server) searchUsers(w http.ResponseWriter, r *http.Request, req searchRequest) {
	if !req.paging(w) {
		return
	}
	// Without a state criterion only active users are searched.
	stateGiven := false
	var walk func([]searchCriteria)
	walk = func(cs []searchCriteria) {
		for _, c := range cs {
			stateGiven = stateGiven || slices.Contains(c.Fields, "state")
			walk(c.Group)
		}
	}
	walk(req.Query)

	tok := tokenFrom(r)
	s.mu.Lock()
	var errText string
	users := s.orgUsers(tok.orgID, func(u *User) bool {
		if errText != "" || (!stateGiven && u.State != "active") {
			return false
		}
		ok, e := matchCriteria(req.Query, userField(u, s.data.userDivision(u)))
		errText = e
		return ok
	})
	if errText != "" {
		s.mu.Unlock()
		badRequest(w, errText)
		return
	}
	if strings.EqualFold(req.SortOrder, "DESC") {
		slices.Reverse(users)
	}
	page := pageOf(users, req.PageSize, req.PageNumber)
	results := make([]wireUser, len(page))
	for i, u := range page {
		results[i] = s.userWire(u, req.Expand)
	}
	s.mu.Unlock()

	resp := searchResponse{
		Total:      len(users),
		PageCount:  pageCount(len(users), req.PageSize),
		PageSize:   req.PageSize,
		PageNumber: req.PageNumber,
		Types:      []string{"users"},
		Results:    results,
	}
	at := func(n int) string { c := req; c.PageNumber = n; return encodeQ64(c) }
	resp.CurrentPage = at(req.PageNumber)
	if req.PageNumber < resp.PageCount {
		resp.NextPage = at(req.PageNumber + 1)
	}
	if req.PageNumber > 1 {
		resp.PreviousPage = at(req.PageNumber - 1)
	}
	writeJSON(w, http.StatusOK, resp)
}
