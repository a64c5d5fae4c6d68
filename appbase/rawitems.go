package appbase

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf8"

	"dcmconnect/internal/jsonscan"
)

// decodeEnvelopeRaw reads a BDS reply for a caller that hands the rows on
// as they are (the DCMServices proxy): Result.RawItems is the ITEMS array
// exactly as json.Marshal of decodeEnvelope's []Row would write it (keys
// upper-cased and sorted, strings HTML-escaped), built from the reply's
// bytes without decoding each row into a map. Values that plain copying
// would spell differently (escaped strings, nested objects) are decoded and
// encoded one by one. Anything but a well-formed success (errors, odd
// shapes) goes through decodeEnvelope, so errors are the same.
func decodeEnvelopeRaw(rule string, body []byte) (*Result, *Error) {
	res, ok := rawEnvelope(rule, bytes.TrimSpace(sanitize(body)))
	if ok {
		return res, nil
	}
	res, e := decodeEnvelope(rule, body)
	if e != nil {
		return nil, e
	}
	if res.Items != nil {
		b, err := json.Marshal(res.Items)
		if err != nil {
			return nil, &Error{Kind: KindDecode, Rule: rule, Message: "re-encoding ITEMS: " + err.Error()}
		}
		res.RawItems = b
	}
	res.Items = nil
	return res, nil
}

// rawEnvelope is decodeEnvelopeRaw's fast path; ok is false when the reply
// is not a plain success and decodeEnvelope must judge it.
func rawEnvelope(rule string, b []byte) (*Result, bool) {
	if len(b) == 0 || b[0] != '{' || !json.Valid(b) {
		return nil, false
	}
	res := &Result{Rule: rule, Outputs: map[string]any{}}
	var data []byte
	var code string
	eachMember(b, func(k, v []byte) {
		switch {
		case keyEqualFold(k, "DATA"):
			data = v
		case keyEqualFold(k, "ErrorCode"):
			code = valueString(rawValue(v))
		}
	})
	// With DATA present a top-level ErrorMessage alone is no failure (decodeEnvelope).
	if data == nil || !isZeroCode(code) {
		return nil, false
	}
	if isNull(data) {
		return res, true
	}
	if data[0] != '{' {
		return nil, false
	}
	ruleObj := pickRawRule(data, rule)
	if ruleObj == nil {
		return nil, false
	}
	if isNull(ruleObj) {
		return res, true
	}
	if ruleObj[0] != '{' {
		return nil, false
	}
	var items []byte
	eachMember(ruleObj, func(k, v []byte) {
		uk := strings.ToUpper(keyString(k))
		if uk == "ITEMS" {
			items = v
			return
		}
		res.Outputs[uk] = rawValue(v)
	})
	rcode := valueString(res.Outputs["ERRORCODE"])
	rmsg := valueString(res.Outputs["ERRORMESSAGE"])
	if !isZeroCode(rcode) || (strings.TrimSpace(rcode) == "" && strings.TrimSpace(rmsg) != "") {
		return nil, false
	}
	if valid, ok := validationOK(res.Outputs); ok && !valid {
		return nil, false
	}
	n := 0
	if items != nil && !isNull(items) {
		out, count, ok := rawRows(items)
		if !ok {
			return nil, false
		}
		res.RawItems, n = out, count
	}
	res.Total = n
	if tc, ok := res.Outputs["TOTALCOUNT"]; ok {
		if t, ok := valueInt(tc); ok {
			res.Total, res.totalSet = int(t), true
		}
	}
	return res, true
}

// pickRawRule is pickRule over raw members: the exact spelling, then any
// case, then the only key present. nil when none fits.
func pickRawRule(data []byte, rule string) []byte {
	var exact, folded, only, first []byte
	n, multi := 0, false
	eachMember(data, func(k, v []byte) {
		switch {
		case keyEqual(k, rule):
			exact = v
		case folded == nil && keyEqualFold(k, rule):
			folded = v
		}
		if n == 0 {
			first = k
		} else if !sameKey(k, first) {
			multi = true
		}
		n++
		if sameKey(k, first) {
			only = v
		}
	})
	switch {
	case exact != nil:
		return exact
	case folded != nil:
		return folded
	case n > 0 && !multi:
		return only
	}
	return nil
}

// rawRows writes ITEMS (an array of objects, nulls skipped, or one bare
// object) as a JSON array of canonical rows.
func rawRows(items []byte) (out []byte, n int, ok bool) {
	buf := make([]byte, 0, len(items)+len(items)/8)
	scratch := make([]member, 0, 16) // a row's members; a wider row grows it once
	buf = append(buf, '[')
	add := func(obj []byte) {
		if n > 0 {
			buf = append(buf, ',')
		}
		buf, scratch = appendRow(buf, obj, scratch[:0])
		n++
	}
	switch items[0] {
	case '{':
		add(items)
	case '[':
		ok = true
		eachElement(items, func(v []byte) {
			switch {
			case isNull(v):
			case v[0] == '{':
				add(v)
			default:
				ok = false
			}
		})
		if !ok {
			return nil, 0, false
		}
	default:
		return nil, 0, false
	}
	return append(buf, ']'), n, true
}

type member struct {
	key []byte // upper-cased, unquoted
	val []byte
}

// appendRow writes obj as json.Marshal writes a Row: keys upper-cased (the
// last of equal keys wins, as in a decoded map) and sorted.
func appendRow(buf, obj []byte, ms []member) ([]byte, []member) {
	eachMember(obj, func(k, v []byte) {
		ms = append(ms, member{key: upperKey(k), val: v})
	})
	slices.SortStableFunc(ms, func(a, b member) int { return bytes.Compare(a.key, b.key) })
	buf = append(buf, '{')
	wrote := false
	for i, m := range ms {
		if i+1 < len(ms) && bytes.Equal(ms[i+1].key, m.key) {
			continue // a later duplicate wins
		}
		if wrote {
			buf = append(buf, ',')
		}
		wrote = true
		buf = appendString(buf, m.key)
		buf = append(buf, ':')
		buf = appendValue(buf, m.val)
	}
	return append(buf, '}'), ms
}

// upperKey returns the key's text upper-cased, without copying when the
// raw key is plain upper-case ASCII (AppBase's usual spelling).
func upperKey(raw []byte) []byte {
	inner := raw[1 : len(raw)-1]
	plain := true
	for _, c := range inner {
		if c == '\\' || c >= 0x80 || (c >= 'a' && c <= 'z') {
			plain = false
			break
		}
	}
	if plain {
		return inner
	}
	return []byte(strings.ToUpper(keyString(raw)))
}

// appendString writes s as encoding/json writes a string.
func appendString(buf, s []byte) []byte {
	if plainString(s) {
		buf = append(buf, '"')
		buf = append(buf, s...)
		return append(buf, '"')
	}
	b, _ := json.Marshal(string(s))
	return append(buf, b...)
}

// appendValue writes one raw value as encoding/json re-encodes it after
// decoding with UseNumber: numbers and literals as they are, plain strings
// as they are, anything else decoded and encoded again.
func appendValue(buf, v []byte) []byte {
	switch v[0] {
	case '"':
		if plainString(v[1 : len(v)-1]) {
			return append(buf, v...)
		}
	case '{', '[':
	default: // number, true, false, null: encoding/json writes them back verbatim
		return append(buf, v...)
	}
	b, err := json.Marshal(rawValue(v))
	if err != nil {
		return append(buf, "null"...)
	}
	return append(buf, b...)
}

// plainString: text encoding/json writes back unchanged (no escapes, no
// control characters, no <>& it would HTML-escape, valid UTF-8 without
// U+2028/U+2029).
func plainString(s []byte) bool {
	ascii := true
	for _, c := range s {
		switch {
		case c < 0x20, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		case c >= 0x80:
			ascii = false
		}
	}
	if ascii {
		return true
	}
	return utf8.Valid(s) && !bytes.Contains(s, []byte("\u2028")) && !bytes.Contains(s, []byte("\u2029"))
}

// rawValue decodes one value as decodeEnvelope does (json.Number for
// numbers), cheaply for scalars.
func rawValue(v []byte) any {
	switch v[0] {
	case 'n':
		return nil
	case 't':
		return true
	case 'f':
		return false
	case '"':
		if bytes.IndexByte(v, '\\') < 0 {
			return string(v[1 : len(v)-1])
		}
	case '{', '[':
	default:
		return json.Number(v)
	}
	dec := json.NewDecoder(bytes.NewReader(v))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		return nil // unreachable: the body passed json.Valid
	}
	return out
}

func keyString(raw []byte) string {
	if bytes.IndexByte(raw, '\\') < 0 {
		return string(raw[1 : len(raw)-1])
	}
	var s string
	_ = json.Unmarshal(raw, &s) // valid: the body passed json.Valid
	return s
}

// keyEqual, keyEqualFold and sameKey compare raw (quoted) keys by their
// text as keyString gives it, without making a string of a key that has
// no escapes (most keys).
func keyEqual(raw []byte, s string) bool {
	if bytes.IndexByte(raw, '\\') >= 0 {
		return keyString(raw) == s
	}
	return string(raw[1:len(raw)-1]) == s
}

func keyEqualFold(raw []byte, s string) bool {
	if bytes.IndexByte(raw, '\\') >= 0 {
		return strings.EqualFold(keyString(raw), s)
	}
	return bytes.EqualFold(raw[1:len(raw)-1], []byte(s))
}

func sameKey(a, b []byte) bool {
	if bytes.IndexByte(a, '\\') >= 0 || bytes.IndexByte(b, '\\') >= 0 {
		return keyString(a) == keyString(b)
	}
	return bytes.Equal(a, b)
}

func isNull(v []byte) bool { return len(v) == 4 && string(v) == "null" }

// The scanners below walk JSON already checked by json.Valid.

// eachMember calls fn with each member's raw key (quoted) and value.
func eachMember(obj []byte, fn func(k, v []byte)) {
	i := jsonscan.SkipSpace(obj, 1)
	for i < len(obj) && obj[i] != '}' {
		ke := jsonscan.StringEnd(obj, i)
		k := obj[i:ke]
		i = jsonscan.SkipSpace(obj, ke)
		i = jsonscan.SkipSpace(obj, i+1) // ':'
		ve := jsonscan.ValueEnd(obj, i)
		fn(k, obj[i:ve])
		i = jsonscan.SkipSpace(obj, ve)
		if i < len(obj) && obj[i] == ',' {
			i = jsonscan.SkipSpace(obj, i+1)
		}
	}
}

// eachElement calls fn with each element of an array.
func eachElement(arr []byte, fn func(v []byte)) {
	i := jsonscan.SkipSpace(arr, 1)
	for i < len(arr) && arr[i] != ']' {
		ve := jsonscan.ValueEnd(arr, i)
		fn(arr[i:ve])
		i = jsonscan.SkipSpace(arr, ve)
		if i < len(arr) && arr[i] == ',' {
			i = jsonscan.SkipSpace(arr, i+1)
		}
	}
}
