package interactions

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// The agent's own search of ServiceJourney, for when the pop found the
// wrong record or none: by name, phone, e-mail or case number, with the
// same party and case searches the pop runs (FINDPARTIES, FINDCASES).

// Search kinds the agent page offers.
const (
	SearchName  = "name"
	SearchPhone = "phone"
	SearchEmail = "email"
	SearchCase  = "case"
)

// Search limits: a query is a few words; an answer fits the widget, and
// "more results" asks the agent to be more precise instead of paging
// through the customer base.
const (
	MaxSearchText    = 100
	MinSearchName    = 2
	MaxSearchResults = 20
)

// Codes of the search's input errors (InputError.Code), for the page.
const (
	CodeSearchKind     = "searchKind"
	CodeSearchEmpty    = "searchEmpty"
	CodeSearchTooShort = "searchTooShort" // {min}
	CodeSearchTooLong  = "searchTooLong"  // {max}
	CodeSearchNotPhone = "searchNotPhone"
	CodeSearchNotEmail = "searchNotEmail"
)

// SearchQuery is what the agent typed. ConversationID, when given, is the
// conversation the agent may choose a result for: its case numbers are
// kept so the transfer context can name a chosen case by number.
type SearchQuery struct {
	ConversationID string
	Kind, Text     string
}

// SearchResult lists what matched, at most MaxSearchResults.
type SearchResult struct {
	Kind string `json:"kind"`
	// Query is what was searched for: the text trimmed, a phone number in
	// E.164.
	Query   string  `json:"query"`
	Matches []Match `json:"matches"`
	// More: more records matched than are listed.
	More  bool `json:"more"`
	Limit int  `json:"limit"`
}

// Search runs the agent's search for agentUserID, who must be mapped to a
// ServiceJourney user: the searches run as the system user and can return
// any customer, as ExecuteRule's rules can. Errors: *InputError (naming
// the field and with a Code), ErrNoUserMap, *AgentNotMappedError,
// *UpstreamError.
func (s *Service) Search(ctx context.Context, agentUserID string, q SearchQuery) (res *SearchResult, err error) {
	start := time.Now()
	kind := strings.ToLower(strings.TrimSpace(q.Kind))
	defer func() {
		label := kind
		if _, ok := searchKinds[kind]; !ok {
			label = "unknown"
		}
		s.m.searches.WithLabelValues(label, searchOutcome(res, err)).Inc()
		s.m.searchTime.Observe(time.Since(start).Seconds())
	}()
	key, err := s.searchKey(kind, q.Text)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	if _, err := s.agent(ctx, agentUserID); err != nil {
		return nil, err
	}
	matches, err := s.lookup(ctx, key)
	if err != nil {
		return nil, err
	}
	res = &SearchResult{Kind: kind, Query: key.value, Matches: matches, Limit: MaxSearchResults}
	if len(res.Matches) > MaxSearchResults {
		res.Matches, res.More = res.Matches[:MaxSearchResults:MaxSearchResults], true
	}
	s.resolvePages(ctx, res.Matches)
	if q.ConversationID != "" {
		s.rememberMatches(q.ConversationID, res.Matches)
	}
	return res, nil
}

var searchKinds = map[string]string{SearchName: keyName, SearchPhone: KeyPhone, SearchEmail: KeyEmail, SearchCase: KeyCaseID}

// searchKey checks the agent's text for its kind and turns it into the key
// a search runs with (a phone number in E.164, as the pop sends it).
func (s *Service) searchKey(kind, text string) (popKey, error) {
	if _, ok := searchKinds[kind]; !ok {
		return popKey{}, &InputError{Field: "kind", Problem: "must be name, phone, email or case", Code: CodeSearchKind}
	}
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		return popKey{}, &InputError{Field: "text", Problem: "is empty; type what to search for", Code: CodeSearchEmpty}
	case n > MaxSearchText:
		return popKey{}, &InputError{Field: "text", Problem: "is longer than 100 characters", Code: CodeSearchTooLong, Params: map[string]string{"max": "100"}}
	case kind == SearchName && n < MinSearchName:
		return popKey{}, &InputError{Field: "text", Problem: "is shorter than 2 characters; a name search needs at least 2", Code: CodeSearchTooShort, Params: map[string]string{"min": "2"}}
	}
	switch kind {
	case SearchPhone:
		e164, err := NormalizePhone(text, s.opts.DefaultCountry)
		if err != nil {
			return popKey{}, &InputError{Field: "text", Problem: "is not a phone number; write it as the customer gave it or in international form, e.g. +14155550101", Code: CodeSearchNotPhone}
		}
		text = e164
	case SearchEmail:
		if i := strings.IndexByte(text, '@'); i <= 0 || i == len(text)-1 || strings.ContainsAny(text, " \t,;") {
			return popKey{}, &InputError{Field: "text", Problem: "is not an e-mail address (name@example.com)", Code: CodeSearchNotEmail}
		}
	}
	return popKey{kind: searchKinds[kind], value: text}, nil
}

func searchOutcome(r *SearchResult, err error) string {
	switch {
	case err != nil:
		return errorOutcome(err)
	case len(r.Matches) == 0:
		return "none"
	case r.More:
		return "more"
	}
	return "ok"
}
