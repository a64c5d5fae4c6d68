package appbase

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const rule = "ROOT_GENESYS_INTEGRATION_FINDPARTIES"

func mustDecode(t *testing.T, body string) *Result {
	t.Helper()
	res, e := decodeEnvelope(rule, []byte(body))
	if e != nil {
		t.Fatalf("decode(%s): unexpected error %v", body, e)
	}
	return res
}

func TestDecodeEnvelopeQuirks(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		wantItems int
		wantTotal int
		totalSet  bool
		check     func(t *testing.T, r *Result)
	}{
		{
			name:      "clean upper-case envelope",
			body:      `{"DATA":{"ROOT_GENESYS_INTEGRATION_FINDPARTIES":{"ITEMS":[{"ID":7,"NAME":"Ann"}],"TOTALCOUNT":1,"ERRORCODE":null,"ERRORMESSAGE":null}}}`,
			wantItems: 1, wantTotal: 1, totalSet: true,
			check: func(t *testing.T, r *Result) {
				if id, ok := r.Items[0].Int("ID"); !ok || id != 7 {
					t.Errorf("ID = %v %v, want 7", id, ok)
				}
			},
		},
		{
			name:      "mixed-case keys and TotalCount as string",
			body:      `{"Data":{"root_genesys_integration_findparties":{"Items":[{"Id":"3","Name":"Bo","email":"b@x.org"}],"TotalCount":"4","ErrorCode":null,"ErrorMessage":null,"ValidationSummary":{"VALIDATION":null,"IsValid":true}}}}`,
			wantItems: 1, wantTotal: 4, totalSet: true,
			check: func(t *testing.T, r *Result) {
				row := r.Items[0]
				if row.String("ID") != "3" || row.String("EMAIL") != "b@x.org" || row.String("name") != "Bo" {
					t.Errorf("row = %v, want upper-cased keys ID/NAME/EMAIL", row)
				}
				if _, ok := r.Outputs["VALIDATIONSUMMARY"]; !ok {
					t.Errorf("outputs %v lack VALIDATIONSUMMARY", r.Outputs)
				}
			},
		},
		{
			name:      "numbers as strings",
			body:      `{"DATA":{"x":{"ITEMS":[{"ID":"12","RN":"1","CREATED":"1"}],"TOTALCOUNT":"1","RETVAL":"-1"}}}`,
			wantItems: 1, wantTotal: 1, totalSet: true,
			check: func(t *testing.T, r *Result) {
				if id, ok := r.Items[0].Int("ID"); !ok || id != 12 {
					t.Errorf("Int(ID) = %v %v", id, ok)
				}
				if b, ok := r.Items[0].Bool("CREATED"); !ok || !b {
					t.Errorf("Bool(CREATED) = %v %v", b, ok)
				}
				if r.Outputs["RETVAL"] != "-1" {
					t.Errorf("RETVAL = %v", r.Outputs["RETVAL"])
				}
			},
		},
		{
			name:      "new Date literal and BOM",
			body:      "\xEF\xBB\xBF" + `{"DATA":{"` + rule + `":{"ITEMS":[{"ID":1,"MODIFIEDDATE":new Date(1589230156000),"NOTE":"new Date(2)"}]}}}`,
			wantItems: 1, wantTotal: 1,
			check: func(t *testing.T, r *Result) {
				got, ok := r.Items[0].Time("MODIFIEDDATE")
				if want := time.UnixMilli(1589230156000).UTC(); !ok || !got.Equal(want) {
					t.Errorf("Time = %v %v, want %v", got, ok, want)
				}
				if r.Items[0].String("NOTE") != "new Date(2)" {
					t.Errorf("string content rewritten: %q", r.Items[0].String("NOTE"))
				}
			},
		},
		{
			name:      "bare nulls everywhere",
			body:      `{"DATA":{"` + rule + `":{"ITEMS":[{"ID":1,"EMAIL":null},null],"TOTALCOUNT":null,"ERRORCODE":null,"ERRORMESSAGE":null}}}`,
			wantItems: 1, wantTotal: 1,
			check: func(t *testing.T, r *Result) {
				if s := r.Items[0].String("EMAIL"); s != "" {
					t.Errorf("null EMAIL = %q, want empty", s)
				}
			},
		},
		{name: "null ITEMS", body: `{"DATA":{"` + rule + `":{"ITEMS":null,"TOTALCOUNT":0}}}`, wantTotal: 0, totalSet: true},
		{name: "null rule object", body: `{"DATA":{"` + rule + `":null}}`},
		{name: "null DATA", body: `{"DATA":null}`},
		{name: "whole body null", body: `null`},
		{name: "single row not in an array", body: `{"DATA":{"` + rule + `":{"ITEMS":{"ID":"5"}}}}`, wantItems: 1, wantTotal: 1},
		{
			name:      "DATA key differs but is the only one",
			body:      `{"DATA":{"root_FindParties":{"ITEMS":[{"ID":1},{"ID":2}]}}}`,
			wantItems: 2, wantTotal: 2,
		},
		{
			name: "error code 0 with an informational message is success",
			body: `{"DATA":{"` + rule + `":{"ITEMS":[],"ERRORCODE":0,"ERRORMESSAGE":"nothing to do","SUCCESSRESPONSE":"ok"}}}`,
		},
		{name: "top-level ErrorCode 0 is not an error", body: `{"ErrorCode":0,"ErrorMessage":"","DATA":{"` + rule + `":{"ITEMS":[]}}}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := mustDecode(t, c.body)
			if len(r.Items) != c.wantItems || r.Total != c.wantTotal || r.totalSet != c.totalSet {
				t.Fatalf("items=%d total=%d totalSet=%v, want %d %d %v", len(r.Items), r.Total, r.totalSet, c.wantItems, c.wantTotal, c.totalSet)
			}
			if r.Rule != rule {
				t.Errorf("Rule = %q", r.Rule)
			}
			if c.check != nil {
				c.check(t, r)
			}
		})
	}
}

func TestDecodeEnvelopeErrors(t *testing.T) {
	cases := []struct {
		name      string
		body      string
		kind      ErrorKind
		code, msg string
		token     bool
	}{
		// Any top-level 500 may be an expired token, whatever the words (the client logs in again once).
		{"top-level ErrorCode 500", `{"ErrorCode":500,"ErrorMessage":"Object reference not set"}`, KindTopLevel, "500", "Object reference not set", true},
		{"top-level 500 rule not found", `{"ErrorCode":500,"ErrorMessage":"Rule 'X' not found"}`, KindTopLevel, "500", "Rule 'X' not found", false},
		{"validation failed", `{"DATA":{"` + rule + `":{"ITEMS":[],"ValidationSummary":{"VALIDATION":"Phone is too long","IsValid":false}}}}`, KindRule, "", "the rule's validation failed (ValidationSummary.IsValid is false)", false},
		{"top-level token expired", `{"ErrorCode":500,"ErrorMessage":"Security token is invalid or has expired"}`, KindTopLevel, "500", "Security token is invalid or has expired", true},
		{"top-level code as string, odd case", `{"errorcode":"500","errormessage":"Rule 'X' not found"}`, KindTopLevel, "500", "Rule 'X' not found", false},
		{"top-level message without code or DATA", `{"ErrorMessage":"boom"}`, KindTopLevel, "", "boom", false},
		{"rule-level ERRORCODE", `{"DATA":{"` + rule + `":{"ITEMS":[],"ERRORCODE":101,"ERRORMESSAGE":"PHONE is required"}}}`, KindRule, "101", "PHONE is required", false},
		{"rule-level ErrorCode as string", `{"DATA":{"` + rule + `":{"ErrorCode":"120","ErrorMessage":"not found","TotalCount":"0"}}}`, KindRule, "120", "not found", false},
		{"rule-level message without code", `{"DATA":{"` + rule + `":{"ERRORMESSAGE":"failed to save"}}}`, KindRule, "", "failed to save", false},
		{"HTML instead of JSON", `<html><body>Runtime Error</body></html>`, KindDecode, "", "", false},
		{"empty body", ``, KindDecode, "", "", false},
		{"no DATA, no error", `{"foo":1}`, KindDecode, "", "", false},
		{"DATA without this rule", `{"DATA":{"a":{},"b":{}}}`, KindDecode, "", "", false},
		{"ITEMS not rows", `{"DATA":{"` + rule + `":{"ITEMS":[1,2]}}}`, KindDecode, "", "", false},
		{"malformed date literal", `{"DATA":{"` + rule + `":{"ITEMS":[{"D":new Date(x)}]}}}`, KindDecode, "", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, e := decodeEnvelope(rule, []byte(c.body))
			if e == nil {
				t.Fatalf("no error, result %+v", res)
			}
			if e.Kind != c.kind || e.Token != c.token {
				t.Fatalf("kind=%v token=%v, want %v %v (%v)", e.Kind, e.Token, c.kind, c.token, e)
			}
			if c.kind != KindDecode && (e.Code != c.code || e.Message != c.msg) {
				t.Fatalf("code=%q msg=%q, want %q %q", e.Code, e.Message, c.code, c.msg)
			}
			if e.Rule != rule || !strings.Contains(e.Error(), rule) {
				t.Errorf("error %q does not name the rule", e.Error())
			}
		})
	}
}

func TestRowHelpers(t *testing.T) {
	r := Row{
		"S": "x", "N": json.Number("42"), "NS": " 43 ", "F": json.Number("4.0"), "FR": json.Number("4.5"),
		"B1": "Y", "B0": json.Number("0"), "BT": true, "NIL": nil,
		"MS": json.Number("1589230156000"), "WCF": "/Date(1589230156000+0100)/", "ISO": "2020-05-11T20:49:16.000Z",
		"LOCAL": "2020-05-11 20:49:16", "BAD": "soon",
	}
	if r.String("s") != "x" || r.String("N") != "42" || r.String("NIL") != "" || r.String("MISSING") != "" || r.String("BT") != "true" {
		t.Errorf("String: %q %q %q %q", r.String("s"), r.String("N"), r.String("NIL"), r.String("BT"))
	}
	for key, want := range map[string]int64{"N": 42, "NS": 43, "F": 4} {
		if got, ok := r.Int(key); !ok || got != want {
			t.Errorf("Int(%s) = %d %v, want %d", key, got, ok, want)
		}
	}
	for _, key := range []string{"FR", "S", "NIL", "MISSING"} {
		if _, ok := r.Int(key); ok {
			t.Errorf("Int(%s) ok, want not an integer", key)
		}
	}
	if b, ok := r.Bool("B1"); !ok || !b {
		t.Errorf("Bool(B1) = %v %v", b, ok)
	}
	if b, ok := r.Bool("B0"); !ok || b {
		t.Errorf("Bool(B0) = %v %v", b, ok)
	}
	if _, ok := r.Bool("S"); ok {
		t.Errorf("Bool(S) ok")
	}
	want := time.UnixMilli(1589230156000).UTC()
	for _, key := range []string{"MS", "WCF", "ISO"} {
		if got, ok := r.Time(key); !ok || !got.Equal(want) {
			t.Errorf("Time(%s) = %v %v, want %v", key, got, ok, want)
		}
	}
	if got, ok := r.Time("LOCAL"); !ok || !got.Equal(time.Date(2020, 5, 11, 20, 49, 16, 0, time.UTC)) {
		t.Errorf("Time(LOCAL) = %v %v", got, ok)
	}
	if _, ok := r.Time("BAD"); ok {
		t.Errorf("Time(BAD) ok")
	}
}
