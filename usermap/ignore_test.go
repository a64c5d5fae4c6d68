package usermap

import (
	"errors"
	"slices"
	"testing"
)

// An ignored ServiceJourney user is reported as such and takes no part in
// matching: a Genesys user with its e-mail is not matched to it, nor held in
// a conflict by it.
func TestBuildReportsIgnoredUsersAndLeavesThemOut(t *testing.T) {
	r := Build([]GenesysUser{gu("g1", "desk@x.com"), gu("g2", "ann@x.com")}, []SJUser{
		su("12", "desk@x.com", " IGNORE:12 "), // case and spaces as a person may type them
		su("13", "ann@x.com", ""),
		su("14", "ann@x.com", "ignore:14"), // would make a duplicate e-mail conflict
		su("15", "", "ignore:"),            // the prefix alone marks nothing
	})
	for _, id := range []string{"12", "14"} {
		e, _ := r.BySJID(id)
		if e.Status != StatusIgnored || e.GenesysUser != nil || e.ReasonCode != ReasonSIgnored || e.Reason() == "" {
			t.Errorf("SJ %s: %+v, want ignored with its reason", id, e)
		}
	}
	if e, _ := r.BySJID("15"); e.Status != StatusConflict {
		t.Errorf("SJ 15 with a bare prefix: %s, want conflict (a PureCloud_UserId naming no one)", e.Status)
	}
	if e, _ := r.ByGenesysID("g1"); e.Status != StatusUnmatched || e.ReasonCode != ReasonGNoSJ {
		t.Errorf("g1 shares the ignored user's e-mail: %+v, want unmatched, no ServiceJourney user", e)
	}
	if e, _ := r.ByGenesysID("g2"); e.Status != StatusEmail || e.SJUser.ID != "13" {
		t.Errorf("g2: %+v, want matched by e-mail to 13 (14 is ignored)", e)
	}
	if r.SJCounts[StatusIgnored] != 2 || r.Counts[StatusIgnored] != 2 || r.GenesysCounts[StatusIgnored] != 0 {
		t.Errorf("counts %v / %v / %v", r.Counts, r.SJCounts, r.GenesysCounts)
	}
	if !slices.Contains(ReasonCodes(), ReasonSIgnored) {
		t.Error("ReasonCodes lacks s.ignored: the pages' text test would not cover it")
	}
}

func TestStoreIgnoreAndUndo(t *testing.T) {
	sj := &fakeSJ{users: []SJUser{su("12", "ann@x.com", "g1"), su("14", "olga@x.com", "")}}
	st := NewStore(StoreOptions{})
	st.Replace(Build([]GenesysUser{gu("g1", "ann@x.com")}, sj.users))

	if err := st.Ignore(t.Context(), sj, "14", nil); err != nil {
		t.Fatal(err)
	}
	if w := sj.writeLog(); !slices.Equal(w, []string{"14=ignore:14"}) {
		t.Fatalf("writes %v", w)
	}
	if e, _ := st.Report().BySJID("14"); e.Status != StatusIgnored {
		t.Fatalf("after Ignore: %+v", e)
	}
	// Again: nothing more is written.
	if err := st.Ignore(t.Context(), sj, "14", nil); err != nil || len(sj.writeLog()) != 1 {
		t.Fatalf("second Ignore: %v, writes %v", err, sj.writeLog())
	}
	// A sync that reads the mark keeps the user ignored.
	sj.users[1].PureCloudUserID = "ignore:14"
	st.Replace(Build([]GenesysUser{gu("g1", "ann@x.com")}, sj.users))
	if e, _ := st.Report().BySJID("14"); e.Status != StatusIgnored {
		t.Fatalf("after a sync: %+v", e)
	}
	if err := st.Unignore(t.Context(), sj, "14"); err != nil {
		t.Fatal(err)
	}
	if w := sj.writeLog(); w[len(w)-1] != "14=" {
		t.Fatalf("undo wrote %v, want the mark cleared", w)
	}
	if e, _ := st.Report().BySJID("14"); e.Status != StatusUnmatched {
		t.Fatalf("after undo: %+v", e)
	}
	// Undo on a user who is not ignored clears nothing: Ann's link stays.
	if err := st.Unignore(t.Context(), sj, "12"); err != nil || len(sj.writeLog()) != 2 {
		t.Fatalf("undo of a linked user: %v, writes %v", err, sj.writeLog())
	}
	// Ignoring a user who serves someone is a take-over.
	var te *TakeOverError
	if err := st.Ignore(t.Context(), sj, "12", nil); !errors.As(err, &te) || !slices.Equal(te.GenesysIDs(), []string{"g1"}) {
		t.Fatalf("ignoring Ann's user: %v, want a take-over naming g1", err)
	}
	if err := st.Ignore(t.Context(), sj, "12", []string{"g1"}); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.Lookup(t.Context(), "g1"); e.Status != StatusUnmatched {
		t.Fatalf("Ann after her user was ignored: %+v", e)
	}
	var ue *UnknownUserError
	if err := st.Ignore(t.Context(), sj, "99", nil); !errors.As(err, &ue) {
		t.Fatalf("unknown user: %v", err)
	}
	// The mark is only ever the user's own: SetExplicit refuses another's.
	if err := st.SetExplicit(t.Context(), sj, "14", "ignore:12"); !errors.As(err, &ue) {
		t.Fatalf("another user's mark: %v", err)
	}
}
