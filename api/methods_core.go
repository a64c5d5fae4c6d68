package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dcmconnect/appbase"
)

// RuleRunner runs a rule with the system user's token (appbase.Client).
type RuleRunner interface {
	Execute(ctx context.Context, rule string, params map[string]string) (*appbase.Result, error)
}

// UserMapper finds the ServiceJourney user of a Genesys user, if mapped.
type UserMapper interface {
	// SJUser returns the mapped user as a JSON-ready value and whether there is one.
	SJUser(ctx context.Context, genesysUserID string) (any, bool)
}

// CoreMethods are WhoAmI and ExecuteRule. allowlist names the rules pages may
// run; anything else is refused before ServiceJourney is contacted.
func CoreMethods(rules RuleRunner, users UserMapper, allowlist []string) []Method {
	allowed := map[string]bool{}
	for _, r := range allowlist {
		allowed[strings.ToUpper(strings.TrimSpace(r))] = true
	}
	return []Method{
		{Name: "WhoAmI", ReadOnly: true, Handle: func(ctx context.Context, c *Call) (any, error) {
			out := map[string]any{"genesys": map[string]any{
				"id": c.Caller.ID, "name": c.Caller.Name, "email": c.Caller.Email, "orgId": c.Caller.OrgID,
			}}
			if users != nil {
				if sj, ok := users.SJUser(ctx, c.Caller.ID); ok {
					out["serviceJourney"] = sj
				}
			}
			return out, nil
		}},
		{Name: "ExecuteRule", Handle: func(ctx context.Context, c *Call) (any, error) {
			rule, err := c.String("rule", true)
			if err != nil {
				return nil, err
			}
			if !allowed[strings.ToUpper(rule)] {
				return nil, Forbidden(fmt.Sprintf("rule %q is not on servicejourney.ruleAllowlist", rule))
			}
			var raw map[string]json.RawMessage
			if err := c.Decode("parameters", &raw, false); err != nil {
				return nil, err
			}
			params, err := ruleParams(raw)
			if err != nil {
				return nil, err
			}
			if rules == nil {
				return nil, &Error{Status: 503, Message: "ServiceJourney is not configured"}
			}
			res, err := rules.Execute(ctx, rule, params)
			if err != nil {
				return nil, httpError(err, fromServiceJourney)
			}
			return map[string]any{"rule": res.Rule, "items": res.Items, "total": res.Total, "outputs": res.Outputs}, nil
		}},
	}
}

// ruleParams flattens JSON parameter values to the strings AppBase takes.
func ruleParams(raw map[string]json.RawMessage) (map[string]string, error) {
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err == nil {
			out[k] = s
			continue
		}
		var n json.Number
		if err := json.Unmarshal(v, &n); err == nil {
			out[k] = n.String()
			continue
		}
		var b bool
		if err := json.Unmarshal(v, &b); err == nil {
			out[k] = strconv.FormatBool(b)
			continue
		}
		if string(v) == "null" {
			out[k] = ""
			continue
		}
		return nil, BadRequest(fmt.Sprintf("parameters.%s must be a string, number or boolean", k))
	}
	return out, nil
}
