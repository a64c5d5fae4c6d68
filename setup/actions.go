package setup

import (
	"encoding/json"
	"strings"

	"dcmconnect/genesys"
)

// The data actions the installer publishes in the connector's
// custom-rest-actions integration. Each one POSTs the flow's inputs
// (${input.rawRequest}) to our action endpoint and maps the answer with a
// translation map, so a flow reads typed outputs (found, partyId, caseId...).
// Models: platformclientv2.Postactioninput, Actionconfig, Requestconfig,
// Responseconfig, Actioncontractinput.

// Action endpoint paths below the public URL; api mounts the same ones
// (a test in api holds them equal).
const (
	ActionsPath         = "/dcm-connect-service/actions/v1"
	PartyLookupPath     = ActionsPath + "/parties/lookup"
	CaseLookupPath      = ActionsPath + "/cases/lookup"
	PopTargetPath       = ActionsPath + "/conversations/pop"
	actionTimeoutSecond = 10 // the action's timeout in Genesys; our budget (actions.budget) is shorter
)

// ActionSpec is one data action: its name after the prefix, and its body.
type ActionSpec struct {
	Name string
	// TestInput is what `dcmconnect check` runs the published action with.
	TestInput map[string]string
	Config    genesys.ActionConfig
	Contract  genesys.ActionContract
}

type prop struct {
	name, typ, desc string
}

func schema(title string, props []prop) json.RawMessage {
	ps := map[string]any{}
	for _, p := range props {
		ps[p.name] = map[string]string{"type": p.typ, "description": p.desc}
	}
	raw, _ := json.Marshal(map[string]any{
		"$schema": "http://json-schema.org/draft-04/schema#", "title": title, "type": "object",
		"properties": ps, "additionalProperties": true,
	})
	return raw
}

func actionSpec(name, url string, in, out []prop, test map[string]string) ActionSpec {
	tm, defs, tmpl := map[string]string{}, map[string]string{}, []string{}
	for _, p := range out {
		tm[p.name] = "$." + p.name
		switch p.typ {
		case "boolean":
			defs[p.name] = "false"
		case "integer":
			defs[p.name] = "0"
		default:
			defs[p.name] = `""`
		}
		tmpl = append(tmpl, `"`+p.name+`": ${`+p.name+`}`)
	}
	sp := ActionSpec{Name: name, TestInput: test, Config: genesys.ActionConfig{
		TimeoutSeconds: actionTimeoutSecond,
		Request: &genesys.ActionRequestConfig{RequestURLTemplate: url, RequestType: "POST",
			RequestTemplate: "${input.rawRequest}",
			Headers:         map[string]string{"Content-Type": "application/json", "Accept": "application/json"}},
		Response: &genesys.ActionResponseConfig{TranslationMap: tm, TranslationMapDefaults: defs,
			SuccessTemplate: "{" + strings.Join(tmpl, ", ") + "}"},
	}}
	sp.Contract.Input.InputSchema = schema(name+" input", in)
	sp.Contract.Output.SuccessSchema = schema(name+" output", out)
	return sp
}

// ActionSpecs are the connector's data actions for a server at publicURL.
func ActionSpecs(publicURL string) []ActionSpec {
	base := strings.TrimRight(publicURL, "/")
	return []ActionSpec{
		actionSpec("Find party", base+PartyLookupPath,
			[]prop{
				{"phone", "string", "Caller number: Call.Ani (tel:+1...) or a national number"},
				{"email", "string", "E-mail address"},
				{"partyId", "string", "ServiceJourney party id"},
			},
			[]prop{
				{"found", "boolean", "Exactly one party matched"},
				{"matches", "integer", "How many parties matched"},
				{"partyId", "string", "The party's id"},
				{"name", "string", "The party's name"},
				{"openCases", "integer", "Open cases of the party"},
				{"caseId", "string", "Most recent open case: record id (set as CaseId)"},
				{"caseNumber", "string", "Most recent open case: case number"},
			},
			map[string]string{"phone": "+10000000000"}),
		actionSpec("Find cases", base+CaseLookupPath,
			[]prop{
				{"partyId", "string", "ServiceJourney party id"},
				{"caseNumber", "string", "Case number (or record id)"},
			},
			[]prop{
				{"found", "boolean", "At least one case matched"},
				{"count", "integer", "How many cases matched"},
				{"openCases", "integer", "How many of them are open"},
				{"caseId", "string", "Most recent open case (else most recent): record id"},
				{"caseNumber", "string", "Its case number"},
				{"state", "string", "Its state"},
				{"summary", "string", "Its summary"},
			},
			map[string]string{"caseNumber": "CHECK-0000"}),
		actionSpec("Find pop target", base+PopTargetPath,
			[]prop{
				{"conversationId", "string", "Call.ConversationId"},
			},
			[]prop{
				{"conversationFound", "boolean", "Genesys knows the conversation"},
				{"found", "boolean", "Exactly one record matched: the agent page opens it"},
				{"outcome", "string", "one, many (the agent picks) or none"},
				{"matches", "integer", "How many records matched"},
				{"keyKind", "string", "What found them: caseId, partyId, phone or email"},
				{"kind", "string", "party or case"},
				{"recordId", "string", "The record's ServiceJourney id"},
				{"caseNumber", "string", "The case number (kind case)"},
				{"name", "string", "The party's name (kind party)"},
				{"url", "string", "The page the agent is shown"},
			},
			map[string]string{"conversationId": "00000000-0000-4000-8000-00000000d0c0"}),
	}
}
