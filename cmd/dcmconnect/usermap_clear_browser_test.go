package main

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dcmconnect/config"
)

// Issue 18: clearing an explicit link takes it from the Genesys user, so the
// server refuses it unless confirmed (409 clearLink naming who loses it) and
// the page asks first: Cancel keeps the link, the confirmation clears it.
func TestSupervisorClearLinkAsksFirst(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Hour }})
	waitUserMap(t, d)
	sam := d.genesys.UserToken(demoSamID)
	code, out := callService(t, d, "SetUserMapping", sam, `{"serviceJourneyUserId":"101","genesysUserId":""}`)
	params, _ := out["Params"].(map[string]any)
	if code != http.StatusConflict || out["Code"] != "clearLink" || params["genesysUserIds"] != demoAnnID || params["genesysUsers"] != "Ann Agent" {
		t.Fatalf("unconfirmed clear = %d %v, want 409 clearLink naming Ann", code, out)
	}
	if u := sjUser(d, "101"); u.PureCloudUserID != demoAnnID {
		t.Fatalf("a refused clear wrote PureCloud_UserId %q", u.PureCloudUserID)
	}

	b := openSupervisorPage(t, d, demoSamID, "en-us")
	row := `#usermap-table tr[data-sj="101"]`
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="explicit"]`))
	b.waitText(row, "Ann Agent")
	b.clickNow(row + " button.clear-link")
	b.waitText(row+" .clear-confirm", "Ann Agent loses the explicit link to Ann Agent")
	b.clickNow(row + " button.clear-no")
	b.waitFor(`!document.querySelector('#usermap-table tr[data-sj="101"] .clear-confirm') && !!document.querySelector('#usermap-table tr[data-sj="101"] button.clear-link')`, "cancelled")
	if u := sjUser(d, "101"); u.PureCloudUserID != demoAnnID {
		t.Fatalf("cancel cleared the link: %q", u.PureCloudUserID)
	}
	b.clickNow(row + " button.clear-link")
	b.clickNow(row + " button.clear-yes")
	b.waitText("#usermap-message", "The explicit link of Ann Agent is cleared")
	if u := sjUser(d, "101"); u.PureCloudUserID != "" {
		t.Fatalf("after the confirmed clear PureCloud_UserId = %q", u.PureCloudUserID)
	}
}

// The "To fix" card counts conflict groups (one row each) plus unmatched
// entries, as the server does (GetUserMap toFix), and matches the rows the
// table shows for them.
func TestSupervisorToFixCountsGroups(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Hour }})
	waitUserMap(t, d)
	code, out := callService(t, d, "GetUserMap", d.genesys.UserToken(demoSamID), `{}`)
	if code != http.StatusOK {
		t.Fatalf("GetUserMap = %d %v", code, out)
	}
	r := d.app.users.Report()
	if r.ConflictGroups >= r.Counts["conflict"] || r.ToFix != r.ConflictGroups+r.Counts["unmatched"] {
		t.Fatalf("demo map: %d conflict entries in %d groups, to fix %d", r.Counts["conflict"], r.ConflictGroups, r.ToFix)
	}
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	b.waitText("#sum-attention .n", strconv.Itoa(r.ToFix))
	b.waitText("#sum-attention .sub", fmt.Sprintf("Conflict groups: %d · unmatched: %d", r.ConflictGroups, r.Counts["unmatched"]))
	rows := evalJS[int](b, `document.querySelectorAll('#usermap-table tbody tr[data-status="conflict"], #usermap-table tbody tr[data-status="unmatched"]').length`)
	if got := b.text("#sum-attention .n"); got != strconv.Itoa(rows) {
		t.Errorf("the card says %s, the table shows %d rows to fix", got, rows)
	}
}
