package appbasetest

import (
	"strconv"
	"strings"

	"dcmconnect/appbase"
)

// The stock DCM rules the standard profile runs, with the inputs and
// columns of the real ones and their matching: the party search strips
// non-digits and matches a digit substring, and returns nothing unless the
// caller is an active Case Worker; the case search likewise shows nothing to
// a caller who is none. Requests and faults count them under their
// operation (FINDPARTIES, FINDCASES, GETUSERS).
var standardRules = map[string]struct {
	op string
	fn ruleFunc
}{
	strings.ToUpper(appbase.StandardPartySearch):      {appbase.OpFindParties, (*Server).stdParties},
	strings.ToUpper(appbase.StandardCaseSearch):       {appbase.OpFindCases, (*Server).stdCases},
	strings.ToUpper(appbase.StandardCaseWorkerSearch): {appbase.OpGetUsers, (*Server).stdCaseWorkers},
	strings.ToUpper(appbase.StandardCaseWorkerWrite):  {appbase.OpSetUserMapping, (*Server).stdCreateModifyCW},
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stdParties is root_PPL_getExternalParties: inputs Phone, Email, ID,
// ExtSysId, NAME (lower-cased and wrapped in wildcards by the rule, so any
// part of the name in any case).
func (s *Server) stdParties(p map[string]string) ruleReply {
	if !s.caseWorker {
		return rows(nil)
	}
	phone, given := digits(p["PHONE"]), p["PHONE"] != ""
	email, id, ext, name := p["EMAIL"], p["ID"], p["EXTSYSID"], strings.ToLower(p["NAME"])
	var out []row
	for _, pt := range s.parties {
		if given && (phone == "" || !strings.Contains(digits(pt.Phone), phone)) {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(pt.Name), name) {
			continue
		}
		if (email != "" && !strings.EqualFold(pt.Email, email)) || (id != "" && pt.ID != id) || (ext != "" && !strings.EqualFold(pt.ExtSysID, ext)) {
			continue
		}
		out = append(out, row{"ID": num(pt.ID), "NAME": text(pt.Name), "PHONE": text(pt.Phone), "EMAIL": text(pt.Email),
			"EXTSYSID": text(pt.ExtSysID), "CODE": text("EP_" + pt.ID)})
	}
	return rows(out)
}

// stdCases is root_DCM_SearchCases: inputs ExternalPartyIds (comma
// separated), CaseId (case number), Case_Id (record id), FIRST, LIMIT.
func (s *Server) stdCases(p map[string]string) ruleReply {
	first, err1 := intParam(p, "FIRST", 0)
	limit, err2 := intParam(p, "LIMIT", 100)
	if err1 != nil || err2 != nil || first < 0 || limit <= 0 {
		return fail(101, "FIRST and LIMIT must be whole numbers, FIRST >= 0 and LIMIT > 0")
	}
	if !s.caseWorker {
		return ruleReply{first: first}
	}
	parties := map[string]bool{}
	for _, id := range strings.Split(p["EXTERNALPARTYIDS"], ",") {
		if id = strings.TrimSpace(id); id != "" {
			parties[id] = true
		}
	}
	number, recID := p["CASEID"], p["CASE_ID"]
	var all []row
	for _, c := range s.cases {
		if (len(parties) > 0 && !parties[c.PartyID]) || (number != "" && !strings.EqualFold(c.CaseID, number)) || (recID != "" && c.ID != recID) {
			continue
		}
		all = append(all, row{"ID": num(c.ID), "CASEID": text(c.CaseID), "SUMMARY": text(c.Summary), "CASESTATE_NAME": text(c.State)})
	}
	out := ruleReply{total: len(all), first: first}
	for i := first; i < len(all) && i < first+limit; i++ {
		out.rows = append(out.rows, all[i])
	}
	return out
}

// stdCaseWorkers is root_PPL_searchCaseWorkers: every user is a case
// worker; inputs FIRST, LIMIT, IsDeleted, CurrentUser (any value: only the
// caller's own record, the system user's if it has one). No
// PURECLOUD_USERID column, as a stock solution returns no user-schema
// field: the explicit mapping is the case worker's external id, EXTERNALID.
func (s *Server) stdCaseWorkers(p map[string]string) ruleReply {
	first, err1 := intParam(p, "FIRST", 0)
	limit, err2 := intParam(p, "LIMIT", 100)
	if err1 != nil || err2 != nil || first < 0 || limit <= 0 {
		return fail(101, "FIRST and LIMIT must be whole numbers, FIRST >= 0 and LIMIT > 0")
	}
	cw := func(cwID, userID, code, login, name, email, status, external string) row {
		active := strings.EqualFold(status, "Active")
		return row{"ID": num(cwID), "USERID": num(userID), "EXTERNALID": text(external), "CODE": text(code), "USERLOGIN": text(login), "NAME": text(name),
			"EMAIL": text(email), "STATUS": text(status), "ISACTIVE": flag(active), "ISDELETED": flag(false)}
	}
	// The real rule tests only that CurrentUser is given, so "0" limits too.
	if p["CURRENTUSER"] != "" {
		if !s.caseWorker {
			return rows(nil)
		}
		return rows([]row{cw("1", "1", "CASEWORKER_1", s.user, s.user, "", "Active", "")})
	}
	out := ruleReply{total: len(s.users), first: first}
	for i := first; i < len(s.users) && i < first+limit; i++ {
		u := s.users[i]
		out.rows = append(out.rows, cw(caseWorkerID(i), u.ID, u.Code, u.Login, u.Name, u.Email, u.Status, u.PureCloudUserID))
	}
	return out
}

func caseWorkerID(i int) string { return strconv.Itoa(5000 + i) }

// stdCreateModifyCW is root_PPL_CreateModifyCW as far as dcmconnect uses
// it: inputs UserId and ExternalId set the case worker's external id (empty
// clears it); the answer is in output parameters (RECORDID, ErrorCode,
// ErrorMessage) with no rows. UserId is required (120) and must name a user
// (121); an external id another case worker has is refused (128).
func (s *Server) stdCreateModifyCW(p map[string]string) ruleReply {
	id, ext := strings.TrimSpace(p["USERID"]), strings.TrimSpace(p["EXTERNALID"])
	if id == "" || id == "0" {
		return fail(120, "UserId is required")
	}
	at := -1
	for i, u := range s.users {
		if u.ID == id {
			at = i
		} else if ext != "" && u.PureCloudUserID == ext {
			return fail(128, "a case worker with external id "+ext+" already exists")
		}
	}
	if at < 0 {
		return fail(121, "no AppBase user with id "+id)
	}
	s.users[at].PureCloudUserID = ext
	return ruleReply{outputs: map[string]any{"RECORDID": num(caseWorkerID(at))}}
}

// SetCaseWorker says whether the system user has an active Case Worker
// record (default true). Without one, the standard searches return nothing.
func (s *Server) SetCaseWorker(on bool) {
	s.mu.Lock()
	s.caseWorker = on
	s.mu.Unlock()
}

// pageRules are the stock detail-page rules: PAGECODE plus CUR_PARAMS
// (NAME, VALUE), the error notice for a record the solution has no page
// for. Requests count under the rule code; RemoveRule takes it too.
var pageRules = map[string]ruleFunc{
	strings.ToUpper(appbase.StandardCasePageRule): func(s *Server, p map[string]string) ruleReply {
		return s.detailPage(p["CASE_ID"], "CaseDetailRuntime", s.hasCase)
	},
	strings.ToUpper(appbase.StandardPartyPageRule): func(s *Server, p map[string]string) ruleReply {
		return s.detailPage(p["EXTERNALPARTY_ID"], "ExternalPartyDetailRuntime", s.hasParty)
	},
}

func (s *Server) hasCase(id string) bool {
	for _, c := range s.cases {
		if c.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) hasParty(id string) bool {
	for _, p := range s.parties {
		if p.ID == id {
			return true
		}
	}
	return false
}

func (s *Server) detailPage(id, app string, exists func(string) bool) ruleReply {
	params := []row{{"NAME": text("app"), "VALUE": text(app)}, {"NAME": text("group"), "VALUE": text("FOM")}, {"NAME": text("usePageConfig"), "VALUE": text("1")}}
	if !exists(id) {
		params = []row{{"NAME": text("app"), "VALUE": text("ErrorNotice")}, {"NAME": text("group"), "VALUE": text("UTIL")}, {"NAME": text("usePageConfig"), "VALUE": text("0")}}
	}
	return ruleReply{outputs: map[string]any{"PAGECODE": text("root_UTIL_CaseManagement"), "CUR_PARAMS": params}}
}
