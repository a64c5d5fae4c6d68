package api

import (
	"encoding/json"
	"slices"
)

// outputsJSON is json.Marshal(outputs) for the values the appbase client
// gives a rule's outputs (null, booleans, numbers as json.Number, strings),
// written without reflection or a sorted copy of the map when each name
// and string needs no escaping; anything else goes to json.Marshal.
func outputsJSON(outputs map[string]any) ([]byte, error) {
	if outputs == nil {
		return []byte("null"), nil
	}
	var keysBuf [8]string
	keys := keysBuf[:0]
	size := 2
	for k, v := range outputs {
		if !plainJSONText(k) {
			return json.Marshal(outputs)
		}
		keys = append(keys, k)
		size += len(k) + 4
		if s, ok := v.(string); ok {
			size += len(s) + 2
		} else {
			size += 8
		}
	}
	slices.Sort(keys)
	b := make([]byte, 0, size)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, '"', ':')
		switch v := outputs[k].(type) {
		case nil:
			b = append(b, "null"...)
		case bool:
			if v {
				b = append(b, "true"...)
			} else {
				b = append(b, "false"...)
			}
		case string:
			if !plainJSONText(v) {
				return json.Marshal(outputs)
			}
			b = append(b, '"')
			b = append(b, v...)
			b = append(b, '"')
		case json.Number:
			if !plainNumber(v) {
				return json.Marshal(outputs)
			}
			b = append(b, v...)
		default:
			return json.Marshal(outputs)
		}
	}
	return append(b, '}'), nil
}

// marshalString is json.Marshal(s).
func marshalString(s string) []byte { return appendMarshalString(make([]byte, 0, len(s)+2), s) }

// appendMarshalString appends json.Marshal(s) to b.
func appendMarshalString(b []byte, s string) []byte {
	if !plainJSONText(s) {
		q, _ := json.Marshal(s) // a string always encodes
		return append(b, q...)
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// plainJSONText: json.Marshal writes s as it is between quotes (printable
// ASCII, none of the characters it escapes).
func plainJSONText(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c >= 0x7f, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

// plainNumber: n is a JSON number, which json.Marshal writes as it is.
func plainNumber(n json.Number) bool {
	if n == "" {
		return false // json.Marshal writes 0
	}
	if c := n[0]; c != '-' && (c < '0' || c > '9') {
		return false
	}
	if c := n[len(n)-1]; c < '0' || c > '9' {
		return false
	}
	return json.Valid([]byte(n))
}
