package appbase

import (
	"strings"
)

// The operations of the rule contract (DESIGN §4, README). Each runs the rule
// <IntegrationCode>_<OPERATION> unless Options.Rules maps it elsewhere.
const (
	OpGetUsers          = "GETUSERS"
	OpSetUserMapping    = "SETUSERMAPPING"
	OpFindParties       = "FINDPARTIES"
	OpFindCases         = "FINDCASES"
	OpUpsertInteraction = "UPSERTINTERACTION"
	OpGetSyncState      = "GETSYNCSTATE"
	OpSetSyncState      = "SETSYNCSTATE"
)

// Operations lists the contract's operations in documentation order.
func Operations() []string {
	return []string{OpGetUsers, OpSetUserMapping, OpFindParties, OpFindCases, OpUpsertInteraction, OpGetSyncState, OpSetSyncState}
}

// RuleName is the rule code run for op (any case): the override from
// Options.Rules, else <IntegrationCode>_<OP>.
func (c *Client) RuleName(op string) string {
	op = strings.ToUpper(strings.TrimSpace(op))
	if r, ok := c.opts.Rules[op]; ok {
		return r
	}
	return c.opts.IntegrationCode + "_" + op
}

// opFor is the contract operation a rule code belongs to, "" if none.
func (c *Client) opFor(rule string) string {
	for _, op := range Operations() {
		if strings.EqualFold(c.RuleName(op), rule) {
			return op
		}
	}
	return ""
}

// User is a GETUSERS row: ID, CODE, LOGIN, NAME, EMAIL, STATUS, PURECLOUD_USERID.
type User struct {
	ID, Code, Login, Name, Email, Status string
	// PureCloudUserID is the explicit Genesys Cloud user id mapping, if set.
	PureCloudUserID string
}

// Party is a FINDPARTIES row: ID, NAME, PHONE, EMAIL.
type Party struct {
	ID, Name, Phone, Email string
}

// PartyQuery are FINDPARTIES inputs; give at least one. Phone is E.164.
type PartyQuery struct {
	Phone, Email, PartyID string
}

// Case is a FINDCASES row: ID, CASEID (the case number), SUMMARY, STATE.
type Case struct {
	ID, CaseID, Summary, State string
}

// CaseQuery are FINDCASES inputs; give at least one.
type CaseQuery struct {
	PartyID, CaseID string
}

// UpsertResult is the UPSERTINTERACTION row: the record id, and whether this
// call created it (false: an existing record for the conversation was updated).
type UpsertResult struct {
	ID      string
	Created bool
}

// firstRow is the first ITEMS row, or the output parameters when the rule
// answers through outputs instead of a cursor (both are common in AppBase).
func firstRow(res *Result) (Row, bool) {
	if len(res.Items) > 0 {
		return res.Items[0], true
	}
	if len(res.Outputs) > 0 {
		return Row(res.Outputs), true
	}
	return nil, false
}
