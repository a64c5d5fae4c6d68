package appbase_test

import (
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// The whole contract against the fake, once with clean replies and once with
// every envelope quirk switched on.
func TestContractOverFake(t *testing.T) {
	for _, quirks := range []bool{false, true} {
		t.Run(fmt.Sprintf("quirks=%v", quirks), func(t *testing.T) {
			e := newEnv(t, nil, appbasetest.WithQuirks(quirks))
			for _, v := range []appbasetest.User{
				{ID: "11", Code: "ann", Login: "ann@x.org", Name: "Ann", Email: "Ann@X.org"},
				{ID: "12", Code: "bob", Login: "bob", Name: "Bob", Email: "", PureCloudUserID: "gc-bob"},
			} {
				e.srv.AddUser(v)
			}
			for _, v := range []appbasetest.Party{
				{ID: "501", Name: "ACME Ltd", Phone: "+353861234567", Email: "info@acme.ie"},
				{ID: "502", Name: "new Date(1) Corp", Phone: "+353861234567", Email: "x@y.z"},
				{ID: "503", Name: "Solo", Phone: "+4930123456", Email: "Solo@Example.com"},
			} {
				e.srv.AddParty(v)
			}
			for _, v := range []appbasetest.Case{
				{ID: "9001", CaseID: "CASE-1", PartyID: "501", Summary: "Broken", State: "OPEN"},
				{ID: "9002", CaseID: "CASE-2", PartyID: "501", Summary: "Billing", State: "CLOSED"},
			} {
				e.srv.AddCase(v)
			}
			c := ctx(t)

			users, err := e.c.GetUsers(c)
			if err != nil {
				t.Fatal(err)
			}
			wantUsers := []appbase.User{
				{ID: "11", Code: "ann", Login: "ann@x.org", Name: "Ann", Email: "Ann@X.org", Status: "Active"},
				{ID: "12", Code: "bob", Login: "bob", Name: "Bob", Status: "Active", PureCloudUserID: "gc-bob"},
			}
			if !reflect.DeepEqual(users, wantUsers) {
				t.Fatalf("GetUsers = %+v\nwant %+v", users, wantUsers)
			}

			if err := e.c.SetUserMapping(c, "11", "gc-ann"); err != nil {
				t.Fatal(err)
			}
			if got := e.srv.Users()[0].PureCloudUserID; got != "gc-ann" {
				t.Fatalf("mapping stored = %q", got)
			}
			err = e.c.SetUserMapping(c, "999", "gc-x")
			if !appbase.IsRuleError(err) || asError(t, err).Code != "120" {
				t.Fatalf("mapping unknown user: %v, want rule error 120", err)
			}

			parties, err := e.c.FindParties(c, appbase.PartyQuery{Phone: "+353861234567"})
			if err != nil {
				t.Fatal(err)
			}
			if len(parties) != 2 || parties[0].Name != "ACME Ltd" || parties[1].Name != "new Date(1) Corp" || parties[0].ID != "501" {
				t.Fatalf("FindParties(phone) = %+v", parties)
			}
			parties, err = e.c.FindParties(c, appbase.PartyQuery{Email: "solo@example.COM"})
			if err != nil || len(parties) != 1 || parties[0].ID != "503" || parties[0].Phone != "+4930123456" {
				t.Fatalf("FindParties(email) = %+v, %v", parties, err)
			}
			parties, err = e.c.FindParties(c, appbase.PartyQuery{Phone: "353861234567"})
			if err != nil || len(parties) != 0 {
				t.Fatalf("FindParties(non-E.164) = %+v, %v; want none", parties, err)
			}
			if _, err := e.c.FindParties(c, appbase.PartyQuery{}); err == nil {
				t.Fatal("empty PartyQuery accepted")
			}

			cases, err := e.c.FindCases(c, appbase.CaseQuery{PartyID: "501"})
			if err != nil || len(cases) != 2 || cases[1] != (appbase.Case{ID: "9002", CaseID: "CASE-2", Summary: "Billing", State: "CLOSED"}) {
				t.Fatalf("FindCases(party) = %+v, %v", cases, err)
			}
			cases, err = e.c.FindCases(c, appbase.CaseQuery{CaseID: "case-1"})
			if err != nil || len(cases) != 1 || cases[0].ID != "9001" {
				t.Fatalf("FindCases(case) = %+v, %v", cases, err)
			}

			v, found, err := e.c.GetSyncState(c, "interactions")
			if err != nil || found || v != "" {
				t.Fatalf("GetSyncState before set = %q %v %v", v, found, err)
			}
			if err := e.c.SetSyncState(c, "interactions", "2024-05-01T10:00:00Z"); err != nil {
				t.Fatal(err)
			}
			v, found, err = e.c.GetSyncState(c, "interactions")
			if err != nil || !found || v != "2024-05-01T10:00:00Z" || e.srv.SyncState("interactions") != v {
				t.Fatalf("GetSyncState = %q %v %v", v, found, err)
			}
			if err := e.c.SetSyncState(c, "interactions", ""); err != nil {
				t.Fatal(err)
			}
			if v, found, _ := e.c.GetSyncState(c, "interactions"); !found || v != "" {
				t.Fatalf("GetSyncState after clearing = %q %v, want empty and found", v, found)
			}
			if e.srv.Logins() != 1 {
				t.Errorf("logins = %d, want 1 (token reused)", e.srv.Logins())
			}
		})
	}
}

func TestUpsertInteractionIdempotent(t *testing.T) {
	for _, quirks := range []bool{false, true} {
		t.Run(fmt.Sprintf("quirks=%v", quirks), func(t *testing.T) {
			e := newEnv(t, nil, appbasetest.WithQuirks(quirks))
			c := ctx(t)
			start := time.Date(2024, 5, 1, 9, 0, 0, 123e6, time.FixedZone("CEST", 2*3600))
			connect := appbase.Interaction{
				ConversationID: "conv-1", Direction: "inbound", MediaType: "voice", ANI: "+353861234567", DNIS: "+35312345",
				QueueID: "q1", QueueName: "Support", AgentUserID: "11", Start: start, PartyID: "501",
			}
			r1, err := e.c.UpsertInteraction(c, connect)
			if err != nil {
				t.Fatal(err)
			}
			if !r1.Created || r1.ID == "" {
				t.Fatalf("first upsert = %+v, want Created with an ID", r1)
			}
			wrap := appbase.Interaction{ConversationID: "conv-1", End: start.Add(95 * time.Second), DurationSeconds: 95,
				WrapupCode: "wc-1", WrapupName: "Resolved", WrapupNotes: "all good", CaseID: "CASE-1"}
			for i := 0; i < 3; i++ { // disconnect, wrap-up, and a sync job re-running
				r, err := e.c.UpsertInteraction(c, wrap)
				if err != nil {
					t.Fatal(err)
				}
				if r.Created || r.ID != r1.ID {
					t.Fatalf("upsert %d = %+v, want Created=false ID=%s", i+2, r, r1.ID)
				}
			}
			if _, err := e.c.UpsertInteraction(c, appbase.Interaction{ConversationID: "conv-2", MediaType: "email"}); err != nil {
				t.Fatal(err)
			}
			all := e.srv.Interactions()
			if len(all) != 2 {
				t.Fatalf("stored %d interactions, want 2: %+v", len(all), all)
			}
			got := all[0]
			want := appbasetest.Interaction{
				ID: r1.ID, ConversationID: "conv-1", Direction: "inbound", MediaType: "voice", ANI: "+353861234567", DNIS: "+35312345",
				QueueID: "q1", QueueName: "Support", AgentUserID: "11", Start: start.UTC(), End: start.Add(95 * time.Second).UTC(),
				DurationSeconds: 95, WrapupCode: "wc-1", WrapupName: "Resolved", WrapupNotes: "all good", PartyID: "501", CaseID: "CASE-1", Writes: 4,
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("stored\n%+v\nwant\n%+v", got, want)
			}
			if _, err := e.c.UpsertInteraction(c, appbase.Interaction{}); err == nil {
				t.Fatal("empty ConversationID accepted")
			}
		})
	}
}

func TestInteractionParams(t *testing.T) {
	in := appbase.Interaction{ConversationID: "c", Start: time.Date(2024, 1, 2, 3, 4, 5, 6e6, time.FixedZone("x", -3600)), End: time.Date(2024, 1, 2, 4, 4, 5, 0, time.UTC)}
	p := in.Params()
	want := map[string]string{"CONVERSATIONID": "c", "STARTTIME": "2024-01-02T04:04:05.006Z", "ENDTIME": "2024-01-02T04:04:05.000Z", "DURATIONSECONDS": "0"}
	if !reflect.DeepEqual(p, want) {
		t.Fatalf("Params = %v, want %v", p, want)
	}
}

func TestGetUsersWalksAllPages(t *testing.T) {
	for _, quirks := range []bool{false, true} {
		t.Run(fmt.Sprintf("quirks=%v", quirks), func(t *testing.T) {
			e := newEnv(t, func(o *appbase.Options) { o.PageSize = 100 }, appbasetest.WithQuirks(quirks))
			var seed []appbasetest.User
			for i := 0; i < 1234; i++ {
				seed = append(seed, appbasetest.User{ID: fmt.Sprint(100000 + i), Email: fmt.Sprintf("u%d@x.org", i)})
			}
			for _, v := range seed {
				e.srv.AddUser(v)
			}
			users, err := e.c.GetUsers(ctx(t))
			if err != nil {
				t.Fatal(err)
			}
			if len(users) != 1234 {
				t.Fatalf("got %d users, want 1234", len(users))
			}
			ids := make([]string, len(users))
			for i, u := range users {
				ids[i] = u.ID
			}
			sort.Strings(ids)
			for i, id := range ids {
				if id != fmt.Sprint(100000+i) {
					t.Fatalf("user %d is %s: pages overlap or skip", i, id)
				}
			}
			if n := e.srv.Requests("GETUSERS"); n != 13 {
				t.Errorf("GETUSERS requests = %d, want 13 pages of 100", n)
			}
		})
	}
}

func TestGetUsersExactMultipleAndEmpty(t *testing.T) {
	e := newEnv(t, func(o *appbase.Options) { o.PageSize = 10 })
	users, err := e.c.GetUsers(ctx(t))
	if err != nil || len(users) != 0 || e.srv.Requests("GETUSERS") != 1 {
		t.Fatalf("empty: %v %v requests=%d", users, err, e.srv.Requests("GETUSERS"))
	}
	var seed []appbasetest.User
	for i := 0; i < 20; i++ {
		seed = append(seed, appbasetest.User{})
	}
	for _, v := range seed {
		e.srv.AddUser(v)
	}
	e.srv.ResetCounters()
	users, err = e.c.GetUsers(ctx(t))
	if err != nil || len(users) != 20 || e.srv.Requests("GETUSERS") != 2 {
		t.Fatalf("20 users/10 per page: got %d, %v, requests=%d (want 2: TOTALCOUNT ends it)", len(users), err, e.srv.Requests("GETUSERS"))
	}
}
