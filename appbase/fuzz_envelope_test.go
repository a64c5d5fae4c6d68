package appbase

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzDecodeEnvelope: any reply body decodes to exactly one of a result or
// an error of a known kind, the same way twice; a result's rows have
// upper-case keys and a total that is never negative unless AppBase said
// so; an error always has a message to show.
func FuzzDecodeEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"DATA":{"R":{"ITEMS":[{"id":1,"Name":"Ann"}],"TOTALCOUNT":"1"}},"ErrorCode":0,"ErrorMessage":""}`,
		`{"data":{"r":{"items":[],"totalcount":0}}}`,
		`{"DATA":{"R":{"ERRORCODE":"101","ERRORMESSAGE":"bad input"}}}`,
		`{"DATA":{"R":{"ValidationSummary":{"IsValid":false}}}}`,
		`{"ErrorCode":"112","ErrorMessage":"Token is invalid or expired"}`,
		`{"ErrorCode":0,"ErrorMessage":"informational"}`,
		`{"DATA":null}`, `{"DATA":[1]}`, `{"DATA":{"OTHER":{}}}`, `{"DATA":{"R":"x"}}`,
		`{"DATA":{"R":{"ITEMS":{"a":1}}}}`, `{"DATA":{"R":{"ITEMS":[1,2]}}}`,
		`{"DATA":{"R":{"ITEMS":[{"d":"new Date(1700000000000)"}]}}}`,
		"\ufeff{\"DATA\":{}}", `null`, ``, `[]`, `"token"`, `<html>`, `{"DATA":{"R":{}}`, `{"DATA":{"R":{"TOTALCOUNT":1e400}}}`,
	} {
		f.Add("R", []byte(s))
	}
	f.Fuzz(func(t *testing.T, rule string, body []byte) {
		res, e := decodeEnvelope(rule, body)
		if (res == nil) == (e == nil) {
			t.Fatalf("%q: result %v and error %v: want exactly one", body, res, e)
		}
		again, e2 := decodeEnvelope(rule, body)
		if (again == nil) != (res == nil) || (e2 == nil) != (e == nil) {
			t.Fatalf("%q: a second decode differs", body)
		}
		if e != nil {
			switch e.Kind {
			case KindTopLevel, KindRule, KindDecode:
			default:
				t.Fatalf("%q: error kind %v", body, e.Kind)
			}
			if e.Kind == KindDecode && e.Message == "" {
				t.Fatalf("%q: a decode error without a message", body)
			}
			if utf8.ValidString(rule) && !utf8.ValidString(e.Error()) {
				t.Fatalf("%q: error text is not UTF-8: %q", body, e.Error())
			}
			return
		}
		if !res.totalSet && res.Total != len(res.Items) {
			t.Fatalf("%q: total %d without TOTALCOUNT for %d rows", body, res.Total, len(res.Items))
		}
		for _, row := range res.Items {
			for k := range row {
				if k != strings.ToUpper(k) {
					t.Fatalf("%q: row key %q is not upper-case", body, k)
				}
			}
		}
		for k := range res.Outputs {
			if k != strings.ToUpper(k) {
				t.Fatalf("%q: output key %q is not upper-case", body, k)
			}
		}
	})
}

// FuzzLoginReply: the login answer's readers never panic; a token is never
// empty and never HTML or JSON structure; a top-level error is read from
// objects only.
func FuzzLoginReply(f *testing.F) {
	for _, s := range []string{`"abc-123"`, `abc`, `" "`, `""`, `null`, `<html>`, `{"ErrorCode":"1","ErrorMessage":"Invalid user or password"}`, `{"Message":"x"}`, `{"errorcode":5}`, `"\u0000"`, `"a\"b"`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if tok, ok := parseToken(body); ok {
			if strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r == 0x7f }) || strings.ContainsAny(tok, "<{}[]\"") {
				t.Fatalf("%q: token %q", body, tok)
			}
		} else if tok != "" {
			t.Fatalf("%q: not a token but %q", body, tok)
		}
		if code, msg := topLevelError(body); (code != "" || msg != "") && (len(body) == 0 || body[0] != '{') {
			t.Fatalf("%q: a top-level error (%q, %q) from a body that is not an object", body, code, msg)
		}
	})
}
