package api

import (
	"bytes"
	"encoding/json"
	"maps"
	"testing"
)

// FuzzObjectMembers: whenever the fast path takes a body, json.Unmarshal
// into a map[string]json.RawMessage accepts it and gives the same members,
// byte for byte.
func FuzzObjectMembers(f *testing.F) {
	for _, s := range []string{`{}`, ` { } `, `{"rule":"X","parameters":{"PHONE":"+1 415"}}`, `{"a":1,"a":2}`,
		`{"a\"b":[1,{"c":"}"}],"d":null,"e":true,"f":-1.5e3}`, `{"\u00e9":"x","é":"y"}`, "{\"\xff\":1}", `{"a":"\\"}`,
		`{"a":1,}`, `{"a"}`, `[1]`, `null`, `"x"`, ``, `{"a":{"b":{"c":[[]]}}}`, "{\"a\":\t1\n}", `{"a":1}x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		got, ok := objectMembers(b)
		var want map[string]json.RawMessage
		err := json.Unmarshal(b, &want)
		if !ok {
			if err == nil && want != nil && bytes.HasPrefix(bytes.TrimLeft(b, " \t\r\n"), []byte("{")) {
				t.Fatalf("%q: a valid object left to json.Unmarshal", b)
			}
			return
		}
		if err != nil || !maps.EqualFunc(got, want, func(x, y json.RawMessage) bool { return bytes.Equal(x, y) }) {
			t.Fatalf("%q: fast path %q, json.Unmarshal %q (%v)", b, got, want, err)
		}
	})
}

// The page's body and its parameters object are read by the fast path, and
// what a method sees is what json.Unmarshal gave before.
func TestParametersAreSplitNotDecoded(t *testing.T) {
	body := []byte(`{"rule":"ROOT_GENESYS_FINDPARTIES","parameters":{"PHONE":"+14155550101","n":2}}`)
	params, ok := objectMembers(body)
	if !ok {
		t.Fatal("the page's body took the slow path")
	}
	c := &Call{params: params}
	var raw map[string]json.RawMessage
	if err := c.Decode("Parameters", &raw, true); err != nil || string(raw["PHONE"]) != `"+14155550101"` || string(raw["n"]) != "2" || len(raw) != 2 {
		t.Fatalf("parameters = %q, %v", raw, err)
	}
	// Into a map that has entries: added to, as json.Unmarshal does.
	had := map[string]json.RawMessage{"keep": json.RawMessage(`1`)}
	if err := c.Decode("parameters", &had, true); err != nil || len(had) != 3 || string(had["keep"]) != "1" {
		t.Fatalf("into a filled map: %q, %v", had, err)
	}
	// Not an object: json.Unmarshal's error, naming the parameter.
	c = &Call{params: map[string]json.RawMessage{"parameters": json.RawMessage(`"x"`)}}
	if err := c.Decode("parameters", &raw, true); err == nil || !bytes.Contains([]byte(err.Error()), []byte(`parameter "parameters"`)) {
		t.Fatalf("string for an object: %v", err)
	}
}

// FuzzOutputsJSON: a rule's outputs are written as json.Marshal writes them.
func FuzzOutputsJSON(f *testing.F) {
	f.Add(`{"ERRORCODE":null,"ERRORMESSAGE":null,"TOTALCOUNT":1}`)
	f.Add(`{"A":"<b>","B":true,"C":false,"D":-1.5e-3,"E":"é","F":"\u2028","G":[1],"H":{"x":1}}`)
	f.Add(`{"Z":"x","A":"y","M":"\"","é":1}`)
	f.Add(`{}`)
	f.Add(`null`)
	f.Fuzz(func(t *testing.T, in string) {
		dec := json.NewDecoder(bytes.NewReader([]byte(in)))
		dec.UseNumber()
		var outputs map[string]any
		if dec.Decode(&outputs) != nil {
			return
		}
		want, werr := json.Marshal(outputs)
		got, err := outputsJSON(outputs)
		if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s (%v), json.Marshal %s (%v)", in, got, err, want, werr)
		}
	})
}

func FuzzMarshalString(f *testing.F) {
	for _, s := range []string{"ROOT_GENESYS_FINDPARTIES", "", `<&>`, `"\`, "é", "\u2028", "\xff", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := marshalString(s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

// Numbers json.Marshal would refuse or rewrite are left to it.
func TestOutputsJSONLeavesOddNumbersToJSONMarshal(t *testing.T) {
	for _, n := range []json.Number{"", "1x", "01", "+1", "1.", " 1", "1e5"} {
		outputs := map[string]any{"N": n}
		want, werr := json.Marshal(outputs)
		got, err := outputsJSON(outputs)
		if (err == nil) != (werr == nil) || !bytes.Equal(got, want) {
			t.Errorf("%q: got %s (%v), json.Marshal %s (%v)", n, got, err, want, werr)
		}
	}
}
