package jsonscan

import (
	"encoding/json"
	"testing"
)

// Each value's end agrees with what encoding/json takes as the first value
// of the document.
func TestValueEnd(t *testing.T) {
	for _, tc := range []struct{ doc, value string }{
		{`"a\"b" , 1`, `"a\"b"`},
		{`{"x":[1,{"y":"}"}],"z":"]"}]`, `{"x":[1,{"y":"}"}],"z":"]"}`},
		{`[[],{}] ,`, `[[],{}]`},
		{`-1.5e3,2`, `-1.5e3`},
		{`true}`, `true`},
		{`null`, `null`},
	} {
		end := ValueEnd([]byte(tc.doc), 0)
		if got := tc.doc[:end]; got != tc.value {
			t.Errorf("ValueEnd(%q) took %q, want %q", tc.doc, got, tc.value)
		}
		if !json.Valid([]byte(tc.doc[:end])) {
			t.Errorf("%q is not a JSON value", tc.doc[:end])
		}
	}
}

func TestSkipSpace(t *testing.T) {
	b := []byte(" \t\r\n x")
	if i := SkipSpace(b, 0); b[i] != 'x' {
		t.Fatalf("SkipSpace stopped at %d (%q)", i, b[i])
	}
	if i := SkipSpace(b, len(b)); i != len(b) {
		t.Fatalf("SkipSpace past the end = %d", i)
	}
}
