package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzBearerToken: any Authorization header either yields one token68 word
// (so "Bearer Bearer x" never becomes "x" or "Bearer x") or a 401.
func FuzzBearerToken(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer abc==", "Bearer Bearer x", "Bearer  a b", "Basic abc", "Bearer", "Bearer \x00", " Bearer\tabc ", "BEARER a.b-c_d~e+f/g="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, err := bearerToken(h)
		if err != nil {
			if e, ok := err.(*Error); !ok || e.Status != http.StatusUnauthorized {
				t.Fatalf("%q: error %v is not a 401", h, err)
			}
			return
		}
		if tok == "" || !token68(tok) || len(tok) > maxBearerLen || strings.EqualFold(tok, "bearer") && strings.Count(h, " ") > 1 {
			t.Fatalf("%q: accepted token %q", h, tok)
		}
		if again, err := bearerToken("Bearer " + tok); err != nil || again != tok {
			t.Fatalf("%q: token %q does not round-trip: %q %v", h, tok, again, err)
		}
	})
}

// FuzzDCMServicesParams sends any body through the whole DCMServices
// decoding (body, parameter lookup, string and rule parameters): the answer
// is always the ASMX JSON shape and never a 5xx.
func FuzzDCMServicesParams(f *testing.F) {
	for _, s := range []string{`{"value":"x"}`, `{"VALUE":3}`, `{"value":null}`, `{`, `[]`, `"x"`, `{"value":"x","parameters":{"A":1,"B":true,"C":null,"D":[1]}}`, `{"parameters":{"A":{"x":1}}}`, "\xff", ``} {
		f.Add(s)
	}
	s, _ := newTestServer(f, func(o *Options) {
		o.Methods = []Method{{Name: "Decode", Handle: func(_ context.Context, c *Call) (any, error) {
			v, err := c.String("value", false)
			if err != nil {
				return nil, err
			}
			var raw map[string]json.RawMessage
			if err := c.Decode("parameters", &raw, false); err != nil {
				return nil, err
			}
			p, err := ruleParams(raw)
			return map[string]any{"value": v, "parameters": p}, err
		}}}
	})
	h := s.Handler()
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", asmxPath+"/Decode", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer good")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%q: %d %s", body, w.Code, w.Body.String())
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%q: answer is not JSON: %s", body, w.Body.String())
		}
		if _, ok := out["d"]; ok != (w.Code == 200) {
			t.Fatalf("%q: %d with body %s", body, w.Code, w.Body.String())
		}
		if w.Code != 200 && out["Message"] == "" {
			t.Fatalf("%q: %d without a message", body, w.Code)
		}
	})
}

// FuzzPlainString: whenever the fast path takes a literal, json.Unmarshal
// reads the same string from it.
func FuzzPlainString(f *testing.F) {
	for _, s := range []string{`"x"`, `""`, `"a\"b"`, `"a\\b"`, `"\u00e9"`, `"é"`, "\"\xff\"", `"<&>"`, `"a` + "\t" + `b"`, `"`, `x`, `"a"b"`, `"\u2028"`, `3`, `null`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := plainString(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil || got != want {
			t.Fatalf("%q: fast path %q, json.Unmarshal %q (%v)", raw, got, want, err)
		}
	})
}
