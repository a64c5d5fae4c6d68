package appbase

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// parsedRuleRequest is how a rule call's request was built before
// ruleRequest: the whole URL as a string, parsed by NewRequestWithContext.
// ruleRequest must make the very same request.
func parsedRuleRequest(c *Client, ctx context.Context, cmd, rule, tok, query string, body []byte) (*http.Request, error) {
	var sb strings.Builder
	sb.WriteString(c.base.raw)
	sb.WriteString(cmd)
	sb.WriteByte('/')
	sb.WriteString(c.domain)
	sb.WriteByte('/')
	sb.WriteString(url.PathEscape(rule))
	sb.WriteString("?t=")
	sb.WriteString(url.QueryEscape(tok))
	if query != "" {
		sb.WriteByte('&')
		sb.WriteString(query)
	}
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method, rd = http.MethodPost, bytes.NewReader(body)
	}
	return http.NewRequestWithContext(ctx, method, sb.String(), rd)
}

// sameRuleRequest fails t unless ruleRequest and the parsed build agree on
// everything the transport reads: method, URL (every field, its string and
// request URI), Host, body, length and GetBody. It returns false, checking
// nothing, when New refuses the URL or domain.
func sameRuleRequest(t *testing.T, baseURL, domain, cmd, rule, tok, query string, body []byte) bool {
	t.Helper()
	c, err := New(Options{URL: baseURL, Domain: domain, User: "u", Password: "p"})
	if err != nil {
		return false
	}
	sameClientRuleRequest(t, c, cmd, rule, tok, query, body)
	return true
}

// sameClientRuleRequest is sameRuleRequest with the client made: a table
// reuses one client per base URL and domain (ruleRequest only reads it), as
// New, its metrics and contracts cost far more under -race than the
// requests compared.
func sameClientRuleRequest(t *testing.T, c *Client, cmd, rule, tok, query string, body []byte) {
	t.Helper()
	baseURL, domain := c.URL(), c.Domain()
	ctx := context.Background()
	got, gerr := c.ruleRequest(ctx, cmd, rule, tok, query, body)
	want, werr := parsedRuleRequest(c, ctx, cmd, rule, tok, query, body)
	if (gerr == nil) != (werr == nil) {
		t.Fatalf("%s %s %q: error %v, parsed build %v", baseURL, domain, rule, gerr, werr)
	}
	if werr != nil {
		return
	}
	if !reflect.DeepEqual(*got.URL, *want.URL) {
		t.Errorf("%s %s %q tok %q query %q:\n got URL %#v\nwant URL %#v", baseURL, domain, rule, tok, query, *got.URL, *want.URL)
	}
	if got.URL.String() != want.URL.String() || got.URL.RequestURI() != want.URL.RequestURI() {
		t.Errorf("URL %s (%s), want %s (%s)", got.URL, got.URL.RequestURI(), want.URL, want.URL.RequestURI())
	}
	if got.Method != want.Method || got.Host != want.Host || got.ContentLength != want.ContentLength ||
		(got.GetBody == nil) != (want.GetBody == nil) || got.Context() != ctx {
		t.Errorf("request %s %s len %d, want %s %s len %d", got.Method, got.Host, got.ContentLength, want.Method, want.Host, want.ContentLength)
	}
	if body != nil {
		gb, _ := io.ReadAll(got.Body)
		if !bytes.Equal(gb, body) {
			t.Errorf("body %q, want %q", gb, body)
		}
	}
}

func TestRuleRequestMatchesTheParsedURL(t *testing.T) {
	bases := []string{"http://127.0.0.1:8080", "https://sj.example.com", "https://SJ.Example.com:443",
		"http://[::1]:9000", "https://sj.example.com/prefix", "https://sj.example.com/a%20b/c", "https://sj.example.com/p%2Fq", "https://sj.example.com/%41b", "http://h:"}
	domains := []string{"DCM_Production.tenant1", "dom", "dömäne", "a;b", "a,b", "a+b$c", "a&b=c@d:e", "<x>", `"q"`}
	rules := []string{"ROOT_FINDPARTIES", "dcm_findparties", "R-1.x~y", "a;b", "a,b", "a+b", "ä", "a:b", "a@b", "a\tb", "a=b&c"}
	toks := []string{"tok", "a+b/c=", "a b&c#d%e", ""}
	checked := 0
	for _, b := range bases {
		for _, d := range domains {
			c, err := New(Options{URL: b, Domain: d, User: "u", Password: "p"})
			if err != nil {
				continue // its cases stay unchecked, and the count below fails
			}
			for _, r := range rules {
				for _, tok := range toks {
					sameClientRuleRequest(t, c, "post.json", r, tok, "", []byte(`{"Parameters":[]}`))
					sameClientRuleRequest(t, c, "get.json", r, tok, url.Values{"PHONE": {"+1 415#?&"}, "x": {"y"}}.Encode(), nil)
					checked++
				}
			}
		}
	}
	if want := len(bases) * len(domains) * len(rules) * len(toks); checked != want {
		t.Errorf("%d of %d cases checked; New refused a URL or domain of the table", checked, want)
	}
}

// A URL with a fragment is refused: the rule path would have gone into it.
func TestRuleBaseURLWithFragmentRefused(t *testing.T) {
	_, err := New(Options{URL: "https://sj.example.com/x#f", Domain: "d", User: "u", Password: "p"})
	if err == nil || !strings.Contains(err.Error(), "fragment") {
		t.Fatalf("err = %v, want the fragment refused", err)
	}
}

func FuzzRuleRequest(f *testing.F) {
	f.Add("https://sj.example.com", "DCM_Production.tenant1", "ROOT_FINDPARTIES", "tok", "PHONE", "+14155550101", false)
	f.Add("http://[::1]:80/p%2Fq", "dö", "a;b", "a b", "k", "v#", true)
	f.Fuzz(func(t *testing.T, base, domain, rule, tok, k, v string, read bool) {
		rule = strings.TrimSpace(rule) // as run does, which refuses the rest
		if rule == "" || strings.ContainsAny(rule, "/?#% ") {
			t.Skip()
		}
		ok := false
		if read {
			ok = sameRuleRequest(t, base, domain, "get.json", rule, tok, url.Values{k: {v}}.Encode(), nil)
		} else {
			ok = sameRuleRequest(t, base, domain, "post.json", rule, tok, "", []byte(v))
		}
		if !ok {
			t.Skip() // options New refuses
		}
	})
}
