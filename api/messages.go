package api

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"dcmconnect/interactions"
)

// Message codes: what a page shows for a failure. The server sends the code
// and its parameters; each page has the code's sentence in its four
// languages (assets/i18n/shared.json, key "msg.<code>"), so no English from
// the server reaches a German page. Error.Message stays the technical line,
// for the log, `check` and the page's "administrator details".
const (
	MsgBadRequest        = "badRequest"
	MsgSignInAgain       = "signInAgain"
	MsgForbidden         = "forbidden"
	MsgSupervisorsOnly   = "supervisorsOnly"
	MsgWizardPermissions = "wizardPermissions"
	MsgOtherOrg          = "otherOrg"
	MsgNotFound          = "notFound"
	MsgUserNotInMap      = "userNotInMap"
	MsgNotAllowed        = "methodNotAllowed"
	MsgTooLarge          = "tooLarge"
	MsgTooManyRequests   = "tooManyRequests"
	MsgInternal          = "internal"
	MsgUpstreamError     = "upstreamError"   // {system}
	MsgUpstreamDown      = "upstreamDown"    // {system}
	MsgUpstreamTimeout   = "upstreamTimeout" // {system}
	MsgAgentNotMapped    = "agentNotMapped"
	MsgUserMapNotReady   = "userMapNotReady"
	MsgNotParticipant    = "notParticipant"
	MsgConversationGone  = "conversationGone"
	MsgInvalidPhone      = "invalidPhoneNumber"
	MsgDialNotAllowed    = "dialNotAllowed" // {permission}
	MsgRuleNotAllowed    = "ruleNotAllowed"
	MsgTakeOver          = "takeOver"  // {genesysUsers}, {serviceJourneyUsers}, genesysUserIds
	MsgClearLink         = "clearLink" // as takeOver, for clearing an explicit link
	// The agent's search (interactions.CodeSearch*).
	MsgSearchKind     = interactions.CodeSearchKind
	MsgSearchEmpty    = interactions.CodeSearchEmpty
	MsgSearchTooShort = interactions.CodeSearchTooShort // {min}
	MsgSearchTooLong  = interactions.CodeSearchTooLong  // {max}
	MsgSearchNotPhone = interactions.CodeSearchNotPhone
	MsgSearchNotEmail = interactions.CodeSearchNotEmail
)

// messageTexts is each code's English sentence: the page's fallback and
// the contract the translations follow ({name} marks a parameter).
var messageTexts = map[string]string{
	MsgBadRequest:        "The connector could not use this request.",
	MsgSignInAgain:       "Your Genesys Cloud session has ended. Sign in again.",
	MsgForbidden:         "You are not allowed to do this.",
	MsgSupervisorsOnly:   "Only supervisors may open this. Ask your administrator for a supervisor role or group.",
	MsgWizardPermissions: "Your Genesys Cloud role lacks permissions the setup needs.",
	MsgOtherOrg:          "You are signed in to another Genesys Cloud organization than the one this connector serves.",
	MsgNotFound:          "What was asked for no longer exists.",
	MsgUserNotInMap:      "This user is not in the user map. Refresh the page.",
	MsgNotAllowed:        "The connector could not use this request.",
	MsgTooLarge:          "The request is too large.",
	MsgTooManyRequests:   "Too many attempts. Wait a moment and try again.",
	MsgInternal:          "Something went wrong in the connector. Try again; if it keeps happening, give your administrator the details below.",
	MsgUpstreamError:     "{system} answered with an error.",
	MsgUpstreamDown:      "{system} is not reachable right now. Try again in a minute.",
	MsgUpstreamTimeout:   "{system} did not answer in time. Try again in a minute.",
	MsgAgentNotMapped:    "Your Genesys Cloud user is not linked to a ServiceJourney user. Ask a supervisor to link it.",
	MsgUserMapNotReady:   "The connector is still loading its user list. Try again in a minute.",
	MsgNotParticipant:    "This conversation is not yours: you are not one of its participants.",
	MsgConversationGone:  "This conversation no longer exists in Genesys Cloud.",
	MsgInvalidPhone:      "This is not a phone number that can be dialled.",
	MsgDialNotAllowed:    "Your Genesys Cloud role may not place calls (it needs {permission}).",
	MsgRuleNotAllowed:    "This ServiceJourney action is not allowed for the connector.",
	MsgTakeOver:          "{genesysUsers} would lose the link to {serviceJourneyUsers}. Confirm to take it over.",
	MsgClearLink:         "{genesysUsers} would lose the explicit link to {serviceJourneyUsers}. Confirm to clear it.",
	MsgSearchKind:        "Choose what to search by: name, phone, e-mail or case number.",
	MsgSearchEmpty:       "Type what to search for.",
	MsgSearchTooShort:    "Type at least {min} letters of the name.",
	MsgSearchTooLong:     "The search is too long: at most {max} characters.",
	MsgSearchNotPhone:    "This is not a phone number. Type it as the customer gave it, or as +14155550101.",
	MsgSearchNotEmail:    "This is not an e-mail address (name@example.com).",
}

// MessageCodes lists every code the server sends, for the pages' text test.
func MessageCodes() []string { return slices.Sorted(maps.Keys(messageTexts)) }

// MessageText is a code's English sentence with its parameters filled in.
func MessageText(code string, params map[string]string) string {
	s, ok := messageTexts[code]
	if !ok {
		return code
	}
	for k, v := range params {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	return s
}

// typeCodes gives the states the pages explain (ExceptionType) their code.
var typeCodes = map[string]string{
	TypeAgentNotMapped:        MsgAgentNotMapped,
	TypeUserMapNotReady:       MsgUserMapNotReady,
	TypeNotParticipant:        MsgNotParticipant,
	TypeConversationGone:      MsgConversationGone,
	TypeServiceJourneyDown:    MsgUpstreamDown,
	TypeServiceJourneyError:   MsgUpstreamError,
	TypeGenesysDown:           MsgUpstreamDown,
	TypeGenesysError:          MsgUpstreamError,
	TypeInvalidPhoneNumber:    MsgInvalidPhone,
	TypeDialPermissionMissing: MsgDialNotAllowed,
}

// statusMessages gives an error without a code or a known type the code its
// HTTP status implies.
var statusMessages = map[int]string{
	http.StatusBadRequest:            MsgBadRequest,
	http.StatusUnsupportedMediaType:  MsgBadRequest,
	http.StatusUnauthorized:          MsgSignInAgain,
	http.StatusForbidden:             MsgForbidden,
	http.StatusNotFound:              MsgNotFound,
	http.StatusMethodNotAllowed:      MsgNotAllowed,
	http.StatusRequestEntityTooLarge: MsgTooLarge,
	http.StatusTooManyRequests:       MsgTooManyRequests,
	http.StatusBadGateway:            MsgUpstreamError,
	http.StatusServiceUnavailable:    MsgUpstreamDown,
	http.StatusGatewayTimeout:        MsgUpstreamTimeout,
}

// message is the code and parameters the page gets for e: its own, else
// the one its ExceptionType names, else the one its status implies.
func (e *Error) message() (string, map[string]string) {
	code, params := e.Code, e.Params
	if code == "" {
		code = typeCodes[e.Type]
	}
	if code == "" {
		code = statusMessages[e.Status]
	}
	if code == "" {
		code = MsgInternal
	}
	switch code {
	case MsgUpstreamError, MsgUpstreamDown, MsgUpstreamTimeout:
		if params["system"] == "" {
			params = withParam(params, "system", e.system())
		}
	case MsgDialNotAllowed:
		if params["permission"] == "" {
			params = withParam(params, "permission", "conversation:conference:add")
		}
	}
	return code, params
}

// system names the upstream of a 5xx for its message ({system}).
func (e *Error) system() string {
	switch e.Type {
	case TypeServiceJourneyDown, TypeServiceJourneyError:
		return "ServiceJourney"
	case TypeGenesysDown, TypeGenesysError:
		return "Genesys Cloud"
	}
	return "ServiceJourney / Genesys Cloud"
}

func withParam(params map[string]string, k, v string) map[string]string {
	out := maps.Clone(params)
	if out == nil {
		out = map[string]string{}
	}
	out[k] = v
	return out
}
