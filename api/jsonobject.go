package api

import (
	"encoding/json"
)

// objectMembers is what json.Unmarshal of b into a map[string]json.RawMessage
// gives, for a b that is a valid JSON object: each member's value as its
// raw bytes (a slice of b: b must not change afterwards), the last of a
// repeated name winning. It walks the object once checked by json.Valid
// instead of decoding it by reflection, which was most of the cost of
// reading a page's parameters (the body, then its "parameters" object).
// ok is false for anything else; json.Unmarshal then gives the error.
func objectMembers(b []byte) (m map[string]json.RawMessage, ok bool) {
	i := skipJSONSpace(b, 0)
	if i == len(b) || b[i] != '{' || !json.Valid(b) {
		return nil, false
	}
	m = map[string]json.RawMessage{}
	i = skipJSONSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		ke := jsonStringEnd(b, i)
		k, ok := plainKey(b[i:ke])
		if !ok {
			if json.Unmarshal(b[i:ke], &k) != nil {
				return nil, false // unreachable: b is valid
			}
		}
		i = skipJSONSpace(b, ke)
		i = skipJSONSpace(b, i+1) // ':'
		ve := jsonValueEnd(b, i)
		m[k] = json.RawMessage(b[i:ve:ve])
		i = skipJSONSpace(b, ve)
		if i < len(b) && b[i] == ',' {
			i = skipJSONSpace(b, i+1)
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

// The scanners below walk JSON already checked by json.Valid.

func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// jsonStringEnd is the index after the string starting at b[i] == '"'.
func jsonStringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// jsonValueEnd is the index after the value starting at b[i].
func jsonValueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return jsonStringEnd(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = jsonStringEnd(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}
