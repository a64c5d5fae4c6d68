package appbase

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Result is one rule's answer: DATA.<rule>.ITEMS as rows, the total, and the
// other output parameters (keys upper-cased: RETVAL, SUCCESSRESPONSE, ...).
type Result struct {
	Rule    string
	Items   []Row
	Total   int
	Outputs map[string]any
	// RawItems is set instead of Items by ExecuteRaw: the ITEMS array as
	// JSON, byte for byte what json.Marshal(Items) would give; nil when the
	// reply had no ITEMS.
	RawItems json.RawMessage
	// totalSet is true when the envelope carried TOTALCOUNT (paging needs to
	// know; otherwise Total is len(Items)).
	totalSet bool
}

// decodeEnvelope reads a BDS reply. It accepts keys in any case, numbers as
// strings, `new Date(ms)`, null anywhere, a BOM; it turns the top-level
// {ErrorCode, ErrorMessage} and the rule-level ERRORCODE/ERRORMESSAGE into
// *Error. The returned *Error lacks Status/redaction; the caller adds them.
func decodeEnvelope(rule string, body []byte) (*Result, *Error) {
	body = sanitize(body)
	trimmed := bytes.TrimSpace(body)
	res := &Result{Rule: rule, Outputs: map[string]any{}}
	if len(trimmed) == 0 {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: "empty response body"}
	}
	if bytes.Equal(trimmed, []byte("null")) {
		return res, nil // a rule with no outputs
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	var top map[string]any
	if err := dec.Decode(&top); err != nil {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: "response is not a JSON object: " + shortJSONError(err, trimmed)}
	}
	var data any
	var hasData bool
	var code, msg string
	for k, v := range top {
		switch {
		case strings.EqualFold(k, "DATA"):
			data, hasData = v, true
		case strings.EqualFold(k, "ErrorCode"):
			code = valueString(v)
		case strings.EqualFold(k, "ErrorMessage"):
			msg = valueString(v)
		}
	}
	if !isZeroCode(code) || (!hasData && msg != "") {
		e := &Error{Kind: KindTopLevel, Rule: rule, Code: code, Message: msg}
		e.Token = staleToken(e)
		return nil, e
	}
	if !hasData {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: "response has no DATA and no ErrorCode"}
	}
	if data == nil {
		return res, nil
	}
	dm, ok := data.(map[string]any)
	if !ok {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: fmt.Sprintf("DATA is a %s, want an object", jsonType(data))}
	}
	ruleObj, ok := pickRule(dm, rule)
	if !ok {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: "DATA has no entry for the rule (keys: " + strings.Join(sortedKeys(dm), ", ") + ")"}
	}
	if ruleObj == nil {
		return res, nil
	}
	rm, ok := ruleObj.(map[string]any)
	if !ok {
		return nil, &Error{Kind: KindDecode, Rule: rule, Message: fmt.Sprintf("DATA.%s is a %s, want an object", rule, jsonType(ruleObj))}
	}
	for k, v := range rm {
		uk := strings.ToUpper(k)
		if uk != "ITEMS" {
			res.Outputs[uk] = v
			continue
		}
		rows, err := toRows(v)
		if err != nil {
			return nil, &Error{Kind: KindDecode, Rule: rule, Message: err.Error()}
		}
		res.Items = rows
	}
	rcode := valueString(res.Outputs["ERRORCODE"])
	rmsg := valueString(res.Outputs["ERRORMESSAGE"])
	// Rules report success as ErrorCode 0/'' and ErrorMessage '' (docs/upstreams.md).
	// A message with an explicit 0 code is informational, not a failure.
	if !isZeroCode(rcode) || (strings.TrimSpace(rcode) == "" && strings.TrimSpace(rmsg) != "") {
		return nil, &Error{Kind: KindRule, Rule: rule, Code: rcode, Message: rmsg}
	}
	if valid, ok := validationOK(res.Outputs); ok && !valid {
		return nil, &Error{Kind: KindRule, Rule: rule, Code: rcode, Message: orDefault(rmsg, "the rule's validation failed (ValidationSummary.IsValid is false)")}
	}
	res.Total = len(res.Items)
	if tc, ok := res.Outputs["TOTALCOUNT"]; ok {
		if n, ok := valueInt(tc); ok {
			res.Total, res.totalSet = int(n), true
		}
	}
	return res, nil
}

// pickRule finds DATA.<rule>: the exact spelling, then any case (AppBase
// echoes the caller's spelling), then the only key present.
func pickRule(dm map[string]any, rule string) (any, bool) {
	if v, ok := dm[rule]; ok {
		return v, true
	}
	for k, v := range dm {
		if strings.EqualFold(k, rule) {
			return v, true
		}
	}
	if len(dm) == 1 {
		for _, v := range dm {
			return v, true
		}
	}
	return nil, false
}

func toRows(v any) ([]Row, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case map[string]any: // a single row not wrapped in an array
		return []Row{upperRow(x)}, nil
	case []any:
		rows := make([]Row, 0, len(x))
		for i, e := range x {
			if e == nil {
				continue
			}
			m, ok := e.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("ITEMS[%d] is a %s, want an object", i, jsonType(e))
			}
			rows = append(rows, upperRow(m))
		}
		return rows, nil
	}
	return nil, fmt.Errorf("ITEMS is a %s, want an array", jsonType(v))
}

// upperRow upper-cases keys, reusing the map when they already are.
func upperRow(m map[string]any) Row {
	for k := range m {
		if k != strings.ToUpper(k) {
			out := make(Row, len(m))
			for k, v := range m {
				out[strings.ToUpper(k)] = v
			}
			return out
		}
	}
	return Row(m)
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case json.Number, float64:
		return "number"
	case bool:
		return "boolean"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// shortJSONError names the parse failure and shows where, without dumping
// the whole body (which may be an HTML error page).
func shortJSONError(err error, body []byte) string {
	snippet := body
	if len(snippet) > 80 {
		snippet = snippet[:80]
	}
	return fmt.Sprintf("%v (body starts %q)", err, snippet)
}

// staleToken: AppBase answers an invalid or expired token with a top-level
// ErrorCode 500 whose wording is not documented, and its own portal treats
// any top-level 500 as "log in again". So does the client, once; "rule not
// found" answers (an unknown rule or domain) are the 500s a fresh token
// cannot cure: configuration errors, which setup probes for.
func staleToken(e *Error) bool {
	if strings.TrimSpace(e.Code) == "500" && !notFoundAnswer(e.Message) {
		return true
	}
	return isTokenMessage(e.Message)
}

// validationOK reads ValidationSummary.IsValid (or a bare IsValid output);
// ok is false when the rule reported neither.
func validationOK(out map[string]any) (valid, ok bool) {
	if vs, has := out["VALIDATIONSUMMARY"].(map[string]any); has {
		for k, v := range vs {
			if strings.EqualFold(k, "IsValid") {
				return Row{"V": v}.Bool("V")
			}
		}
	}
	if v, has := out["ISVALID"]; has {
		return Row{"V": v}.Bool("V")
	}
	return false, false
}
