package config

import (
	"regexp"
	"slices"
)

// The stock DCM pop targets (the same as appbase.DefaultPartyPage, ...;
// config does not import the client, and the appbase tests check these).
const (
	DefaultPartyPage   = "Ecx.Web/do/root_UTIL_CaseManagement?app=ExternalPartyDetailRuntime&group=FOM&usePageConfig=1&ExternalParty_Id={partyId}&EmbeddedMode=1&d={domain}"
	DefaultCasePage    = "Ecx.Web/do/root_UTIL_CaseManagement?app=CaseDetailRuntime&group=FOM&usePageConfig=1&Case_Id={caseId}&EmbeddedMode=1&d={domain}"
	DefaultNewCasePage = "Ecx.Web?appid={appId}&d={domain}&EmbeddedMode=1&Phone={phone}&Email={email}&ConversationId={conversationId}"
)

var (
	pagePlaceholders = []string{"domain", "appId", "partyId", "caseId", "caseNumber", "phone", "email", "conversationId"}
	pageVarRE        = regexp.MustCompile(`\{([^{}]*)\}`)
)

// unknownPagePlaceholder is the first {name} of a page template that is not
// a known placeholder, "" if none.
func unknownPagePlaceholder(tmpl string) string {
	for _, m := range pageVarRE.FindAllStringSubmatch(tmpl, -1) {
		if !slices.Contains(pagePlaceholders, m[1]) {
			return m[1]
		}
	}
	return ""
}
