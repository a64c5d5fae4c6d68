package api

import (
	"encoding/json"

	"dcmconnect/internal/jsonscan"
)

// objectMembers is what json.Unmarshal of b into a map[string]json.RawMessage
// gives, for a b that is a valid JSON object: each member's value as its
// raw bytes (a slice of b: b must not change afterwards), the last of a
// repeated name winning. It walks the object once checked by json.Valid
// instead of decoding it by reflection, which was most of the cost of
// reading a page's parameters (the body, then its "parameters" object).
// ok is false for anything else; json.Unmarshal then gives the error.
func objectMembers(b []byte) (m map[string]json.RawMessage, ok bool) {
	i := jsonscan.SkipSpace(b, 0)
	if i == len(b) || b[i] != '{' || !json.Valid(b) {
		return nil, false
	}
	m = map[string]json.RawMessage{}
	i = jsonscan.SkipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		ke := jsonscan.StringEnd(b, i)
		k, ok := plainKey(b[i:ke])
		if !ok {
			if json.Unmarshal(b[i:ke], &k) != nil {
				return nil, false // unreachable: b is valid
			}
		}
		i = jsonscan.SkipSpace(b, ke)
		i = jsonscan.SkipSpace(b, i+1) // ':'
		ve := jsonscan.ValueEnd(b, i)
		m[k] = json.RawMessage(b[i:ve:ve])
		i = jsonscan.SkipSpace(b, ve)
		if i < len(b) && b[i] == ',' {
			i = jsonscan.SkipSpace(b, i+1)
		}
	}
	return m, true
}

// plainKey is a quoted name without escapes or non-ASCII bytes, which
// decodes to itself.
func plainKey(raw []byte) (string, bool) {
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c == '\\' || c >= 0x80 {
			return "", false
		}
	}
	return string(in), true
}
