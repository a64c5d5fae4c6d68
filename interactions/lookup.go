package interactions

import (
	"context"
	"strconv"
	"strings"

	"dcmconnect/appbase"
)

// Lookups for Genesys data actions (an IVR asks "who is calling, and which
// case is theirs?"). They run the same ServiceJourney party and case
// searches as the screen pop, and answer "not found" as a normal result the
// flow can branch on.

// PartyLookup is what a flow sends: at least one field. Phone may be a
// Genesys address (tel:+1..., sip:...) or a national number.
type PartyLookup struct {
	Phone   string `json:"phone,omitempty"`
	Email   string `json:"email,omitempty"`
	PartyID string `json:"partyId,omitempty"`
}

// PartyAnswer is one party found (Found false when none or several match;
// Matches tells which), with its open cases.
type PartyAnswer struct {
	Found   bool   `json:"found"`
	Matches int    `json:"matches"`
	PartyID string `json:"partyId"`
	Name    string `json:"name"`
	// OpenCases counts the party's cases not in a closed state; CaseID and
	// CaseNumber are the most recent of them (highest record id).
	OpenCases  int    `json:"openCases"`
	CaseID     string `json:"caseId"`
	CaseNumber string `json:"caseNumber"`
}

// CaseLookup finds cases of a party or one case by its number.
type CaseLookup struct {
	PartyID    string `json:"partyId,omitempty"`
	CaseNumber string `json:"caseNumber,omitempty"`
}

// CaseAnswer reports the cases found and the most recent open one (or the
// most recent of all when none is open).
type CaseAnswer struct {
	Found      bool   `json:"found"`
	Count      int    `json:"count"`
	OpenCases  int    `json:"openCases"`
	CaseID     string `json:"caseId"`
	CaseNumber string `json:"caseNumber"`
	State      string `json:"state"`
	Summary    string `json:"summary"`
}

// LookupParty finds the party of a phone number, e-mail address or party id.
func (s *Service) LookupParty(ctx context.Context, q PartyLookup) (*PartyAnswer, error) {
	pq, err := s.partyQuery(q)
	if err != nil {
		return nil, err
	}
	parties, err := s.opts.SJ.FindParties(ctx, pq)
	s.count(SystemServiceJourney, appbase.OpFindParties, err)
	if err != nil {
		return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpFindParties, Err: err}
	}
	ans := &PartyAnswer{Matches: len(parties)}
	if len(parties) != 1 {
		return ans, nil
	}
	p := parties[0]
	ans.Found, ans.PartyID, ans.Name = true, p.ID, p.Name
	cases, err := s.opts.SJ.FindCases(ctx, appbase.CaseQuery{PartyID: p.ID})
	s.count(SystemServiceJourney, appbase.OpFindCases, err)
	if err != nil {
		return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpFindCases, Err: err}
	}
	open := openCases(cases)
	ans.OpenCases = len(open)
	if c, ok := mostRecent(open); ok {
		ans.CaseID, ans.CaseNumber = c.ID, c.CaseID
	}
	return ans, nil
}

// LookupCases finds the cases of a party, or a case by its number.
func (s *Service) LookupCases(ctx context.Context, q CaseLookup) (*CaseAnswer, error) {
	cq := appbase.CaseQuery{PartyID: strings.TrimSpace(q.PartyID), CaseID: strings.TrimSpace(q.CaseNumber)}
	if cq.PartyID == "" && cq.CaseID == "" {
		return nil, &InputError{Field: "partyId", Problem: "and caseNumber are both empty; give one of them"}
	}
	for f, v := range map[string]string{"partyId": cq.PartyID, "caseNumber": cq.CaseID} {
		if len(v) > 64 {
			return nil, &InputError{Field: f, Problem: "is longer than 64 characters"}
		}
	}
	cases, err := s.opts.SJ.FindCases(ctx, cq)
	s.count(SystemServiceJourney, appbase.OpFindCases, err)
	if err != nil {
		return nil, &UpstreamError{System: SystemServiceJourney, Op: appbase.OpFindCases, Err: err}
	}
	open := openCases(cases)
	ans := &CaseAnswer{Found: len(cases) > 0, Count: len(cases), OpenCases: len(open)}
	c, ok := mostRecent(open)
	if !ok {
		c, ok = mostRecent(cases)
	}
	if ok {
		ans.CaseID, ans.CaseNumber, ans.State, ans.Summary = c.ID, c.CaseID, c.State, c.Summary
	}
	return ans, nil
}

func (s *Service) partyQuery(q PartyLookup) (appbase.PartyQuery, error) {
	var pq appbase.PartyQuery
	if v := strings.TrimSpace(q.Phone); v != "" {
		p, err := NormalizePhone(v, s.opts.DefaultCountry)
		if err != nil {
			if ie, ok := err.(*InputError); ok {
				ie.Field = "phone"
			}
			return pq, err
		}
		pq.Phone = p
	}
	if v := strings.TrimSpace(q.Email); v != "" {
		if len(v) > 254 || !strings.Contains(v, "@") {
			return pq, &InputError{Field: "email", Problem: "\"" + clip(v) + "\" is not an e-mail address"}
		}
		pq.Email = v
	}
	if v := strings.TrimSpace(q.PartyID); v != "" {
		if len(v) > 64 {
			return pq, &InputError{Field: "partyId", Problem: "is longer than 64 characters"}
		}
		pq.PartyID = v
	}
	if pq == (appbase.PartyQuery{}) {
		return pq, &InputError{Field: "phone", Problem: "email and partyId are all empty; give one of them (a flow sends Call.Ani as phone)"}
	}
	return pq, nil
}

// closedStates are the stock DCM final states; anything else is open.
var closedStates = []string{"closed", "resolved", "cancelled", "canceled", "done", "rejected"}

func openCases(cs []appbase.Case) []appbase.Case {
	var out []appbase.Case
	for _, c := range cs {
		st := strings.ToLower(strings.TrimSpace(c.State))
		closed := false
		for _, f := range closedStates {
			if strings.Contains(st, f) {
				closed = true
				break
			}
		}
		if !closed {
			out = append(out, c)
		}
	}
	return out
}

// mostRecent is the case with the highest numeric record id (AppBase ids
// grow), or the first one when the ids are not numbers.
func mostRecent(cs []appbase.Case) (appbase.Case, bool) {
	if len(cs) == 0 {
		return appbase.Case{}, false
	}
	best, bestID := cs[0], int64(-1)
	for _, c := range cs {
		if id, err := strconv.ParseInt(c.ID, 10, 64); err == nil && id > bestID {
			best, bestID = c, id
		}
	}
	return best, true
}
