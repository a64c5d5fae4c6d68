package usermap

import (
	"math/rand/v2"
	"testing"
)

// TestMatchNewAgreesWithBuild: for a Genesys user missing from the snapshot,
// the targeted match must give exactly the entry a full rebuild would.
// 600 random worlds check each status on at least 100 new users (the
// seed gives 167 or more); 3,000 took five times the CPU for no new case.
func TestMatchNewAgreesWithBuild(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	checked := map[Status]int{}
	for range 600 {
		g, s := randomWorld(rng, 1+rng.IntN(8), 1+rng.IntN(10))
		full := Build(g, s)
		for i, u := range g {
			want, ok := full.ByGenesysID(u.ID)
			rest := append(append([]GenesysUser{}, g[:i]...), g[i+1:]...)
			got, gotOK := Build(rest, s).idx.matchNew(u)
			if ok != gotOK {
				t.Fatalf("user %+v: in full build %v, targeted %v", u, ok, gotOK)
			}
			if !ok {
				continue
			}
			checked[want.Status]++
			if got.Status != want.Status || got.ConflictKind != want.ConflictKind || got.Reason() != want.Reason() ||
				sjID(got) != sjID(want) || !equal(got.RelatedGenesysIDs, want.RelatedGenesysIDs) || !equal(got.RelatedSJIDs, want.RelatedSJIDs) {
				t.Fatalf("user %+v\nSJ %+v\nGenesys %+v\nfull:     %+v\ntargeted: %+v", u, s, g, want, got)
			}
		}
	}
	for _, st := range Statuses {
		if checked[st] < 100 {
			t.Errorf("%d new users ended %s, want 100 or more; widen the generator", checked[st], st)
		}
	}
}

func sjID(e Entry) string {
	if e.SJUser == nil {
		return ""
	}
	return e.SJUser.ID
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
