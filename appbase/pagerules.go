package appbase

import (
	"context"
	"fmt"
	"net/url"
	"strings"
)

// The stock rules that compute a record's detail page: they return
// PAGECODE and the page's fixed parameters in the cursor CUR_PARAMS
// (NAME, VALUE rows), honouring a page configured per case or party type.
const (
	StandardCasePageRule  = "root_DCM_getCaseDetailPage"
	StandardPartyPageRule = "root_DCM_getEPDetailPage"
)

// ResolvePage asks the stock page rule for the detail page of a case
// (kind "case") or party ("party") and builds its URL, embedded and in the
// client's domain. ok is false when the solution has no detail page for it
// (the rule points at its error notice): callers then use their template.
func (c *Client) ResolvePage(ctx context.Context, kind, id string) (pageURL string, ok bool, err error) {
	rule, key := StandardCasePageRule, "Case_Id"
	switch kind {
	case "case":
	case "party":
		rule, key = StandardPartyPageRule, "ExternalParty_Id"
	default:
		return "", false, fmt.Errorf("appbase: ResolvePage: kind %q; use \"case\" or \"party\"", kind)
	}
	res, err := c.Query(ctx, rule, map[string]string{key: id})
	if err != nil {
		return "", false, err
	}
	code := strings.TrimSpace(valueString(res.Outputs["PAGECODE"]))
	rows, rerr := toRows(res.Outputs["CUR_PARAMS"])
	if rerr != nil {
		return "", false, &Error{Kind: KindDecode, Rule: rule, Status: 200, Message: "CUR_PARAMS: " + rerr.Error()}
	}
	q := url.Values{}
	for _, r := range rows {
		if n := r.String("NAME"); n != "" {
			q.Set(n, r.String("VALUE"))
		}
	}
	if code == "" || strings.EqualFold(q.Get("app"), "ErrorNotice") {
		return "", false, nil
	}
	q.Set(key, id)
	q.Set("EmbeddedMode", "1")
	q.Set("d", c.opts.Domain)
	return c.opts.URL + "/Ecx.Web/do/" + url.PathEscape(code) + "?" + q.Encode(), true, nil
}
