package appbase

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// rulePath is where the BDS data service's rules are, below Options.URL.
const rulePath = "/BDS.WebService/DataServiceRest.svc/"

// ruleBase is the rule service's address, parsed once by New, so that a
// call does not parse its whole URL (token included) again.
type ruleBase struct {
	raw    string  // {url}/BDS.WebService/DataServiceRest.svc/
	parsed url.URL // raw, parsed; Host without an empty port, as NewRequest has it
	// plainDomain: the domain needs no escaping in a path.
	plainDomain bool
}

func newRuleBase(base, domain string) (ruleBase, error) {
	b := ruleBase{raw: base + rulePath, plainDomain: url.PathEscape(domain) == domain}
	u, err := url.Parse(b.raw)
	if err != nil {
		return b, err
	}
	u.Host = strings.TrimSuffix(u.Host, ":") // net/http's removeEmptyPort
	b.parsed = *u
	return b, nil
}

// ruleRequest is the request of one rule call: cmd (post.json, get.json),
// the rule, the token and, for reads, the encoded query.
//
// It is the request http.NewRequestWithContext makes of
// {url}/BDS.WebService/DataServiceRest.svc/{cmd}/{domain}/{rule}?t={token}&{query}
// with the domain and rule path-escaped and the token query-escaped. When
// neither the domain nor the rule needs escaping, which is what AppBase
// codes are, the URL is the parsed base with the plain tail appended:
// parsing it again would find the same (a plain tail unescapes to itself
// and escapes to itself, so it adds to Path and RawPath alike), and the
// query is taken as it is (no '#' can be in it: both parts are escaped).
// Anything else goes through the parse of the whole string.
func (c *Client) ruleRequest(ctx context.Context, cmd, rule, tok, query string, body []byte) (*http.Request, error) {
	method := http.MethodGet
	var rd io.Reader
	if body != nil {
		method, rd = http.MethodPost, bytes.NewReader(body)
	}
	escTok := url.QueryEscape(tok)
	escRule := url.PathEscape(rule)
	if !c.base.plainDomain || escRule != rule {
		u := c.base.raw + cmd + "/" + c.domain + "/" + escRule + "?t=" + escTok
		if query != "" {
			u += "&" + query
		}
		return http.NewRequestWithContext(ctx, method, u, rd)
	}
	// NewRequestWithContext is the only way to give a request its context
	// without copying the request; the empty URL it parses costs nothing and
	// is replaced by the one built here.
	req, err := http.NewRequestWithContext(ctx, method, "", rd)
	if err != nil {
		return nil, err
	}
	// Path and query in one string (one allocation), then cut apart.
	var pq string
	if query == "" {
		pq = c.base.parsed.Path + cmd + "/" + c.domain + "/" + rule + "?t=" + escTok
	} else {
		pq = c.base.parsed.Path + cmd + "/" + c.domain + "/" + rule + "?t=" + escTok + "&" + query
	}
	n := len(c.base.parsed.Path) + len(cmd) + len(c.domain) + len(rule) + 2
	*req.URL = c.base.parsed
	req.URL.Path, req.URL.RawQuery = pq[:n], pq[n+1:]
	if c.base.parsed.RawPath != "" {
		req.URL.RawPath = c.base.parsed.RawPath + pq[len(c.base.parsed.Path):n]
	}
	req.Host = req.URL.Host
	return req, nil
}
