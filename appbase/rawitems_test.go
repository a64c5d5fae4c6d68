package appbase

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The proxy's rows must be byte for byte what encoding the decoded rows
// gave, and its errors the same errors.
func TestDecodeEnvelopeRawMatchesDecoded(t *testing.T) {
	bodies := map[string]string{
		"plain":          `{"DATA":{"R":{"ITEMS":[{"ID":1,"NAME":"Ann"},{"ID":"2","NAME":null}],"TOTALCOUNT":2,"ERRORCODE":null,"ERRORMESSAGE":null}}}`,
		"unsorted keys":  `{"DATA":{"R":{"ITEMS":[{"NAME":"Ann","ID":1,"CODE":"a"}]}}}`,
		"lower keys":     `{"data":{"r":{"items":[{"Id":1,"nAme":"Ann","straße":"x"}],"totalCount":"7"}}}`,
		"duplicate keys": `{"DATA":{"R":{"ITEMS":[{"ID":1,"ID":2,"A":"x","A":"y"}]}}}`,
		"escapes":        `{"DATA":{"R":{"ITEMS":[{"A":"\u0041\/\"q\"","B":"<b>&amp;</b>","C":"line\nbreak\ttab","D":"\u2028sep","E":"ünï©ødé","F":"\ud83d\ude00"}]}}}`,
		"escaped keys":   `{"DATA":{"R":{"ITEMS":[{"A\u0042":1,"<K>":2,"k\"q":3}]}}}`,
		"nested":         `{"DATA":{"R":{"ITEMS":[{"OBJ":{"z":1,"a":[1,"<x>",{"y":null,"b":true}]},"ARR":[ 3 , 2 ,1 ],"EMPTY":{},"NONE":[]}]}}}`,
		"numbers":        `{"DATA":{"R":{"ITEMS":[{"A":-0.5e+10,"B":12345678901234567890,"C":0,"D":1E3,"T":true,"F":false}]}}}`,
		"whitespace":     "\n\t{ \"DATA\" : { \"R\" : { \"ITEMS\" : [ { \"ID\" : 1 , \"N\" : \"a b\" } , null , { } ] } } }\r\n",
		"bom and dates":  "\xEF\xBB\xBF" + `{"DATA":{"R":{"ITEMS":[{"MODIFIED":new Date(1589230156000),"S":"new Date(5)"}]}}}`,
		"single object":  `{"DATA":{"R":{"ITEMS":{"ID":1}}}}`,
		"null items":     `{"DATA":{"R":{"ITEMS":null,"RETVAL":"ok"}}}`,
		"no items":       `{"DATA":{"R":{"RETVAL":5,"SUCCESSRESPONSE":"done"}}}`,
		"empty items":    `{"DATA":{"R":{"ITEMS":[]}}}`,
		"only nulls":     `{"DATA":{"R":{"ITEMS":[null,null]}}}`,
		"rule in case":   `{"DATA":{"r":{"ITEMS":[{"ID":1}]}}}`,
		"only other key": `{"DATA":{"OTHER":{"ITEMS":[{"ID":1}]}}}`,
		"null data":      `{"DATA":null}`,
		"null rule":      `{"DATA":{"R":null}}`,
		"null body":      `null`,
		"zero code":      `{"DATA":{"R":{"ITEMS":[{"ID":1}]}},"ErrorCode":0,"ErrorMessage":"informational"}`,
		"info message":   `{"DATA":{"R":{"ITEMS":[{"ID":1}],"ERRORCODE":"0","ERRORMESSAGE":"fine"}}}`,
		"valid summary":  `{"DATA":{"R":{"ITEMS":[{"ID":1}],"VALIDATIONSUMMARY":{"IsValid":true}}}}`,
		"escaped rule":   `{"DATA":{"\u0052":{"ITEMS":[{"ID":1}]}}}`,
		"escaped DATA":   `{"DAT\u0041":{"R":{"ITEMS":[{"ID":1}]}},"Error\u0043ode":"0"}`,
		"one key twice":  `{"DATA":{"O":{"ITEMS":[{"ID":1}]},"\u004f":{"ITEMS":[{"ID":2}]}}}`,
		"two keys":       `{"DATA":{"O":{"ITEMS":[{"ID":1}]},"\u0050":{"ITEMS":[{"ID":2}]}}}`,
		// Failures: the same *Error either way.
		"top-level error": `{"ErrorCode":500,"ErrorMessage":"token expired"}`,
		"rule error":      `{"DATA":{"R":{"ITEMS":[],"ERRORCODE":"101","ERRORMESSAGE":"PHONE is required"}}}`,
		"invalid summary": `{"DATA":{"R":{"VALIDATIONSUMMARY":{"IsValid":false}}}}`,
		"row not object":  `{"DATA":{"R":{"ITEMS":[1]}}}`,
		"items a string":  `{"DATA":{"R":{"ITEMS":"x"}}}`,
		"data an array":   `{"DATA":[1]}`,
		"rule missing":    `{"DATA":{"A":{},"B":{}}}`,
		"no data":         `{"X":1}`,
		"not json":        `<html>Server Error</html>`,
		"truncated":       `{"DATA":{"R":{"ITEMS":[{"ID":1}`,
		"empty":           ``,
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) { rawMatchesDecoded(t, "R", []byte(body)) })
	}
}

// FuzzDecodeEnvelopeRaw: for any rule name and reply, the raw reading
// gives what decoding and encoding the rows gave, or the same error.
func FuzzDecodeEnvelopeRaw(f *testing.F) {
	for _, s := range []string{
		`{"DATA":{"R":{"ITEMS":[{"ID":1,"NAME":"Ann"}],"TOTALCOUNT":2,"ERRORCODE":null}}}`,
		`{"DATA":{"\u0052":{"ITEMS":[{"ID":1}]}}}`,
		`{"DATA":{"O":{"ITEMS":[{"ID":1}]},"\u004f":{"ITEMS":[{"ID":2}]}}}`,
		`{"DAT\u0041":{"r":{"ITEMS":[]}},"Error\u0043ode":0}`,
		`{"DATA":{"R":{"ITEMS":[{"A\u0042":1,"<K>":2}]}},"ErrorCode":"5"}`,
		`{"DATA":{"R":{"ITEMS":[{"OBJ":{"z":1},"S":"\u2028<&>"}],"VALIDATIONSUMMARY":{"IsValid":true}}}}`,
		"\xef\xbb\xbf{\"DATA\":{\"R\":{\"ITEMS\":[{\"D\":new Date(5)}]}}}",
	} {
		f.Add("R", []byte(s))
	}
	f.Fuzz(func(t *testing.T, rule string, body []byte) { rawMatchesDecoded(t, rule, body) })
}

func rawMatchesDecoded(t *testing.T, rule string, body []byte) {
	t.Helper()
	want, werr := decodeEnvelope(rule, body)
	got, gerr := decodeEnvelopeRaw(rule, body)
	if werr != nil || gerr != nil {
		if !reflect.DeepEqual(werr, gerr) {
			t.Fatalf("%q: errors differ:\n got %#v\nwant %#v", body, gerr, werr)
		}
		return
	}
	var wantItems []byte
	if want.Items != nil {
		wantItems, _ = json.Marshal(want.Items)
	} else {
		wantItems = []byte("null")
	}
	gotItems, _ := json.Marshal(got.RawItems)
	if !bytes.Equal(gotItems, wantItems) {
		t.Errorf("%q: items:\n got %s\nwant %s", body, gotItems, wantItems)
	}
	if got.Items != nil {
		t.Errorf("%q: Items = %v, want nil beside RawItems", body, got.Items)
	}
	if got.Total != want.Total || got.totalSet != want.totalSet || got.Rule != want.Rule {
		t.Errorf("%q: total/rule = %d %v %q, want %d %v %q", body, got.Total, got.totalSet, got.Rule, want.Total, want.totalSet, want.Rule)
	}
	if !reflect.DeepEqual(got.Outputs, want.Outputs) {
		t.Errorf("%q: outputs = %#v, want %#v", body, got.Outputs, want.Outputs)
	}
}

// The fast path really is taken for a clean reply (not the fallback).
func TestRawEnvelopeTakesFastPath(t *testing.T) {
	if _, ok := rawEnvelope("R", []byte(`{"DATA":{"R":{"ITEMS":[{"B":"x","A":1}]}}}`)); !ok {
		t.Fatal("a clean reply fell back to decodeEnvelope")
	}
	if _, ok := rawEnvelope("R", []byte(`{"DATA":{"R":{"ERRORCODE":"1","ERRORMESSAGE":"no"}}}`)); ok {
		t.Fatal("a rule error was taken as a success")
	}
}

func benchBody(rows int) []byte {
	var sb strings.Builder
	sb.WriteString(`{"DATA":{"R":{"ITEMS":[`)
	for i := 0; i < rows; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"ID":%d,"NAME":"Party %d","PHONE":"+1415555%04d","EMAIL":"p%d@example.org","TYPE":"PERSON","STATUS":"Active","MODIFIED":1589230156000}`, i, i, i, i)
	}
	sb.WriteString(`],"TOTALCOUNT":"100","ERRORCODE":null,"ERRORMESSAGE":null}}}`)
	return []byte(sb.String())
}

// BenchmarkRuleRows: what the proxy did (decode rows, encode them again)
// against handing them on raw, for a 1-row and a 100-row reply.
func BenchmarkRuleRows(b *testing.B) {
	for _, rows := range []int{1, 100} {
		body := benchBody(rows)
		b.Run(fmt.Sprintf("rows=%d/decode+encode", rows), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				r, e := decodeEnvelope("R", body)
				if e != nil {
					b.Fatal(e)
				}
				if _, err := json.Marshal(r.Items); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("rows=%d/raw", rows), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if _, e := decodeEnvelopeRaw("R", body); e != nil {
					b.Fatal(e)
				}
			}
		})
	}
}
