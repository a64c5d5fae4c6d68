package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"dcmconnect/appbase"
)

// RuleRunner runs a rule with the system user's token (appbase.Client).
// The proxy hands rows to pages as they are, so it asks for them as JSON
// (Result.RawItems) rather than decoded.
type RuleRunner interface {
	ExecuteRaw(ctx context.Context, rule string, params map[string]string) (*appbase.Result, error)
}

// UserMapper finds the ServiceJourney user of a Genesys user, if mapped. Its
// calls return soon after ctx ends (ExecuteRule relies on it; the user map's
// lookups are in memory or wait for a fetch with ctx).
type UserMapper interface {
	// SJUser returns the mapped user as a JSON-ready value and whether there is one.
	SJUser(ctx context.Context, genesysUserID string) (any, bool)
}

// UserLinker is a UserMapper that can say whether a user is mapped without
// building the ServiceJourney user's value (ExecuteRule asks it per call).
type UserLinker interface {
	Linked(ctx context.Context, genesysUserID string) bool
}

// mapped reports whether users maps the Genesys user.
func mapped(ctx context.Context, users UserMapper, genesysUserID string) bool {
	if l, ok := users.(UserLinker); ok {
		return l.Linked(ctx, genesysUserID)
	}
	_, ok := users.SJUser(ctx, genesysUserID)
	return ok
}

// Caps on ExecuteRule's parameters: a page sends a handful of short values.
const (
	MaxRuleParams     = 32
	MaxRuleParamBytes = 4096
	maxRuleNameLen    = 128
)

// CoreMethods are WhoAmI and ExecuteRule. allowlist names the rules pages may
// run; anything else is refused before ServiceJourney is contacted. Only
// callers mapped to a ServiceJourney user, or supervisors, may run rules: the
// rules run as the system user and can return any customer's data.
func CoreMethods(rules RuleRunner, users UserMapper, allowlist []string, supervisors Supervisors) []Method {
	// Keyed by the ASCII upper-case name, valued by the allowlist's spelling.
	allowed := map[string]string{}
	for _, r := range allowlist {
		r = strings.TrimSpace(r)
		allowed[asciiUpper(r)] = r
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
		{Name: "ExecuteRule", Bounded: boundedByContext(rules), OwnDeadline: ownDeadline(rules, users), Handle: func(ctx context.Context, c *Call) (any, error) {
			if !supervisors.include(c.Caller) {
				if users == nil {
					return nil, &Error{Status: http.StatusForbidden, Type: TypeAgentNotMapped, Message: "your Genesys Cloud user is not linked to a ServiceJourney user, so it may not run ServiceJourney rules; ask a supervisor to map it"}
				}
				if !mapped(ctx, users, c.Caller.ID) {
					return nil, &Error{Status: http.StatusForbidden, Type: TypeAgentNotMapped, Message: "your Genesys Cloud user is not linked to a ServiceJourney user, so it may not run ServiceJourney rules; ask a supervisor to map it"}
				}
			}
			asked, err := c.String("rule", true)
			if err != nil {
				return nil, err
			}
			rule, ok := "", false
			if len(asked) <= maxRuleNameLen && isASCII(asked) {
				rule, ok = allowed[asciiUpper(asked)]
			}
			if !ok {
				e := Forbidden(fmt.Sprintf("rule %q is not on servicejourney.ruleAllowlist", asked))
				e.Code = MsgRuleNotAllowed
				return nil, e
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
			res, err := rules.ExecuteRaw(ctx, rule, params)
			if appbase.IsRuleError(err) {
				// The rule ran and refused its input: the caller's to fix.
				return nil, BadRequest(fmt.Sprintf("rule %s refused its parameters: %s", rule, ruleMessage(err)))
			}
			if err != nil {
				return nil, httpError(err, fromServiceJourney)
			}
			return ruleAnswer(res)

		}},
	}
}

// boundedByContext: ExecuteRule returns with its ctx when the rule runner
// is the appbase client, whose waits all honour ctx (its net/http requests
// are made with it, the shared login's wait and the retry backoff select on
// it), and the user map does too (UserMapper's contract). Any other
// RuleRunner keeps the goroutine that is abandoned at the deadline.
func boundedByContext(rules RuleRunner) bool {
	_, ok := rules.(*appbase.Client)
	return ok
}

// ownDeadline: ExecuteRule ends its waits by a deadline handed down as a
// value (Method.OwnDeadline) when the rule runner is the appbase client
// (each attempt's context is made at the earlier of its timeout and that
// deadline; the login wait and read retries' backoff are bounded by it) and
// the user map is ours or none (the one wait of a Store's lookup is a
// loadonce wait, which is bounded by it). Any other UserMapper is only
// known to return with its ctx ending.
func ownDeadline(rules RuleRunner, users UserMapper) bool {
	if !boundedByContext(rules) {
		return false
	}
	switch users.(type) {
	case nil, StoreMapper:
		return true
	}
	return false
}

// ruleAnswer is ExecuteRule's answer body, {"d":{"items","outputs","rule",
// "total"}} as json.Marshal writes that map (keys sorted), with the rows
// copied as the appbase client handed them on (already as json.Marshal
// writes them).
func ruleAnswer(res *appbase.Result) (any, error) {
	outputs, err := outputsJSON(res.Outputs)
	if err != nil {
		return nil, &Error{Status: http.StatusInternalServerError, Message: "the rule's outputs could not be encoded", Err: err}
	}
	items := []byte(res.RawItems)
	if items == nil {
		items = []byte("null")
	}
	b := make([]byte, 0, len(items)+len(outputs)+len(res.Rule)+64)
	b = append(b, `{"d":{"items":`...)
	b = append(b, items...)
	b = append(b, `,"outputs":`...)
	b = append(b, outputs...)
	b = append(b, `,"rule":`...)
	b = appendMarshalString(b, res.Rule)
	b = append(b, `,"total":`...)
	b = strconv.AppendInt(b, int64(res.Total), 10)
	return encodedResult(append(b, "}}"...)), nil
}

// ruleMessage is the rule's own ERRORMESSAGE (what the caller sent wrong).
func ruleMessage(err error) string {
	var e *appbase.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "invalid input"
}

// asciiUpper folds a-z only: Unicode case folding would let "ſ" (long s) or
// "K" (Kelvin) stand for "S" and "K".
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// ruleParams flattens JSON parameter values to the strings AppBase takes,
// within MaxRuleParams and MaxRuleParamBytes.
func ruleParams(raw map[string]json.RawMessage) (map[string]string, error) {
	if len(raw) > MaxRuleParams {
		return nil, BadRequest(fmt.Sprintf("parameters: %d given, at most %d (MaxRuleParams) allowed", len(raw), MaxRuleParams))
	}
	out := make(map[string]string, len(raw))
	for k, v := range raw {
		if len(k) > maxRuleNameLen {
			return nil, BadRequest(fmt.Sprintf("parameters: a name is %d bytes long, at most %d allowed", len(k), maxRuleNameLen))
		}
		if len(v) > MaxRuleParamBytes {
			return nil, BadRequest(fmt.Sprintf("parameters.%s is %d bytes, at most %d (MaxRuleParamBytes) allowed", k, len(v), MaxRuleParamBytes))
		}
		if s, ok := plainString(v); ok {
			out[k] = s
			continue
		}
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
