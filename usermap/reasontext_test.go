package usermap

import (
	"encoding/json"
	"maps"
	"math/rand/v2"
	"strings"
	"testing"
)

// The JSON the pages read says the reason in English and as code +
// parameters, rendered from the decision when encoded, in the field order
// the pages have always had; a matched pair carries its constant reason
// and no parameters. 100 random worlds render each status at least 20
// times (the seed gives 25 or more).
func TestEntryJSONRendersTheReason(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	seen := map[Status]int{}
	for range 100 {
		g, s := randomWorld(rng, 1+rng.IntN(8), 1+rng.IntN(10))
		for _, e := range Build(g, s).Entries {
			b, err := json.Marshal(e)
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Reason       string            `json:"reason"`
				ReasonCode   string            `json:"reasonCode"`
				ReasonParams map[string]string `json:"reasonParams"`
			}
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatal(err)
			}
			if got.Reason != e.Reason() || got.Reason == "" || got.ReasonCode != e.ReasonCode || !maps.Equal(got.ReasonParams, e.ReasonParams()) {
				t.Fatalf("JSON %s\nentry reason %q code %q params %v", b, e.Reason(), e.ReasonCode, e.ReasonParams())
			}
			matched := e.Status == StatusExplicit || e.Status == StatusEmail
			if matched && (e.ReasonParams() != nil || strings.Contains(string(b), "reasonParams")) {
				t.Fatalf("matched entry with parameters: %s", b)
			}
			order := []string{`"status"`, `"reason"`, `"reasonCode"`}
			if !matched && e.ReasonParams() != nil {
				order = append(order, `"reasonParams"`)
			}
			at := 0
			for _, k := range order {
				i := strings.Index(string(b[at:]), k+":")
				if i < 0 {
					t.Fatalf("%s not after the fields before it in %s", k, b)
				}
				at += i
			}
			seen[e.Status]++
		}
	}
	for _, st := range Statuses {
		if seen[st] < 20 {
			t.Errorf("%d %s entries checked, want 20 or more; widen the generator", seen[st], st)
		}
	}
	if b, _ := json.Marshal(Entry{}); string(b) != `{"status":"","reason":"","reasonCode":""}` {
		t.Errorf("zero entry: %s", b)
	}
}
