package appbase

import (
	"context"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// FindParties searches parties by the non-empty fields of q (Phone in
// E.164, Email, PartyID, Name), whatever the profile; at least one is
// required.
//
// The standard party search strips non-digits from the stored number and
// matches the digits it is given as a substring, so an E.164 number finds
// nothing stored in national form (+14155550101 vs 4155550101). There the
// phone is sent as its digits first and, if that finds nothing, as the
// national significant number, which both spellings contain.
func (c *Client) FindParties(ctx context.Context, q PartyQuery) ([]Party, error) {
	params := nonEmpty(map[string]string{"PHONE": q.Phone, "EMAIL": q.Email, "PARTYID": q.PartyID, "NAME": q.Name})
	if len(params) == 0 {
		return nil, fmt.Errorf("appbase: FindParties: PartyQuery is empty; set Phone (E.164), Email, PartyID or Name")
	}
	phones := []string{params["PHONE"]}
	if ct, _ := c.Contract(OpFindParties); ct.Standard && params["PHONE"] != "" {
		phones = PhoneSearchForms(params["PHONE"])
	}
	var res *Result
	for _, ph := range phones {
		if ph != "" {
			params["PHONE"] = ph
		}
		var err error
		if res, err = c.RunOp(ctx, OpFindParties, params); err != nil {
			return nil, err
		}
		if len(res.Items) > 0 {
			break
		}
	}
	out := make([]Party, 0, len(res.Items))
	for _, r := range res.Items {
		out = append(out, Party{ID: r.String("ID"), Name: r.String("NAME"), Phone: r.String("PHONE"), Email: r.String("EMAIL")})
	}
	return out, nil
}

// PhoneSearchForms are the values a digit-substring phone search is tried
// with, most exact first: the number's digits, then (for a number that
// parses) its national significant number, e.g. "+14155550101" gives
// "14155550101" and "4155550101".
func PhoneSearchForms(phone string) []string {
	digits := onlyDigits(phone)
	out := []string{digits}
	if strings.HasPrefix(strings.TrimSpace(phone), "+") {
		if n, err := phonenumbers.Parse(phone, ""); err == nil {
			if nsn := phonenumbers.GetNationalSignificantNumber(n); nsn != "" && nsn != digits {
				out = append(out, nsn)
			}
		}
	}
	if digits == "" {
		return []string{strings.TrimSpace(phone)}
	}
	return out
}

func onlyDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FindCases searches cases by the non-empty fields of q (PartyID, CaseID),
// whatever the profile; at least one is required.
func (c *Client) FindCases(ctx context.Context, q CaseQuery) ([]Case, error) {
	params := nonEmpty(map[string]string{"PARTYID": q.PartyID, "CASEID": q.CaseID})
	if len(params) == 0 {
		return nil, fmt.Errorf("appbase: FindCases: CaseQuery is empty; set PartyID or CaseID")
	}
	res, err := c.RunOp(ctx, OpFindCases, params)
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

// SystemUserIsCaseWorker reports whether the system user has an active Case
// Worker record. The stock party search returns nothing, without an error,
// for a caller who has none, so `check` asks the stock case-worker search
// (CurrentUser=1). ok is false when the party search is not the stock one
// (then the question does not arise).
func (c *Client) SystemUserIsCaseWorker(ctx context.Context) (isWorker, ok bool, err error) {
	if ct, _ := c.Contract(OpFindParties); !ct.Standard {
		return false, false, nil
	}
	res, err := c.Query(ctx, StandardCaseWorkerSearch, map[string]string{"CurrentUser": "1", "FIRST": "0", "LIMIT": "1"})
	if err != nil {
		return false, true, err
	}
	return len(res.Items) > 0, true, nil
}
