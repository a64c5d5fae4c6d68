package appbase

import (
	"context"
	"fmt"
	"strings"
)

// FindParties runs FINDPARTIES with the non-empty fields of q (PHONE in
// E.164, EMAIL, PARTYID); at least one is required.
func (c *Client) FindParties(ctx context.Context, q PartyQuery) ([]Party, error) {
	params := nonEmpty(map[string]string{"PHONE": q.Phone, "EMAIL": q.Email, "PARTYID": q.PartyID})
	if len(params) == 0 {
		return nil, fmt.Errorf("appbase: FindParties: PartyQuery is empty; set Phone (E.164), Email or PartyID")
	}
	res, err := c.Query(ctx, c.RuleName(OpFindParties), params)
	if err != nil {
		return nil, err
	}
	out := make([]Party, 0, len(res.Items))
	for _, r := range res.Items {
		out = append(out, Party{ID: r.String("ID"), Name: r.String("NAME"), Phone: r.String("PHONE"), Email: r.String("EMAIL")})
	}
	return out, nil
}

// FindCases runs FINDCASES with the non-empty fields of q (PARTYID, CASEID);
// at least one is required.
func (c *Client) FindCases(ctx context.Context, q CaseQuery) ([]Case, error) {
	params := nonEmpty(map[string]string{"PARTYID": q.PartyID, "CASEID": q.CaseID})
	if len(params) == 0 {
		return nil, fmt.Errorf("appbase: FindCases: CaseQuery is empty; set PartyID or CaseID")
	}
	res, err := c.Query(ctx, c.RuleName(OpFindCases), params)
	if err != nil {
		return nil, err
	}
	out := make([]Case, 0, len(res.Items))
	for _, r := range res.Items {
		out = append(out, Case{ID: r.String("ID"), CaseID: r.String("CASEID"), Summary: r.String("SUMMARY"), State: r.String("STATE")})
	}
	return out, nil
}

// nonEmpty drops blank inputs: AppBase rules read a missing input as null,
// which is what "not given" means.
func nonEmpty(m map[string]string) map[string]string {
	for k, v := range m {
		v = strings.TrimSpace(v)
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}
