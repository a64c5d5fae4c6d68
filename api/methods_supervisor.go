package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dcmconnect/supervisor"
)

// SupervisorMethods are GetAgentStatus, GetSyncStatus and
// GetInteractionSummary over svc, for supervisors only (403 for everyone
// else). The user map methods (GetUserMap, SetUserMapping) are UserMapMethods.
func SupervisorMethods(svc *supervisor.Service, who Supervisors) []Method {
	allow := SupervisorOnly(who)
	return []Method{
		{Name: "GetAgentStatus", ReadOnly: true, Allow: allow, Handle: func(ctx context.Context, c *Call) (any, error) {
			return getAgentStatus(ctx, svc, c)
		}},
		{Name: "GetSyncStatus", ReadOnly: true, Allow: allow, Handle: func(ctx context.Context, _ *Call) (any, error) {
			st, err := svc.SyncStatus(ctx)
			if err != nil {
				return nil, httpError(err, fromHealth)
			}
			return st, nil
		}},
		{Name: "GetInteractionSummary", ReadOnly: true, Allow: allow, Handle: func(ctx context.Context, c *Call) (any, error) {
			offset, err := intParam(c, "utcOffsetMinutes")
			if err != nil {
				return nil, err
			}
			sum, err := svc.InteractionSummary(ctx, offset)
			if err != nil {
				return nil, httpError(err, fromGenesys)
			}
			sum.Stale, sum.StaleCode, sum.StaleParams = staleText(sum.StaleErr)
			return sum, nil
		}},
	}
}

func getAgentStatus(ctx context.Context, svc *supervisor.Service, c *Call) (any, error) {
	var q supervisor.AgentQuery
	var err error
	if q.Search, err = c.String("search", false); err != nil {
		return nil, err
	}
	if q.Presence, err = c.String("presence", false); err != nil {
		return nil, err
	}
	if q.RoutingStatus, err = c.String("routingStatus", false); err != nil {
		return nil, err
	}
	if q.Mapping, err = c.String("mapping", false); err != nil {
		return nil, err
	}
	if q.Sort, err = c.String("sort", false); err != nil {
		return nil, err
	}
	if q.Page, err = intParam(c, "page"); err != nil {
		return nil, err
	}
	if q.PageSize, err = intParam(c, "pageSize"); err != nil {
		return nil, err
	}
	p, err := svc.AgentStatus(ctx, q)
	if err != nil {
		return nil, httpError(err, fromGenesys)
	}
	p.Stale, p.StaleCode, p.StaleParams = staleText(p.StaleErr)
	return p, nil
}

// intParam reads an optional integer given as a JSON number or, from a GET
// query, as digits.
func intParam(c *Call, name string) (int, error) {
	raw, ok := c.lookup(name)
	if !ok || string(raw) == "null" {
		return 0, nil
	}
	var n int
	if err := json.Unmarshal(raw, &n); err == nil {
		return n, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		if strings.TrimSpace(s) == "" {
			return 0, nil
		}
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			return n, nil
		}
	}
	return 0, BadRequest(fmt.Sprintf("parameter %q must be a whole number", name))
}

// staleText is a failed refresh as the English line and as the message code
// the page translates.
func staleText(err error) (string, string, map[string]string) {
	if err == nil {
		return "", "", nil
	}
	e := httpError(err, fromGenesys)
	code, params := e.message()
	return e.Message, code, params
}
