package interactions

import (
	"net/url"
	"strings"

	"dcmconnect/appbase"
)

// Page URL parameters of old-style page codes (servicejourney.pages.* given
// as a bare code): Party_Id and Case_Id as the old connector's detail pages
// took them; Phone, Email and ConversationId prefill the "create new" page.
// Templates (the default: the stock DCM pages) name their own parameters.
const (
	ParamPartyID        = "Party_Id"
	ParamCaseID         = "Case_Id"
	ParamPhone          = "Phone"
	ParamEmail          = "Email"
	ParamConversationID = "ConversationId"
)

// page builds the URL of a pop target: a template is expanded with vars
// (every value escaped), a page code becomes
// <SJ>/Ecx.Web/do/<page>?d=<domain>&appid=<appId>&<legacy params...>.
// No token is ever added (the agent's own ServiceJourney session authorises the page).
func (s *Service) page(page string, vars map[string]string, legacy ...string) string {
	if !appbase.IsPageCode(page) {
		vars["domain"], vars["appId"] = s.opts.Domain, s.opts.Pages.AppID
		return appbase.ExpandPage(s.opts.SJURL, page, vars)
	}
	var b strings.Builder
	b.WriteString(s.opts.SJURL)
	b.WriteString("/Ecx.Web/do/")
	b.WriteString(url.PathEscape(page))
	b.WriteString("?d=")
	b.WriteString(url.QueryEscape(s.opts.Domain))
	b.WriteString("&appid=")
	b.WriteString(url.QueryEscape(s.opts.Pages.AppID))
	for i := 0; i+1 < len(legacy); i += 2 {
		if legacy[i+1] == "" {
			continue
		}
		b.WriteByte('&')
		b.WriteString(url.QueryEscape(legacy[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(legacy[i+1]))
	}
	return b.String()
}

func (s *Service) partyURL(id string) string {
	return s.page(s.opts.Pages.Party, map[string]string{"partyId": id}, ParamPartyID, id)
}

func (s *Service) caseURL(id, number string) string {
	return s.page(s.opts.Pages.Case, map[string]string{"caseId": id, "caseNumber": number}, ParamCaseID, id)
}

func (s *Service) createURL(conversationID, phone, email string) string {
	return s.page(s.opts.Pages.NewCase, map[string]string{"phone": phone, "email": email, "conversationId": conversationID},
		ParamPhone, phone, ParamEmail, email, ParamConversationID, conversationID)
}
