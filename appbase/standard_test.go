package appbase_test

import (
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

func standard(o *appbase.Options) { o.Profile = appbase.ProfileStandard }

// AppBase answers an expired token with a top-level ErrorCode 500 whose
// words are not documented: the client must log in again on the code.
func TestReloginOnTopLevel500WithUnrelatedMessage(t *testing.T) {
	e := newEnv(t, nil, appbasetest.WithTokenErrorMessage("Object reference not set to an instance of an object."))
	if err := e.c.SetSyncState(ctx(t), "n", "v"); err != nil {
		t.Fatal(err)
	}
	e.srv.ExpireTokens()
	v, ok, err := e.c.GetSyncState(ctx(t), "n")
	if err != nil || !ok || v != "v" {
		t.Fatalf("GetSyncState after expiry = %q %v %v, want a re-login and the value", v, ok, err)
	}
	if n := e.srv.Logins(); n != 2 {
		t.Fatalf("logins = %d, want 2 (the first, and one after the 500)", n)
	}
	if len(e.sleeps.got()) != 0 {
		t.Fatalf("slept %v before the re-login; want an immediate repeat", e.sleeps.got())
	}
}

func TestStandardProfileFindsNationalNumberFromE164(t *testing.T) {
	e := newEnv(t, standard)
	want := e.srv.AddParty(appbasetest.Party{Name: "Ann Lee", Phone: "(415) 555-0101", Email: "ann@example.com"})
	e.srv.AddParty(appbasetest.Party{Name: "Bo", Phone: "+44 20 7946 0000"})
	got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Phone: "+14155550101"})
	if err != nil || len(got) != 1 || got[0].ID != want.ID || got[0].Name != "Ann Lee" || got[0].Email != "ann@example.com" {
		t.Fatalf("FindParties(+14155550101) = %+v, %v; want %s", got, err, want.ID)
	}
	// Digits first (no match: 14155550101 is not in 4155550101), then the national number.
	if n := e.srv.Requests(appbase.OpFindParties); n != 2 {
		t.Errorf("party searches = %d, want 2", n)
	}
	if rule := e.c.RuleName(appbase.OpFindParties); rule != appbase.StandardPartySearch {
		t.Errorf("rule = %s", rule)
	}
	stored := e.srv.AddParty(appbasetest.Party{Name: "Cy", Phone: "+1 212 555 0199"})
	if got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Phone: "+12125550199"}); err != nil || len(got) != 1 || got[0].ID != stored.ID {
		t.Fatalf("E.164 stored with spaces: %+v %v", got, err)
	}
}

func TestStandardProfileCasesAndUsers(t *testing.T) {
	e := newEnv(t, standard)
	p := e.srv.AddParty(appbasetest.Party{Name: "Ann", Email: "ann@example.com"})
	c := e.srv.AddCase(appbasetest.Case{PartyID: p.ID, Summary: "Broken", State: "Open"})
	e.srv.AddCase(appbasetest.Case{PartyID: "other"})
	cases, err := e.c.FindCases(ctx(t), appbase.CaseQuery{PartyID: p.ID})
	if err != nil || len(cases) != 1 || cases[0].ID != c.ID || cases[0].CaseID != c.CaseID || cases[0].State != "Open" || cases[0].Summary != "Broken" {
		t.Fatalf("FindCases = %+v %v", cases, err)
	}
	if got, err := e.c.FindCases(ctx(t), appbase.CaseQuery{CaseID: strings.ToLower(c.CaseID)}); err != nil || len(got) != 1 {
		t.Fatalf("by number = %+v %v", got, err)
	}
	u := e.srv.AddUser(appbasetest.User{Code: "ann", Login: "ann", Name: "Ann Agent", Email: "ann@corp.example"})
	users, err := e.c.GetUsers(ctx(t))
	if err != nil || len(users) != 1 || users[0].ID != u.ID || users[0].Login != "ann" || users[0].Email != "ann@corp.example" || users[0].Status != "Active" {
		t.Fatalf("GetUsers = %+v %v (want the case worker's USERID as ID)", users, err)
	}
	ok, known, err := e.c.SystemUserIsCaseWorker(ctx(t))
	if err != nil || !known || !ok {
		t.Fatalf("SystemUserIsCaseWorker = %v %v %v", ok, known, err)
	}
	e.srv.SetCaseWorker(false)
	if got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Email: "ann@example.com"}); err != nil || len(got) != 0 {
		t.Fatalf("no case worker: parties = %+v %v, want none and no error (as AppBase does)", got, err)
	}
	if ok, known, err := e.c.SystemUserIsCaseWorker(ctx(t)); err != nil || !known || ok {
		t.Fatalf("SystemUserIsCaseWorker without a record = %v %v %v", ok, known, err)
	}
	// The custom rules still run under the short default prefix.
	if _, err := e.c.UpsertInteraction(ctx(t), appbase.Interaction{ConversationID: "c1", Start: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	if it, _ := e.srv.Interaction("c1"); !it.Start.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) {
		t.Fatalf("start = %v", it.Start)
	}
}

func TestDefaultRuleCodesFitAppBase(t *testing.T) {
	for _, p := range []string{appbase.ProfileStandard, appbase.ProfileConnector} {
		c, err := appbase.New(appbase.Options{URL: "https://sj.example.com", Domain: "D.tenant1", User: "u", Password: "p", Profile: p})
		if err != nil {
			t.Fatal(err)
		}
		for _, op := range appbase.Operations() {
			if r := c.RuleName(op); len(r) > appbase.MaxRuleCodeLength {
				t.Errorf("%s: %s is %d characters, over %d", p, r, len(r), appbase.MaxRuleCodeLength)
			}
		}
	}
}

// Installs of the old connector built ROOT_GENESYS_INTEGRATION_<OP>: with
// the default prefix those names are still found, and remembered.
func TestOldConnectorRuleNamesStillFound(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.IntegrationCode = "" }, appbasetest.WithIntegrationCode(appbase.LegacyIntegrationCode))
	if err := e.c.SetSyncState(ctx(t), "n", "v"); err != nil {
		t.Fatal(err)
	}
	if got := e.c.RuleName(appbase.OpSetSyncState); got != "ROOT_GENESYS_INTEGRATION_SETSYNCSTATE" {
		t.Fatalf("RuleName after fallback = %s", got)
	}
	e.srv.ResetCounters()
	if err := e.c.SetSyncState(ctx(t), "n", "w"); err != nil || e.srv.Requests("*") != 1 {
		t.Fatalf("second call: %v, %d requests (want 1: the old name is remembered)", err, e.srv.Requests("*"))
	}
}

func TestOptionsProfileDateFormatMappings(t *testing.T) {
	if l, err := appbase.GoLayout(`yyyy-mm-dd"T"hh24:mi:ss`); err != nil || l != "2006-01-02T15:04:05" {
		t.Fatalf("GoLayout = %q %v", l, err)
	}
	c, err := appbase.New(appbase.Options{URL: "https://sj.example.com", Domain: "D.tenant1", User: "u", Password: "p", DateFormat: "yyyy-mm-dd hh24:mi"})
	if err != nil || c == nil {
		t.Fatalf("DateFormat yyyy-mm-dd hh24:mi: %v", err)
	}
	if _, err := appbase.New(appbase.Options{URL: "https://sj.example.com", Domain: "D.tenant1", User: "u", Password: "p", DateFormat: "dd-mon-yy"}); err == nil || !strings.Contains(err.Error(), "servicejourney.dateFormat") {
		t.Fatalf("bad DateFormat: %v", err)
	}
	if _, err := appbase.New(appbase.Options{URL: "https://sj.example.com", Domain: "D.tenant1", User: "u", Password: "p", Profile: "stock"}); err == nil || !strings.Contains(err.Error(), "servicejourney.profile") {
		t.Fatalf("bad Profile: %v", err)
	}
}

// A solution whose party search has other input and column names maps them.
func TestMappingRenamesInputsAndColumns(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) {
		o.Profile = appbase.ProfileStandard
		o.Mappings = map[string]appbase.Mapping{"findcases": {Columns: map[string]string{"STATE": "CASEID"}, Constants: map[string]string{"LIMIT": "5"}}}
	})
	c := e.srv.AddCase(appbasetest.Case{PartyID: "9", State: "Open"})
	got, err := e.c.FindCases(ctx(t), appbase.CaseQuery{PartyID: "9"})
	if err != nil || len(got) != 1 || got[0].State != c.CaseID {
		t.Fatalf("mapped STATE column: %+v %v", got, err)
	}
	if _, err := appbase.New(appbase.Options{URL: "https://sj.example.com", Domain: "D.tenant1", User: "u", Password: "p",
		Mappings: map[string]appbase.Mapping{"FINDCASES": {Inputs: map[string]string{"NOPE": "x"}}}}); err == nil || !strings.Contains(err.Error(), "servicejourney.mappings.FINDCASES.inputs") {
		t.Fatalf("unknown mapped input: %v", err)
	}
}

// A rule named in config is custom: in the standard profile it speaks the
// connector's contract, e.g. a GETUSERS that returns PURECLOUD_USERID.
func TestStandardProfileWithCustomUsersRule(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) {
		o.Profile = appbase.ProfileStandard
		o.Rules = map[string]string{"GETUSERS": "ROOT_GENESYS_GETUSERS"}
	})
	e.srv.AddUser(appbasetest.User{ID: "7", Login: "ann", Email: "ann@x.example", PureCloudUserID: "g-1"})
	users, err := e.c.GetUsers(ctx(t))
	if err != nil || len(users) != 1 || users[0].ID != "7" || users[0].Login != "ann" || users[0].PureCloudUserID != "g-1" {
		t.Fatalf("GetUsers = %+v %v", users, err)
	}
	if ct, _ := e.c.Contract(appbase.OpFindParties); !ct.Standard || ct.Rule != appbase.StandardPartySearch {
		t.Fatalf("FINDPARTIES = %+v, want the stock search", ct)
	}
	if ok, known, err := e.c.SystemUserIsCaseWorker(ctx(t)); err != nil || !known || !ok {
		t.Fatalf("SystemUserIsCaseWorker = %v %v %v (asked whenever the party search is the stock one)", ok, known, err)
	}
}

// An explicit mapping written through SETUSERMAPPING comes back from
// GETUSERS on both profiles: the connector's rules keep it in the user-schema
// field PURECLOUD_USERID, the stock ones in the case worker's external id
// (root_PPL_CreateModifyCW sets it, root_PPL_searchCaseWorkers returns it as
// EXTERNALID).
func TestExplicitMappingReadsBackOnBothProfiles(t *testing.T) {
	for _, tc := range []struct{ profile, read, write string }{
		{appbase.ProfileConnector, "ROOT_GENESYS_GETUSERS", "ROOT_GENESYS_SETUSERMAPPING"},
		{appbase.ProfileStandard, appbase.StandardCaseWorkerSearch, appbase.StandardCaseWorkerWrite},
	} {
		t.Run(tc.profile, func(t *testing.T) {
			e := newEnv(t, func(o *appbase.Options) { o.Profile = tc.profile })
			if r, w := e.c.RuleName(appbase.OpGetUsers), e.c.RuleName(appbase.OpSetUserMapping); r != tc.read || w != tc.write {
				t.Fatalf("rules = %s, %s; want %s, %s", r, w, tc.read, tc.write)
			}
			ann := e.srv.AddUser(appbasetest.User{Login: "ann", Email: "ann@x.example"})
			e.srv.AddUser(appbasetest.User{Login: "bo", Email: "bo@x.example", PureCloudUserID: "g-bo"})
			if err := e.c.SetUserMapping(ctx(t), ann.ID, "g-ann"); err != nil {
				t.Fatal(err)
			}
			explicit := func() map[string]string {
				users, err := e.c.GetUsers(ctx(t))
				if err != nil {
					t.Fatal(err)
				}
				m := map[string]string{}
				for _, u := range users {
					m[u.Login] = u.PureCloudUserID
				}
				return m
			}
			if got := explicit(); got["ann"] != "g-ann" || got["bo"] != "g-bo" {
				t.Fatalf("mappings read back = %v, want ann g-ann and bo g-bo", got)
			}
			if err := e.c.SetUserMapping(ctx(t), ann.ID, ""); err != nil {
				t.Fatal(err)
			}
			if got := explicit(); got["ann"] != "" || got["bo"] != "g-bo" {
				t.Fatalf("after clearing ann: %v", got)
			}
		})
	}
}

// The stock write refuses an external id another case worker has, and an
// unknown user, with its own error codes.
func TestStandardUserMappingRuleErrors(t *testing.T) {
	e := newEnv(t, standard)
	ann := e.srv.AddUser(appbasetest.User{Login: "ann"})
	e.srv.AddUser(appbasetest.User{Login: "bo", PureCloudUserID: "g-bo"})
	err := e.c.SetUserMapping(ctx(t), ann.ID, "g-bo")
	if ae := asError(t, err); ae.Kind != appbase.KindRule || ae.Code != "128" || ae.Rule != appbase.StandardCaseWorkerWrite {
		t.Fatalf("taken external id: %+v", ae)
	}
	if ae := asError(t, e.c.SetUserMapping(ctx(t), "999999", "g-x")); ae.Kind != appbase.KindRule || ae.Code != "121" {
		t.Fatalf("unknown user: %+v", ae)
	}
	if u := e.srv.Users(); u[0].PureCloudUserID != "" || u[1].PureCloudUserID != "g-bo" {
		t.Fatalf("a refused write changed the store: %+v", u)
	}
}

// The agent's search by name: any part of the name, in any case, on both
// profiles (the stock rule's NAME input; the connector rule's NAME).
func TestFindPartiesByName(t *testing.T) {
	for _, p := range []string{appbase.ProfileStandard, appbase.ProfileConnector} {
		t.Run(p, func(t *testing.T) {
			e := newEnv(t, func(o *appbase.Options) { o.Profile = p })
			ann := e.srv.AddParty(appbasetest.Party{Name: "Ann Lee", Phone: "+14155550101"})
			joann := e.srv.AddParty(appbasetest.Party{Name: "Joanna Annesley"})
			e.srv.AddParty(appbasetest.Party{Name: "Bo Smith"})
			got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Name: "ANN"})
			if err != nil || len(got) != 2 || got[0].ID != ann.ID || got[1].ID != joann.ID {
				t.Fatalf("FindParties(Name ANN) = %+v, %v; want %s and %s", got, err, ann.ID, joann.ID)
			}
			if got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Name: "lee"}); err != nil || len(got) != 1 || got[0].Phone != "+14155550101" {
				t.Fatalf("FindParties(Name lee) = %+v, %v", got, err)
			}
			if got, err := e.c.FindParties(ctx(t), appbase.PartyQuery{Name: "nobody"}); err != nil || len(got) != 0 {
				t.Fatalf("FindParties(Name nobody) = %+v, %v; want none", got, err)
			}
		})
	}
}
