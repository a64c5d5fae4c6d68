package appbase

import (
	"context"
	"fmt"
	"strings"
)

// The operations of the rule contract (README, "Rule contract"). Which rule
// each runs depends on the profile (profile.go); Options.Rules and
// Options.Mappings map single operations elsewhere.
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

// RuleName is the rule code run for op (any case): the profile's rule,
// unless Options.Rules or Options.Mappings name another.
func (c *Client) RuleName(op string) string {
	if ct, ok := c.Contract(op); ok {
		return ct.Rule
	}
	return c.opts.IntegrationCode + "_" + strings.ToUpper(strings.TrimSpace(op))
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

// RunOp runs operation op with contract-named inputs (PHONE, PARTYID, ...):
// they are renamed to the rule's inputs, the constants added, and the rows
// of the result renamed to contract columns. Reads go through Query, writes
// through Execute. With the default rule prefix, a rule AppBase does not
// know is tried once more under the old connector's long name
// (ROOT_GENESYS_INTEGRATION_<OP>), and the name that answered is kept.
func (c *Client) RunOp(ctx context.Context, op string, params map[string]string) (*Result, error) {
	ct, ok := c.Contract(op)
	if !ok {
		return nil, fmt.Errorf("appbase: unknown operation %q; use one of %s", op, strings.Join(Operations(), ", "))
	}
	res, err := c.runContract(ctx, ct, params)
	if err != nil && IsRuleNotFound(err) && c.legacyCandidate(ct) {
		old := ct
		old.Rule = LegacyIntegrationCode + "_" + ct.Op
		if res2, err2 := c.runContract(ctx, old, params); err2 == nil || !IsRuleNotFound(err2) {
			c.legacy.Store(ct.Op, old.Rule)
			c.log.Info("appbase: using the old connector rule name", "op", ct.Op, "rule", old.Rule)
			return res2, err2
		}
	}
	return res, err
}

// legacyCandidate: only the default prefix's custom rules have an old name.
func (c *Client) legacyCandidate(ct Contract) bool {
	_, mapped := c.opts.Rules[ct.Op]
	if m, ok := c.opts.Mappings[ct.Op]; ok && strings.TrimSpace(m.Rule) != "" {
		mapped = true
	}
	return !mapped && !ct.Standard && c.opts.IntegrationCode == DefaultIntegrationCode &&
		strings.EqualFold(ct.Rule, DefaultIntegrationCode+"_"+ct.Op)
}

func (c *Client) runContract(ctx context.Context, ct Contract, params map[string]string) (*Result, error) {
	in := ct.ruleInputs(params)
	var res *Result
	var err error
	if writeOps[ct.Op] {
		res, err = c.Execute(ctx, ct.Rule, in)
	} else {
		res, err = c.Query(ctx, ct.Rule, in)
	}
	if err != nil {
		return nil, err
	}
	rows, rerr := ct.contractRows(res)
	if rerr != nil {
		return nil, &Error{Kind: KindDecode, Rule: ct.Rule, Status: 200, Message: rerr.Error()}
	}
	out := *res
	out.Items = rows
	if !out.totalSet {
		out.Total = len(rows)
	}
	return &out, nil
}

var writeOps = map[string]bool{OpSetUserMapping: true, OpUpsertInteraction: true, OpSetSyncState: true}

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
// Name is any part of the party's name, in any case (the agent's search).
type PartyQuery struct {
	Phone, Email, PartyID, Name string
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
