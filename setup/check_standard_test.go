package setup_test

import (
	"strings"
	"testing"

	"dcmconnect/appbase"
	"dcmconnect/setup"
)

// A stock solution: the searches are the DCM ones, found; only the custom
// rules may be missing, and check prints what to build.
func TestStandardProfileMissingUpsertRulePrintsContract(t *testing.T) {
	w := newWorld(t, worldOptions{profile: appbase.ProfileStandard})
	w.sj.RemoveRule(appbase.OpUpsertInteraction)
	r := w.run(nil)
	l := wantStatus(t, r, "sj.rule.UPSERTINTERACTION", setup.Fail, "ROOT_GENESYS_UPSERTINTERACTION", "not found")
	for _, want := range []string{"CONVERSATIONID", "STARTTIME", "WRAPUPCODE", "ITEMS columns: ID", "CREATED", "key: CONVERSATIONID", "one record per CONVERSATIONID"} {
		if !strings.Contains(l.Detail, want) {
			t.Errorf("contract in %q lacks %q", l.Detail, want)
		}
	}
	if l := wantStatus(t, r, "sj.rule.FINDPARTIES", setup.Pass); l.Check != appbase.StandardPartySearch {
		t.Errorf("party search line checks %q", l.Check)
	}
	if l := wantStatus(t, r, "sj.rule.FINDCASES", setup.Pass); l.Check != appbase.StandardCaseSearch {
		t.Errorf("case search line checks %q", l.Check)
	}
	wantStatus(t, r, "sj.caseWorker", setup.Pass)
	// The stock case-worker search returns the explicit mapping as EXTERNALID.
	wantStatus(t, r, "sj.userSchema", setup.Pass, "explicit")
	if r.Fail != 1 {
		t.Fatalf("fails = %d, want 1\n%s", r.Fail, dump(r))
	}
}

// Searches that come back empty because the system user is no Case Worker
// look healthy (no error); check must say why.
func TestStandardProfileSystemUserNoCaseWorker(t *testing.T) {
	w := newWorld(t, worldOptions{profile: appbase.ProfileStandard})
	w.sj.SetCaseWorker(false)
	r := w.run(nil)
	l := wantStatus(t, r, "sj.caseWorker", setup.Fail, "no active Case Worker")
	if !strings.Contains(l.Fix, "servicejourney.systemUser") {
		t.Errorf("fix %q does not name the system user", l.Fix)
	}
	wantStatus(t, r, "sj.rule.FINDPARTIES", setup.Pass)
}

func TestPagesThatDoNotAnswerFail(t *testing.T) {
	w := newWorld(t, worldOptions{profile: appbase.ProfileStandard})
	w.opts.Pages = setup.PopPages{Party: appbase.DefaultPartyPage, Case: appbase.DefaultCasePage, NewCase: appbase.DefaultNewCasePage}
	r := w.run(nil)
	for _, id := range []string{"sj.page.party", "sj.page.case", "sj.page.newCase"} {
		wantStatus(t, r, id, setup.Pass)
	}
	w.sj.RemovePage("root_UTIL_CaseManagement")
	r = w.run(nil)
	wantStatus(t, r, "sj.page.party", setup.Fail, "HTTP 404", "servicejourney.pages.party")
	wantStatus(t, r, "sj.page.case", setup.Fail, "HTTP 404")
	wantStatus(t, r, "sj.page.newCase", setup.Pass)
	w.opts.Pages.Case = "Ecx.Web/do/x?Case_Id={case}"
	r = w.run(nil)
	wantStatus(t, r, "sj.page.case", setup.Fail, "unknown placeholder {case}")
}
