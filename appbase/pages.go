package appbase

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
)

// Screen-pop pages are URL templates (config servicejourney.pages.*): a
// path under the ServiceJourney URL, or a full URL, with {placeholders}.
// The defaults are the stock DCM detail pages, opened in embedded mode as
// pages for Genesys are (docs/upstreams.md). A value without '/', '?' or
// '{' is an old-style Ecx.Web page code; callers build those as before.
const (
	DefaultPartyPage = "Ecx.Web/do/root_UTIL_CaseManagement?app=ExternalPartyDetailRuntime&group=FOM&usePageConfig=1&ExternalParty_Id={partyId}&EmbeddedMode=1&d={domain}"
	DefaultCasePage  = "Ecx.Web/do/root_UTIL_CaseManagement?app=CaseDetailRuntime&group=FOM&usePageConfig=1&Case_Id={caseId}&EmbeddedMode=1&d={domain}"
	// DefaultNewCasePage opens the case-management application itself: no
	// public source names a stock "new case" page, so the agent starts the
	// case there; the prefill parameters are for a solution's own page.
	DefaultNewCasePage = "Ecx.Web?appid={appId}&d={domain}&EmbeddedMode=1&Phone={phone}&Email={email}&ConversationId={conversationId}"
)

// PagePlaceholders are the names a page template may use.
var PagePlaceholders = []string{"domain", "appId", "partyId", "caseId", "caseNumber", "phone", "email", "conversationId"}

var placeholderRE = regexp.MustCompile(`\{([^{}]*)\}`)

// IsPageCode reports whether page is an old-style page code, not a template.
func IsPageCode(page string) bool { return !strings.ContainsAny(page, "/?{=&") }

// CheckPageTemplate names what is wrong with a template: an unknown
// placeholder, a leftover install placeholder (@NAME@), or a token in it.
func CheckPageTemplate(tmpl string) error {
	if IsPageCode(tmpl) {
		return nil
	}
	for _, m := range placeholderRE.FindAllStringSubmatch(tmpl, -1) {
		if !slices.Contains(PagePlaceholders, m[1]) {
			return fmt.Errorf("unknown placeholder {%s}; use %s", m[1], "{"+strings.Join(PagePlaceholders, "}, {")+"}")
		}
	}
	if m := regexp.MustCompile(`@[A-Z_]+@`).FindString(tmpl); m != "" {
		return fmt.Errorf("leftover install placeholder %s; replace it with the value or a {placeholder}", m)
	}
	if _, q, ok := strings.Cut(tmpl, "?"); ok {
		for _, kv := range strings.Split(q, "&") {
			if k, _, _ := strings.Cut(kv, "="); strings.EqualFold(k, "t") {
				return fmt.Errorf("carries t=: a token never goes into a page URL (the agent's own ServiceJourney session authorises the page)")
			}
		}
	}
	return nil
}

// ExpandPage builds the URL of template tmpl under baseURL (no trailing
// slash) with vars. Every value is escaped for where it stands (path or
// query); a query parameter whose whole value is an empty placeholder is
// left out, so a page never gets Phone= for a caller without a number.
func ExpandPage(baseURL, tmpl string, vars map[string]string) string {
	abs := tmpl
	if !strings.HasPrefix(tmpl, "http://") && !strings.HasPrefix(tmpl, "https://") {
		abs = baseURL + "/" + strings.TrimLeft(tmpl, "/")
	}
	path, query, hasQuery := strings.Cut(abs, "?")
	path = placeholderRE.ReplaceAllStringFunc(path, func(m string) string { return url.PathEscape(vars[m[1:len(m)-1]]) })
	if !hasQuery {
		return path
	}
	var parts []string
	for _, kv := range strings.Split(query, "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if m := placeholderRE.FindStringSubmatch(v); m != nil && m[0] == v && vars[m[1]] == "" {
			continue
		}
		sub := func(s string) string {
			return placeholderRE.ReplaceAllStringFunc(s, func(m string) string { return url.QueryEscape(vars[m[1:len(m)-1]]) })
		}
		parts = append(parts, sub(k)+"="+sub(v))
	}
	if len(parts) == 0 {
		return path
	}
	return path + "?" + strings.Join(parts, "&")
}
