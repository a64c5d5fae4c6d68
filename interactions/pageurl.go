package interactions

import (
	"net/url"
	"strings"
)

// Page URL parameters. Party_Id and Case_Id are the names Ecx.Web detail
// pages take (facts/appbase-api.md §6); Phone, Email and ConversationId
// prefill the "create new" page, whose solution-specific form reads them.
const (
	ParamPartyID        = "Party_Id"
	ParamCaseID         = "Case_Id"
	ParamPhone          = "Phone"
	ParamEmail          = "Email"
	ParamConversationID = "ConversationId"
)

// pageURL is <SJ>/Ecx.Web/do/<page>?d=<domain>&appid=<appId>&<params...>.
// d and appid come first, as in every Ecx.Web link; no token is ever added
// (the agent's own ServiceJourney session authorises the page).
func (s *Service) pageURL(page string, params ...string) string {
	var b strings.Builder
	b.WriteString(s.opts.SJURL)
	b.WriteString("/Ecx.Web/do/")
	b.WriteString(url.PathEscape(page))
	b.WriteString("?d=")
	b.WriteString(url.QueryEscape(s.opts.Domain))
	b.WriteString("&appid=")
	b.WriteString(url.QueryEscape(s.opts.Pages.AppID))
	for i := 0; i+1 < len(params); i += 2 {
		if params[i+1] == "" {
			continue
		}
		b.WriteByte('&')
		b.WriteString(url.QueryEscape(params[i]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(params[i+1]))
	}
	return b.String()
}

func (s *Service) partyURL(id string) string { return s.pageURL(s.opts.Pages.Party, ParamPartyID, id) }
func (s *Service) caseURL(id string) string  { return s.pageURL(s.opts.Pages.Case, ParamCaseID, id) }

func (s *Service) createURL(conversationID, phone, email string) string {
	return s.pageURL(s.opts.Pages.NewCase, ParamPhone, phone, ParamEmail, email, ParamConversationID, conversationID)
}
