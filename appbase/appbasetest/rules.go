package appbasetest

import (
	"strconv"
	"strings"
	"time"
)

// Column value kinds; the envelope writer renders each per quirks mode.
type (
	text string    // "" or text; quirks: "" becomes null
	num  string    // an id or number; plain JSON number when numeric, quirks: string
	flag bool      // 1/0; quirks: "1"/"0"
	date time.Time // Unix ms; quirks: new Date(ms)
)

type row map[string]any

// ruleError is the rule-level ERRORCODE/ERRORMESSAGE answer.
type ruleError struct {
	code int
	msg  string
}

// ruleReply is what a contract rule produced. first is the paging offset (for RN).
type ruleReply struct {
	rows  []row
	total int
	first int
	err   *ruleError
	// outputs are extra output parameters and cursors (e.g. PAGECODE, CUR_PARAMS).
	outputs map[string]any
}

type ruleFunc func(s *Server, p map[string]string) ruleReply

// contract maps operations to their in-memory implementations; the caller holds s.mu.
var contract = map[string]ruleFunc{
	"GETUSERS":          (*Server).getUsers,
	"SETUSERMAPPING":    (*Server).setUserMapping,
	"FINDPARTIES":       (*Server).findParties,
	"FINDCASES":         (*Server).findCases,
	"UPSERTINTERACTION": (*Server).upsertInteraction,
	"GETSYNCSTATE":      (*Server).getSyncState,
	"SETSYNCSTATE":      (*Server).setSyncState,
}

func fail(code int, msg string) ruleReply { return ruleReply{err: &ruleError{code, msg}} }

func rows(rs []row) ruleReply { return ruleReply{rows: rs, total: len(rs)} }

// getUsers pages with FIRST (offset, default 0) and LIMIT (default 100),
// like the DCM search rules (docs/upstreams.md).
func (s *Server) getUsers(p map[string]string) ruleReply {
	first, err1 := intParam(p, "FIRST", 0)
	limit, err2 := intParam(p, "LIMIT", 100)
	if err1 != nil || err2 != nil || first < 0 || limit <= 0 {
		return fail(101, "FIRST and LIMIT must be whole numbers, FIRST >= 0 and LIMIT > 0")
	}
	out := ruleReply{total: len(s.users), first: first}
	for i := first; i < len(s.users) && i < first+limit; i++ {
		u := s.users[i]
		out.rows = append(out.rows, row{
			"ID": num(u.ID), "CODE": text(u.Code), "LOGIN": text(u.Login), "NAME": text(u.Name),
			"EMAIL": text(u.Email), "STATUS": text(u.Status), "PURECLOUD_USERID": text(u.PureCloudUserID),
		})
	}
	return out
}

func (s *Server) setUserMapping(p map[string]string) ruleReply {
	id := p["USERID"]
	if id == "" {
		return fail(101, "USERID is required")
	}
	for i := range s.users {
		if s.users[i].ID == id {
			s.users[i].PureCloudUserID = p["PURECLOUD_USERID"]
			return rows([]row{{"ID": num(id)}})
		}
	}
	return fail(120, "User with ID "+id+" was not found")
}

// findParties: every given input must match (PHONE exactly, EMAIL in any
// case, PARTYID, NAME as any part of the name in any case).
func (s *Server) findParties(p map[string]string) ruleReply {
	phone, email, id, name := p["PHONE"], p["EMAIL"], p["PARTYID"], strings.ToLower(p["NAME"])
	if phone == "" && email == "" && id == "" && name == "" {
		return fail(101, "One of PHONE, EMAIL, PARTYID or NAME is required")
	}
	var out []row
	for _, pt := range s.parties {
		if (phone == "" || pt.Phone == phone) && (email == "" || strings.EqualFold(pt.Email, email)) && (id == "" || pt.ID == id) &&
			(name == "" || strings.Contains(strings.ToLower(pt.Name), name)) {
			out = append(out, row{"ID": num(pt.ID), "NAME": text(pt.Name), "PHONE": text(pt.Phone), "EMAIL": text(pt.Email)})
		}
	}
	return rows(out)
}

// findCases: every given input must match (PARTYID; CASEID as case number in any case, or record id).
func (s *Server) findCases(p map[string]string) ruleReply {
	party, caseID := p["PARTYID"], p["CASEID"]
	if party == "" && caseID == "" {
		return fail(101, "One of PARTYID or CASEID is required")
	}
	var out []row
	for _, c := range s.cases {
		if (party == "" || c.PartyID == party) && (caseID == "" || strings.EqualFold(c.CaseID, caseID) || c.ID == caseID) {
			out = append(out, row{"ID": num(c.ID), "CASEID": text(c.CaseID), "SUMMARY": text(c.Summary), "STATE": text(c.State)})
		}
	}
	return rows(out)
}

var fixedInteractionInputs = map[string]bool{"CONVERSATIONID": true, "DIRECTION": true, "MEDIATYPE": true, "ANI": true, "DNIS": true,
	"QUEUEID": true, "QUEUENAME": true, "AGENTUSERID": true, "STARTTIME": true, "ENDTIME": true, "DURATIONSECONDS": true,
	"WRAPUPCODE": true, "WRAPUPNAME": true, "WRAPUPNOTES": true, "PARTYID": true, "CASEID": true,
	"CLEARPARTYID": true, "CLEARCASEID": true}

// upsertInteraction is idempotent by CONVERSATIONID: the first call creates
// the record (CREATED 1), later ones overwrite the fields they carry (CREATED 0).
func (s *Server) upsertInteraction(p map[string]string) ruleReply {
	conv := p["CONVERSATIONID"]
	if conv == "" {
		return fail(101, "CONVERSATIONID is required")
	}
	var start, end time.Time
	var err error
	if v := p["STARTTIME"]; v != "" {
		if start, err = parseDate(v); err != nil {
			return fail(102, "STARTTIME is not an ISO-8601 date: "+v)
		}
	}
	if v := p["ENDTIME"]; v != "" {
		if end, err = parseDate(v); err != nil {
			return fail(102, "ENDTIME is not an ISO-8601 date: "+v)
		}
	}
	dur, derr := intParam(p, "DURATIONSECONDS", 0)
	if derr != nil || dur < 0 {
		return fail(102, "DURATIONSECONDS is not a whole number >= 0: "+p["DURATIONSECONDS"])
	}
	idx, exists := s.byConv[conv]
	if !exists {
		idx = len(s.interactions)
		s.interactions = append(s.interactions, Interaction{ID: s.newID(), ConversationID: conv})
		s.byConv[conv] = idx
	}
	it := &s.interactions[idx]
	set := func(dst *string, key string) {
		if v, ok := p[key]; ok && v != "" {
			*dst = v
		}
	}
	set(&it.Direction, "DIRECTION")
	set(&it.MediaType, "MEDIATYPE")
	set(&it.ANI, "ANI")
	set(&it.DNIS, "DNIS")
	set(&it.QueueID, "QUEUEID")
	set(&it.QueueName, "QUEUENAME")
	set(&it.AgentUserID, "AGENTUSERID")
	set(&it.WrapupCode, "WRAPUPCODE")
	set(&it.WrapupName, "WRAPUPNAME")
	set(&it.WrapupNotes, "WRAPUPNOTES")
	set(&it.PartyID, "PARTYID")
	set(&it.CaseID, "CASEID")
	// The clear markers: the agent rejected the record an earlier write named.
	if p["CLEARPARTYID"] == "1" && p["PARTYID"] == "" {
		it.PartyID = ""
	}
	if p["CLEARCASEID"] == "1" && p["CASEID"] == "" {
		it.CaseID = ""
	}
	if p["CLEARPARTYID"] != "" || p["CLEARCASEID"] != "" {
		it.Clears++
	}
	for k, v := range p {
		if v != "" && !fixedInteractionInputs[k] {
			if it.Fields == nil {
				it.Fields = map[string]string{}
			}
			it.Fields[k] = v
		}
	}
	if !start.IsZero() {
		it.Start = start.UTC()
	}
	if !end.IsZero() {
		it.End = end.UTC()
	}
	if _, ok := p["DURATIONSECONDS"]; ok {
		it.DurationSeconds = dur
	}
	it.Writes++
	return rows([]row{{"ID": num(it.ID), "CREATED": flag(!exists), "MODIFIEDDATE": date(s.now())}})
}

func (s *Server) getSyncState(p map[string]string) ruleReply {
	name := strings.ToUpper(p["NAME"])
	if name == "" {
		return fail(101, "NAME is required")
	}
	v, ok := s.syncState[name]
	if !ok {
		return rows(nil)
	}
	return rows([]row{{"NAME": text(p["NAME"]), "VALUE": text(v)}})
}

func (s *Server) setSyncState(p map[string]string) ruleReply {
	name := p["NAME"]
	if name == "" {
		return fail(101, "NAME is required")
	}
	s.syncState[strings.ToUpper(name)] = p["VALUE"]
	return rows([]row{{"NAME": text(name)}})
}

// parseDate reads ISO-8601 with a zone, or AppBase's own
// yyyy-mm-ddThh24:mi:ss (no zone; taken as UTC, which the client sends).
func parseDate(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t, nil
	}
	return time.Parse("2006-01-02T15:04:05", v)
}

func intParam(p map[string]string, key string, def int) (int, error) {
	v := strings.TrimSpace(p[key])
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}
