package appbase

import (
	"bytes"
	"encoding/json"
	"sort"
	"testing"
)

// FuzzEncodePostBody: the hand-written body of a post.json call is what
// json.Marshal of the sorted postBody writes, byte for byte.
func FuzzEncodePostBody(f *testing.F) {
	f.Add("PHONE", "+14155550101", "NAME", "Ann")
	f.Add("A", `<b>&"q"\`, "é", "\u2028\x01\xff")
	f.Add("", "", "Z", "")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		params := map[string]string{k1: v1, k2: v2}
		pb := postBody{}
		for k, v := range params {
			pb.Parameters = append(pb.Parameters, param{Name: k, Value: v})
		}
		sort.Slice(pb.Parameters, func(i, j int) bool { return pb.Parameters[i].Name < pb.Parameters[j].Name })
		want, err := json.Marshal(pb)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodePostBody(params); !bytes.Equal(got, want) {
			t.Fatalf("%q:\n got %s\nwant %s", params, got, want)
		}
	})
}

func TestEncodePostBodyOfNothing(t *testing.T) {
	want, _ := json.Marshal(postBody{Parameters: []param{}})
	if got := encodePostBody(nil); !bytes.Equal(got, want) {
		t.Fatalf("got %s, want %s", got, want)
	}
}
