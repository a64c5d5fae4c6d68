package usermap

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func gu(id, email string) GenesysUser { return GenesysUser{ID: id, Name: "G " + id, Email: email} }
func su(id, email, pc string) SJUser {
	return SJUser{ID: id, Name: "S " + id, Email: email, PureCloudUserID: pc, Status: "Active"}
}

type want struct {
	st      Status
	kind    ConflictKind
	partner string   // the other side's id for matched pairs
	reason  []string // substrings the reason must contain
}

func TestBuildRules(t *testing.T) {
	inactiveS := su("12", "a@x.com", "")
	inactiveS.Status = "Inactive"
	inactiveClaim := su("12", "", "g1")
	inactiveClaim.Status = "inactive"
	leaver := GenesysUser{ID: "g9", Name: "Leaver", Email: "gone@x.com", State: "inactive"}

	cases := []struct {
		name  string
		g     []GenesysUser
		s     []SJUser
		wantG map[string]want
		wantS map[string]want
	}{
		{
			name:  "explicit id links users whose e-mails differ",
			g:     []GenesysUser{gu("g1", "new@x.com")},
			s:     []SJUser{su("12", "old@x.com", "g1")},
			wantG: map[string]want{"g1": {st: StatusExplicit, partner: "12", reason: []string{"PureCloud_UserId"}}},
			wantS: map[string]want{"12": {st: StatusExplicit, partner: "g1"}},
		},
		{
			name:  "explicit id compared trimmed and case-insensitively",
			g:     []GenesysUser{gu("6f1c-AB", "a@x.com")},
			s:     []SJUser{su("12", "", " 6F1C-ab ")},
			wantG: map[string]want{"6f1c-AB": {st: StatusExplicit, partner: "12"}},
			wantS: map[string]want{"12": {st: StatusExplicit, partner: "6f1c-AB"}},
		},
		{
			name:  "e-mail compared trimmed and case-insensitively",
			g:     []GenesysUser{gu("g1", "jane@example.com")},
			s:     []SJUser{su("12", "  Jane@Example.COM ", "")},
			wantG: map[string]want{"g1": {st: StatusEmail, partner: "12", reason: []string{"e-mail"}}},
			wantS: map[string]want{"12": {st: StatusEmail, partner: "g1"}},
		},
		{
			name:  "explicit wins over e-mail of the same user",
			g:     []GenesysUser{gu("g1", "a@x.com")},
			s:     []SJUser{su("12", "a@x.com", "g1")},
			wantG: map[string]want{"g1": {st: StatusExplicit, partner: "12"}},
			wantS: map[string]want{"12": {st: StatusExplicit, partner: "g1"}},
		},
		{
			name: "username is the e-mail when the e-mail is empty",
			g: []GenesysUser{
				{ID: "g1", Username: "Jane@X.com"},
				{ID: "g2", Username: "jdoe"},
			},
			s: []SJUser{su("12", "jane@x.com", "")},
			wantG: map[string]want{
				"g1": {st: StatusEmail, partner: "12"},
				"g2": {st: StatusUnmatched, reason: []string{"no e-mail", "set PureCloud_UserId to g2"}},
			},
			wantS: map[string]want{"12": {st: StatusEmail, partner: "g1"}},
		},
		{
			name: "unmatched on both sides, with what to do",
			g:    []GenesysUser{gu("g1", "a@x.com")},
			s:    []SJUser{su("12", "b@x.com", ""), su("13", "", "")},
			wantG: map[string]want{"g1": {st: StatusUnmatched,
				reason: []string{"no active ServiceJourney user has e-mail a@x.com", "PureCloud_UserId to g1"}}},
			wantS: map[string]want{
				"12": {st: StatusUnmatched, reason: []string{"no active Genesys user has e-mail b@x.com"}},
				"13": {st: StatusUnmatched, reason: []string{"no e-mail and no PureCloud_UserId"}},
			},
		},
		{
			name: "two ServiceJourney users with one e-mail: conflict",
			g:    []GenesysUser{gu("g1", "a@b.com")},
			s:    []SJUser{su("40", "a@b.com", ""), su("12", "A@b.com", "")},
			wantG: map[string]want{"g1": {st: StatusConflict, kind: ConflictDuplicateSJEmail,
				reason: []string{`ServiceJourney users "S 12" (id 12) and "S 40" (id 40) share e-mail a@b.com`, "PureCloud_UserId to g1 on the right one"}}},
			wantS: map[string]want{
				"12": {st: StatusConflict, kind: ConflictDuplicateSJEmail, reason: []string{"share e-mail a@b.com", `Genesys user "G g1"`}},
				"40": {st: StatusConflict, kind: ConflictDuplicateSJEmail},
			},
		},
		{
			name:  "two ServiceJourney users with one e-mail, no Genesys user: both plain unmatched",
			g:     nil,
			s:     []SJUser{su("40", "a@b.com", ""), su("12", "a@b.com", "")},
			wantS: map[string]want{"12": {st: StatusUnmatched, reason: []string{"no active Genesys user", `"S 40" (id 40) has the same e-mail`}}, "40": {st: StatusUnmatched}},
		},
		{
			name:  "shared e-mail settled by an explicit id on the right user",
			g:     []GenesysUser{gu("g1", "a@b.com")},
			s:     []SJUser{su("12", "a@b.com", "g1"), su("40", "a@b.com", "")},
			wantG: map[string]want{"g1": {st: StatusExplicit, partner: "12"}},
			wantS: map[string]want{
				"12": {st: StatusExplicit, partner: "g1"},
				"40": {st: StatusUnmatched, reason: []string{"already linked explicitly", `PureCloud_UserId on ServiceJourney user "S 12" (id 12)`}},
			},
		},
		{
			name: "two Genesys users with one e-mail: conflict",
			g:    []GenesysUser{gu("g1", "a@b.com"), gu("g2", "a@b.com")},
			s:    []SJUser{su("12", "a@b.com", "")},
			wantG: map[string]want{
				"g1": {st: StatusConflict, kind: ConflictDuplicateGenesysEmail, reason: []string{`Genesys users "G g1" (g1) and "G g2" (g2) share e-mail a@b.com`}},
				"g2": {st: StatusConflict, kind: ConflictDuplicateGenesysEmail},
			},
			wantS: map[string]want{"12": {st: StatusConflict, kind: ConflictDuplicateGenesysEmail, reason: []string{"set PureCloud_UserId on this user"}}},
		},
		{
			name: "duplicate Genesys e-mail is not settled by elimination",
			g:    []GenesysUser{gu("g1", "a@b.com"), gu("g2", "a@b.com")},
			s:    []SJUser{su("5", "a@b.com", "g1"), su("12", "a@b.com", "")},
			wantG: map[string]want{
				"g1": {st: StatusExplicit, partner: "5"},
				"g2": {st: StatusConflict, kind: ConflictDuplicateGenesysEmail},
			},
			wantS: map[string]want{
				"5":  {st: StatusExplicit, partner: "g1"},
				"12": {st: StatusConflict, kind: ConflictDuplicateGenesysEmail},
			},
		},
		{
			name: "duplicate Genesys e-mail with no ServiceJourney user: unmatched",
			g:    []GenesysUser{gu("g1", "a@b.com"), gu("g2", "a@b.com")},
			wantG: map[string]want{
				"g1": {st: StatusUnmatched}, "g2": {st: StatusUnmatched},
			},
		},
		{
			name: "duplicate Genesys e-mail, one linked: the other is told who has the e-mail",
			g:    []GenesysUser{gu("g1", "a@b.com"), gu("g2", "a@b.com")},
			s:    []SJUser{su("5", "a@b.com", "g1")},
			wantG: map[string]want{
				"g1": {st: StatusExplicit, partner: "5"},
				"g2": {st: StatusUnmatched, reason: []string{"shared with another Genesys user", "set PureCloud_UserId to g2"}},
			},
			wantS: map[string]want{"5": {st: StatusExplicit, partner: "g1"}},
		},
		{
			name: "two ServiceJourney users claim one Genesys id: conflict",
			g:    []GenesysUser{gu("g1", "a@b.com")},
			s:    []SJUser{su("12", "a@b.com", "g1"), su("40", "z@b.com", "G1")},
			wantG: map[string]want{"g1": {st: StatusConflict, kind: ConflictDuplicateExplicit,
				reason: []string{`ServiceJourney users "S 12" (id 12) and "S 40" (id 40) all have PureCloud_UserId g1`, "clear it on all but the right one"}}},
			wantS: map[string]want{
				"12": {st: StatusConflict, kind: ConflictDuplicateExplicit},
				"40": {st: StatusConflict, kind: ConflictDuplicateExplicit},
			},
		},
		{
			name: "explicit id naming no active Genesys user: conflict, no fallback to e-mail",
			g:    []GenesysUser{gu("g1", "a@b.com")},
			s:    []SJUser{su("12", "a@b.com", "typo")},
			wantG: map[string]want{"g1": {st: StatusConflict, kind: ConflictExplicitUnknown,
				reason: []string{`PureCloud_UserId "typo" names no active Genesys user`, "set its PureCloud_UserId to g1"}}},
			wantS: map[string]want{"12": {st: StatusConflict, kind: ConflictExplicitUnknown,
				reason: []string{`PureCloud_UserId "typo" matches no active Genesys user`}}},
		},
		{
			name:  "explicit id naming an inactive Genesys user: conflict that says so",
			g:     []GenesysUser{leaver},
			s:     []SJUser{su("12", "", "g9")},
			wantS: map[string]want{"12": {st: StatusConflict, kind: ConflictExplicitUnknown, reason: []string{`Genesys user "Leaver"`, `"inactive"`}}},
		},
		{
			name: "explicit id and e-mail point at different people: conflict for all three",
			g:    []GenesysUser{gu("g1", "jane@x.com"), gu("g2", "bob@x.com")},
			s:    []SJUser{su("12", "bob@x.com", "g1")},
			wantG: map[string]want{
				"g1": {st: StatusConflict, kind: ConflictExplicitEmailMismatch, reason: []string{"has PureCloud_UserId g1 (this user) but its e-mail bob@x.com belongs to", `"G g2"`}},
				"g2": {st: StatusConflict, kind: ConflictExplicitEmailMismatch, reason: []string{`PureCloud_UserId names Genesys user "G g1"`, "set its PureCloud_UserId to g2"}},
			},
			wantS: map[string]want{"12": {st: StatusConflict, kind: ConflictExplicitEmailMismatch,
				reason: []string{`PureCloud_UserId names Genesys user "G g1" (g1) but the e-mail bob@x.com belongs to Genesys user "G g2" (g2)`}}},
		},
		{
			name: "mismatch plus a second ServiceJourney user with the e-mail",
			g:    []GenesysUser{gu("g1", "jane@x.com"), gu("g2", "bob@x.com")},
			s:    []SJUser{su("12", "bob@x.com", "g1"), su("40", "bob@x.com", "")},
			wantG: map[string]want{
				"g1": {st: StatusConflict, kind: ConflictExplicitEmailMismatch},
				"g2": {st: StatusConflict, kind: ConflictDuplicateSJEmail},
			},
			wantS: map[string]want{
				"12": {st: StatusConflict, kind: ConflictExplicitEmailMismatch},
				"40": {st: StatusConflict, kind: ConflictDuplicateSJEmail},
			},
		},
		{
			name: "unknown explicit id plus a second ServiceJourney user with the e-mail",
			g:    []GenesysUser{gu("g1", "a@b.com")},
			s:    []SJUser{su("12", "a@b.com", "typo"), su("40", "a@b.com", "")},
			wantG: map[string]want{
				"g1": {st: StatusConflict, kind: ConflictDuplicateSJEmail},
			},
			wantS: map[string]want{
				"12": {st: StatusConflict, kind: ConflictExplicitUnknown},
				"40": {st: StatusConflict, kind: ConflictDuplicateSJEmail},
			},
		},
		{
			name:  "explicit id whose e-mail belongs to nobody stands (e-mail changed)",
			g:     []GenesysUser{gu("g1", "new@x.com")},
			s:     []SJUser{su("12", "old@x.com", "g1")},
			wantG: map[string]want{"g1": {st: StatusExplicit, partner: "12"}},
			wantS: map[string]want{"12": {st: StatusExplicit, partner: "g1"}},
		},
		{
			name:  "inactive ServiceJourney user takes no part in e-mail matching",
			g:     []GenesysUser{gu("g1", "a@x.com")},
			s:     []SJUser{inactiveS, su("13", "a@x.com", "")},
			wantG: map[string]want{"g1": {st: StatusEmail, partner: "13"}},
			wantS: map[string]want{
				"12": {st: StatusUnmatched, reason: []string{`inactive (status "Inactive")`}},
				"13": {st: StatusEmail, partner: "g1"},
			},
		},
		{
			name:  "only an inactive ServiceJourney user has the e-mail",
			g:     []GenesysUser{gu("g1", "a@x.com")},
			s:     []SJUser{inactiveS},
			wantG: map[string]want{"g1": {st: StatusUnmatched, reason: []string{`"S 12" (id 12) with e-mail a@x.com is inactive`, "reactivate"}}},
			wantS: map[string]want{"12": {st: StatusUnmatched}},
		},
		{
			name:  "inactive ServiceJourney user's explicit id is not a claim",
			g:     []GenesysUser{gu("g1", "")},
			s:     []SJUser{inactiveClaim, su("13", "", "g1")},
			wantG: map[string]want{"g1": {st: StatusExplicit, partner: "13"}},
			wantS: map[string]want{"12": {st: StatusUnmatched}, "13": {st: StatusExplicit, partner: "g1"}},
		},
		{
			name:  "inactive Genesys users are left out",
			g:     []GenesysUser{leaver, gu("g1", "gone@x.com")},
			s:     []SJUser{su("12", "gone@x.com", "")},
			wantG: map[string]want{"g1": {st: StatusEmail, partner: "12"}},
			wantS: map[string]want{"12": {st: StatusEmail, partner: "g1"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := Build(c.g, c.s)
			if r.GenesysUsers != len(c.wantG) || r.SJUsers != len(c.wantS) {
				t.Fatalf("report has %d Genesys and %d SJ users; the case lists %d and %d (list every user)",
					r.GenesysUsers, r.SJUsers, len(c.wantG), len(c.wantS))
			}
			for id, w := range c.wantG {
				e, ok := r.ByGenesysID(id)
				if !ok {
					t.Fatalf("Genesys user %s missing from report", id)
				}
				checkEntry(t, "Genesys "+id, e, w, func(e Entry) string {
					if e.SJUser == nil {
						return ""
					}
					return e.SJUser.ID
				})
			}
			for id, w := range c.wantS {
				e, ok := r.BySJID(id)
				if !ok {
					t.Fatalf("SJ user %s missing from report", id)
				}
				checkEntry(t, "SJ "+id, e, w, func(e Entry) string {
					if e.GenesysUser == nil {
						return ""
					}
					return e.GenesysUser.ID
				})
			}
			checkInvariants(t, r)
		})
	}
}

func checkEntry(t *testing.T, who string, e Entry, w want, partner func(Entry) string) {
	t.Helper()
	if e.Status != w.st || e.ConflictKind != w.kind || partner(e) != w.partner {
		t.Errorf("%s: got status %q kind %q partner %q; want %q %q %q (reason: %s)",
			who, e.Status, e.ConflictKind, partner(e), w.st, w.kind, w.partner, e.Reason())
	}
	for _, sub := range w.reason {
		if !strings.Contains(e.Reason(), sub) {
			t.Errorf("%s: reason %q lacks %q", who, e.Reason(), sub)
		}
	}
	if e.Reason() == "" || strings.Contains(e.Reason(), "no rule matched") {
		t.Errorf("%s: reason %q is not actionable", who, e.Reason())
	}
	// The code says the same as the English reason: a known code, and the
	// data it carries is the data the sentence names.
	if !slices.Contains(ReasonCodes(), e.ReasonCode) || e.ReasonCode == reasonUnknown {
		t.Errorf("%s: reason code %q (reason %s)", who, e.ReasonCode, e.Reason())
	}
	for _, k := range []string{"email", "id", "pureCloudUserId", "sjEmail"} {
		if v := e.ReasonParams()[k]; v != "" && !strings.Contains(e.Reason(), v) {
			t.Errorf("%s: reason code %s param %s=%q is not in the reason %q", who, e.ReasonCode, k, v, e.Reason())
		}
	}
}

// checkInvariants: every user in exactly one entry; counts agree with entries;
// pairs only for explicit/email; conflicts carry a kind, others none.
func checkInvariants(t *testing.T, r *Report) {
	t.Helper()
	seenG, seenS := map[string]int{}, map[string]int{}
	counts := zeroCounts()
	gc, sc := zeroCounts(), zeroCounts()
	for i, e := range r.Entries {
		counts[e.Status]++
		paired := e.GenesysUser != nil && e.SJUser != nil
		if paired != (e.Status == StatusExplicit || e.Status == StatusEmail) {
			t.Errorf("entry %d: status %s but paired=%v", i, e.Status, paired)
		}
		if (e.Status == StatusConflict) != (e.ConflictKind != "") {
			t.Errorf("entry %d: status %s with kind %q", i, e.Status, e.ConflictKind)
		}
		if e.Status == StatusExplicit && key(e.SJUser.PureCloudUserID) != key(e.GenesysUser.ID) {
			t.Errorf("entry %d: explicit pair without the id", i)
		}
		if e.Status == StatusEmail && genesysEmail(e.GenesysUser) != key(e.SJUser.Email) {
			t.Errorf("entry %d: e-mail pair with different e-mails", i)
		}
		if e.GenesysUser != nil {
			seenG[e.GenesysUser.ID]++
			gc[e.Status]++
		}
		if e.SJUser != nil {
			seenS[e.SJUser.ID]++
			sc[e.Status]++
		}
	}
	for id, n := range seenG {
		if n != 1 {
			t.Errorf("Genesys user %s in %d entries", id, n)
		}
	}
	for id, n := range seenS {
		if n != 1 {
			t.Errorf("SJ user %s in %d entries", id, n)
		}
	}
	if len(seenG) != r.GenesysUsers || len(seenS) != r.SJUsers {
		t.Errorf("entries cover %d/%d users, report says %d/%d", len(seenG), len(seenS), r.GenesysUsers, r.SJUsers)
	}
	for _, st := range Statuses {
		if counts[st] != r.Counts[st] || gc[st] != r.GenesysCounts[st] || sc[st] != r.SJCounts[st] {
			t.Errorf("counts for %s: entries %d/%d/%d, report %d/%d/%d", st, counts[st], gc[st], sc[st], r.Counts[st], r.GenesysCounts[st], r.SJCounts[st])
		}
	}
	for i := 1; i < len(r.Entries); i++ {
		if rankOf(r.Entries[i-1].Status) > rankOf(r.Entries[i].Status) {
			t.Errorf("entries not ordered conflict, unmatched, email, explicit at %d", i)
			break
		}
	}
}

func rankOf(s Status) int {
	for i, v := range Statuses {
		if v == s {
			return i
		}
	}
	return -1
}

func TestBuildSkipsEmptyAndRepeatedIDs(t *testing.T) {
	r := Build(
		[]GenesysUser{gu("", "a@x.com"), gu("g1", "a@x.com"), gu("G1", "b@x.com")},
		[]SJUser{su(" ", "a@x.com", ""), su("12", "a@x.com", ""), su("12", "c@x.com", "")},
	)
	if r.Ignored != 4 || r.GenesysUsers != 1 || r.SJUsers != 1 {
		t.Fatalf("ignored %d, users %d/%d; want 4, 1/1", r.Ignored, r.GenesysUsers, r.SJUsers)
	}
	if e, _ := r.ByGenesysID("g1"); e.Status != StatusEmail {
		t.Fatalf("first record should win: %+v", e)
	}
}

// randomWorld draws users from small pools of ids and e-mails so that every
// rule and conflict kind, and their combinations, occur often.
func randomWorld(rng *rand.Rand, ng, ns int) ([]GenesysUser, []SJUser) {
	emails := []string{"", "a@x.com", "b@x.com", "c@x.com", "d@x.com", "A@X.com "}
	var g []GenesysUser
	for i := range ng {
		u := GenesysUser{ID: fmt.Sprintf("g%d", i), Name: fmt.Sprintf("G%d", i), Email: emails[rng.IntN(len(emails))]}
		if u.Email == "" && rng.IntN(2) == 0 {
			u.Username = emails[1+rng.IntN(len(emails)-1)]
		}
		if rng.IntN(8) == 0 {
			u.State = "inactive"
		}
		g = append(g, u)
	}
	var s []SJUser
	for i := range ns {
		u := SJUser{ID: fmt.Sprint(10 + i), Name: fmt.Sprintf("S%d", i), Email: emails[rng.IntN(len(emails))], Status: "Active"}
		switch rng.IntN(4) {
		case 0:
			u.PureCloudUserID = fmt.Sprintf("g%d", rng.IntN(ng+2)) // sometimes unknown
		case 1:
			if rng.IntN(3) == 0 {
				u.PureCloudUserID = "typo"
			}
		}
		if rng.IntN(8) == 0 {
			u.Status = "Inactive"
		}
		s = append(s, u)
	}
	return g, s
}

// 200 random worlds give each conflict kind at least 20 times (the seed
// gives 42 or more); 500 took two and a half times the CPU for no new case.
func TestBuildInvariantsAndDeterminism(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	kinds := map[ConflictKind]int{}
	for range 200 {
		g, s := randomWorld(rng, 1+rng.IntN(8), 1+rng.IntN(10))
		r := Build(g, s)
		checkInvariants(t, r)
		for _, e := range r.Entries {
			kinds[e.ConflictKind]++
		}
		want, _ := json.Marshal(r)
		rng.Shuffle(len(g), func(i, j int) { g[i], g[j] = g[j], g[i] })
		rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
		got, _ := json.Marshal(Build(g, s))
		if string(got) != string(want) {
			t.Fatalf("report depends on input order:\n%s\n%s", want, got)
		}
		if t.Failed() {
			t.FailNow()
		}
	}
	for _, k := range []ConflictKind{ConflictDuplicateSJEmail, ConflictDuplicateGenesysEmail, ConflictDuplicateExplicit, ConflictExplicitUnknown, ConflictExplicitEmailMismatch} {
		if kinds[k] < 20 {
			t.Errorf("random worlds produced %s %d times, want 20 or more; widen the generator", k, kinds[k])
		}
	}
}

func TestBuildDoesNotAliasInput(t *testing.T) {
	g := []GenesysUser{gu("g1", "a@x.com")}
	s := []SJUser{su("12", "a@x.com", "")}
	r := Build(g, s)
	g[0].Email, s[0].Name = "changed", "changed"
	e, _ := r.ByGenesysID("g1")
	if e.GenesysUser.Email != "a@x.com" || e.SJUser.Name != "S 12" {
		t.Fatalf("report shares memory with the caller's slices: %+v %+v", e.GenesysUser, e.SJUser)
	}
}

func TestRelatedUsersInNaturalIDOrder(t *testing.T) {
	r := Build([]GenesysUser{gu("g1", "a@x.com")}, []SJUser{su("100", "a@x.com", ""), su("9", "a@x.com", ""), su("10", "a@x.com", "")})
	e, _ := r.ByGenesysID("g1")
	if !equal(e.RelatedSJIDs, []string{"9", "10", "100"}) || !strings.Contains(e.Reason(), `"S 9" (id 9), "S 10" (id 10) and "S 100" (id 100)`) {
		t.Fatalf("related %v, reason %q", e.RelatedSJIDs, e.Reason())
	}
	var order []string
	for _, e := range r.Entries {
		if e.GenesysUser == nil {
			order = append(order, e.SJUser.ID)
		}
	}
	if !equal(order, []string{"9", "10", "100"}) {
		t.Fatalf("entry order %v", order)
	}
}
