package usermap

import (
	"errors"
	"slices"
	"testing"
)

// Ann (g1) is linked explicitly to 12, Ben (g2) by e-mail to 13, Carla (g3)
// to no one; 14 is free.
func takeOverStore(t *testing.T) (*Store, *fakeSJ) {
	t.Helper()
	sj := &fakeSJ{users: []SJUser{su("12", "ann@x.com", "g1"), su("13", "ben@x.com", ""), su("14", "", "")}}
	st := NewStore(StoreOptions{})
	st.Replace(Build([]GenesysUser{gu("g1", "ann@x.com"), gu("g2", "ben@x.com"), gu("g3", "carla@x.com")}, sj.users))
	return st, sj
}

func TestSetExplicitConfirmedRefusesATakeOverItWasNotToldOf(t *testing.T) {
	cases := []struct {
		name   string
		sj, g  string
		losers []string // Genesys ids that lose a link
	}{
		{"an explicit link moves to another Genesys user", "12", "g3", []string{"g1"}},
		{"an e-mail match moves to another Genesys user", "13", "g3", []string{"g2"}},
		{"a second ServiceJourney user would name an explicitly linked Genesys user", "14", "g1", []string{"g1"}},
		{"both at once", "13", "g1", []string{"g2", "g1"}},
		{"a free user to a free user", "14", "g3", nil},
		{"the link that is already there", "12", "g1", nil},
		{"clearing an explicit link", "12", "", []string{"g1"}},
		{"clearing where there is no explicit link", "13", "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			st, sj := takeOverStore(t)
			before := st.Report()
			err := st.SetExplicitConfirmed(t.Context(), sj, c.sj, c.g, nil)
			if len(c.losers) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var te *TakeOverError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want a TakeOverError", err)
			}
			if got := te.GenesysIDs(); !slices.Equal(got, c.losers) {
				t.Fatalf("losers %v, want %v", got, c.losers)
			}
			if len(sj.writeLog()) != 0 || st.Report() != before {
				t.Fatal("a refused take-over wrote or changed the map")
			}
			// Confirming only part of it is still refused, naming the rest.
			if len(c.losers) > 1 {
				err := st.SetExplicitConfirmed(t.Context(), sj, c.sj, c.g, c.losers[:1])
				if !errors.As(err, &te) || !slices.Equal(te.GenesysIDs(), c.losers[1:]) {
					t.Fatalf("partly confirmed: %v", err)
				}
			}
			// Confirmed with the ids the refusal named (any case), it goes through.
			confirm := slices.Clone(c.losers)
			confirm[0] = "  " + string(rune(confirm[0][0]-32)) + confirm[0][1:]
			if err := st.SetExplicitConfirmed(t.Context(), sj, c.sj, c.g, confirm); err != nil {
				t.Fatalf("confirmed: %v", err)
			}
			if w := sj.writeLog(); len(w) != 1 || w[0] != c.sj+"="+c.g {
				t.Fatalf("writes %v", w)
			}
			if e, _ := st.Report().BySJID(c.sj); e.SJUser.PureCloudUserID != c.g {
				t.Fatalf("after the confirmed change the map holds PureCloud_UserId %q, want %q", e.SJUser.PureCloudUserID, c.g)
			}
		})
	}
}

// A confirmation covers the links it names, not one made since.
func TestTakeOverConfirmationDoesNotCoverANewLink(t *testing.T) {
	st, sj := takeOverStore(t)
	// The page saw 14 free and confirmed nothing; meanwhile 14 was linked to Ben.
	if err := st.SetExplicit(t.Context(), sj, "14", "g2"); err != nil {
		t.Fatal(err)
	}
	var te *TakeOverError
	if err := st.SetExplicitConfirmed(t.Context(), sj, "14", "g3", []string{"g1"}); !errors.As(err, &te) || !slices.Equal(te.GenesysIDs(), []string{"g2"}) {
		t.Fatalf("err = %v, want Ben (g2) named", err)
	}
	if te.Error() == "" || te.Lost[0].SJ.ID != "14" || te.Lost[0].Genesys.Name != "G g2" {
		t.Fatalf("lost link: %+v", te.Lost)
	}
}

// Two supervisors confirm different take-overs of the same link at the
// same instant (Ann's 12 to Ben, and to Carla), each having seen only Ann
// lose it: the check and the write are one step, so exactly one wins and
// the other is refused naming the winner, who would now lose the link.
func TestConcurrentTakeOversOneWins(t *testing.T) {
	// 12 links Ann (g1) explicitly and nothing else could match: moving it
	// to Ben or Carla makes a clean explicit link the other would take.
	sj := &fakeSJ{users: []SJUser{su("12", "", "g1"), su("14", "", "")}}
	st := NewStore(StoreOptions{})
	st.Replace(Build([]GenesysUser{gu("g1", "ann@x.com"), gu("g2", "ben@x.com"), gu("g3", "carla@x.com")}, sj.users))
	sj.setEntered, sj.setGate = make(chan string, 2), make(chan struct{})
	waiting := make(chan struct{}, 2)
	st.changeWaits = func() { waiting <- struct{}{} }
	type result struct {
		g   string
		err error
	}
	results := make(chan result, 2)
	for _, g := range []string{"g2", "g3"} {
		go func() { results <- result{g, st.SetExplicitConfirmed(t.Context(), sj, "12", g, []string{"g1"})} }()
	}
	<-waiting
	<-waiting
	first := <-sj.setEntered // one holds the change, writing
	close(sj.setGate)        // the other is waiting for it, or wrote past it too
	var won, lost []result
	for range 2 {
		r := <-results
		if r.err == nil {
			won = append(won, r)
		} else {
			lost = append(lost, r)
		}
	}
	if len(won) != 1 || len(lost) != 1 {
		t.Fatalf("won %v, lost %v; want exactly one of each (writes %v)", won, lost, sj.writeLog())
	}
	var te *TakeOverError
	if !errors.As(lost[0].err, &te) || !slices.Equal(te.GenesysIDs(), []string{won[0].g}) {
		t.Fatalf("the loser got %v; want a take-over naming %s", lost[0].err, won[0].g)
	}
	if w := sj.writeLog(); len(w) != 1 || w[0] != first || first != "12="+won[0].g {
		t.Fatalf("writes %v (first %s), want only the winner's", w, first)
	}
	if e, _ := st.Report().BySJID("12"); e.SJUser.PureCloudUserID != won[0].g {
		t.Fatalf("12 holds %q, want the winner %s", e.SJUser.PureCloudUserID, won[0].g)
	}
}

// The report counts conflict groups as the supervisor page shows them (one
// row a group) and what needs a person: groups plus unmatched entries.
func TestReportCountsConflictGroups(t *testing.T) {
	g := []GenesysUser{gu("dan", "dan@x.com"), gu("eve", "eve@x.com"), gu("fay", "fay@x.com"), gu("gus", "gus@x.com"), gu("hal", "hal@x.com")}
	sj := []SJUser{
		su("104", "dan@x.com", ""), su("105", "dan@x.com", ""), // two ServiceJourney users share Dan's e-mail: one group of 3
		su("106", "", "eve"), su("107", "", "eve"), // both name Eve: one group of 3
		su("108", "fay@x.com", ""),    // a clean e-mail match
		su("109", "nobody@x.com", ""), // unmatched
	}
	r := Build(g, sj)
	if r.Counts[StatusConflict] != 6 || r.ConflictGroups != 2 {
		t.Fatalf("conflict entries %d, groups %d; want 6 in 2 groups\n%+v", r.Counts[StatusConflict], r.ConflictGroups, r.Entries)
	}
	// gus and hal are unmatched Genesys users, 109 an unmatched ServiceJourney user.
	if r.Counts[StatusUnmatched] != 3 || r.ToFix != 5 {
		t.Fatalf("unmatched %d, to fix %d; want 3 and 5", r.Counts[StatusUnmatched], r.ToFix)
	}
}
