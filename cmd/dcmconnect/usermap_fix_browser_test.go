package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"dcmconnect/config"
	"dcmconnect/usermap"
)

// SetUserMapping itself refuses to take a link from someone unless the
// request names them; the refusal names them by code and parameters.
func TestSetUserMappingRefusesATakeOverUnlessConfirmed(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	waitUserMap(t, d)
	sam := d.genesys.UserToken(demoSamID)
	// Carla takes ServiceJourney user 101, which is Ann's.
	body := `{"serviceJourneyUserId":"101","genesysUserId":"` + demoCarlaID + `"}`
	code, out := callService(t, d, "SetUserMapping", sam, body)
	if code != http.StatusConflict || out["Code"] != "takeOver" {
		t.Fatalf("unconfirmed take-over = %d %v, want 409 takeOver", code, out)
	}
	params, _ := out["Params"].(map[string]any)
	if params["genesysUsers"] != "Ann Agent" || params["serviceJourneyUsers"] != "Ann Agent" || params["genesysUserIds"] != demoAnnID {
		t.Errorf("refusal params %v, want Ann named (name and id)", params)
	}
	if u := sjUser(d, "101"); u.PureCloudUserID != demoAnnID {
		t.Fatalf("a refused take-over wrote PureCloud_UserId %q", u.PureCloudUserID)
	}
	// Confirming someone else does not do.
	code, out = callService(t, d, "SetUserMapping", sam, `{"serviceJourneyUserId":"101","genesysUserId":"`+demoCarlaID+`","confirmTakeOver":["`+demoBenID+`"]}`)
	if code != http.StatusConflict {
		t.Fatalf("take-over confirmed for the wrong user = %d %v", code, out)
	}
	code, out = callService(t, d, "SetUserMapping", sam, `{"serviceJourneyUserId":"101","genesysUserId":"`+demoCarlaID+`","confirmTakeOver":"yes"}`)
	if code != http.StatusBadRequest {
		t.Fatalf("confirmTakeOver as a string = %d %v, want 400 naming the field", code, out)
	}
	code, out = callService(t, d, "SetUserMapping", sam, `{"serviceJourneyUserId":"101","genesysUserId":"`+demoCarlaID+`","confirmTakeOver":["`+demoAnnID+`"]}`)
	if code != http.StatusOK {
		t.Fatalf("confirmed take-over = %d %v", code, out)
	}
	if u := sjUser(d, "101"); u.PureCloudUserID != demoCarlaID {
		t.Errorf("after the confirmed take-over PureCloud_UserId = %q, want Carla's id", u.PureCloudUserID)
	}
}

// The page's own check can be out of date (another supervisor linked the
// user meanwhile): the server's refusal is then what names who loses the
// link, and the page's second confirmation sends it. Afterwards the Agents
// tab shows the new link at once.
func TestSupervisorFixRefusedByTheServerAsksAgainAndAgentsFollow(t *testing.T) {
	t.Parallel()
	// No refresh during the test: only the fix itself can update the Agents tab.
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Hour }})
	waitUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	// The Agents tab is read once before the fix: Carla is unmatched there.
	runIn(b, chromedp.Click("#tab-agents"))
	carlaAgent := fmt.Sprintf(`#agents-table tr[data-id="%s"]`, demoCarlaID)
	b.waitText(carlaAgent+" .badge[data-status]", "unmatched")
	runIn(b, chromedp.Click("#tab-usermap"))

	row := fmt.Sprintf(`#usermap-table tr[data-genesys="%s"]`, demoCarlaID)
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="unmatched"]`))
	b.waitText(row, "Carla Newhire")
	runIn(b, chromedp.Click(row+" button.fix"))
	b.waitFor(`document.getElementById("fix-dialog").open`, "the dialog opens")
	runIn(b, chromedp.SendKeys("#fix-search", "Olga"))
	cand := `#fix-candidates button[data-id="106"]`
	runIn(b, chromedp.WaitVisible(cand))
	runIn(b, chromedp.Click(cand))
	b.waitText("#fix-summary", demoCarlaID)

	// Meanwhile Olga (106) is linked to Dan, behind the page's back.
	if err := d.app.users.SetExplicit(context.Background(), usermap.SJUsers{Client: d.app.ab}, "106", demoDanID); err != nil {
		t.Fatal(err)
	}
	runIn(b, chromedp.Click("#fix-ok"))
	b.waitText("#fix-takeover", "Dan Double would lose the link to Olga Orphan")
	b.waitText("#fix-ok", "Take over the link")
	if u := sjUser(d, "106"); u.PureCloudUserID != demoDanID {
		t.Fatalf("written before the second confirmation: PureCloud_UserId %q", u.PureCloudUserID)
	}
	runIn(b, chromedp.Click("#fix-ok"))
	b.waitText("#usermap-message", "Saved")
	if u := sjUser(d, "106"); u.PureCloudUserID != demoCarlaID {
		t.Errorf("after the second confirmation PureCloud_UserId = %q, want Carla's id", u.PureCloudUserID)
	}
	// The Agents tab agrees with the map without waiting for a refresh.
	runIn(b, chromedp.Click("#tab-agents"))
	b.waitText(carlaAgent+" .badge[data-status]", "explicit")
	b.waitText(carlaAgent, "Olga Orphan")
	b.waitText(fmt.Sprintf(`#agents-table tr[data-id="%s"] .badge[data-status]`, demoDanID), "conflict")
}

// Ignoring a ServiceJourney-only user is stored in ServiceJourney on both
// profiles (the connector's PURECLOUD_USERID field, the stock case worker's
// external id), so the next sync reads it back; undo clears it.
func TestIgnoreAServiceJourneyUserSurvivesASyncOnBothProfiles(t *testing.T) {
	t.Parallel()
	for _, profile := range []string{"standard", "connector"} {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.ServiceJourney.Profile = profile }})
			waitUserMap(t, d)
			sam := d.genesys.UserToken(demoSamID)
			status := func() usermap.Status {
				e, _ := d.app.users.Report().BySJID("106")
				return e.Status
			}
			sync := func() {
				t.Helper()
				if _, err := d.app.userSync.RunOnce(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			if code, out := callService(t, d, "IgnoreServiceJourneyUser", sam, `{"serviceJourneyUserId":"106"}`); code != 200 || out["d"].(map[string]any)["status"] != "ignored" {
				t.Fatalf("IgnoreServiceJourneyUser = %d %v", code, out)
			}
			if u := sjUser(d, "106"); u.PureCloudUserID != usermap.IgnoreValue("106") {
				t.Fatalf("stored mapping %q, want the ignore mark", u.PureCloudUserID)
			}
			sync()
			if st := status(); st != usermap.StatusIgnored {
				t.Fatalf("after a sync Olga is %s, want ignored", st)
			}
			// Ignoring Ann's user takes her link: refused until confirmed.
			if code, out := callService(t, d, "IgnoreServiceJourneyUser", sam, `{"serviceJourneyUserId":"101"}`); code != http.StatusConflict || out["Code"] != "takeOver" {
				t.Fatalf("ignoring a linked user = %d %v, want 409 takeOver", code, out)
			}
			if code, out := callService(t, d, "IgnoreServiceJourneyUser", sam, `{"serviceJourneyUserId":"106","ignore":false}`); code != 200 || out["d"].(map[string]any)["status"] != "unmatched" {
				t.Fatalf("undo = %d %v", code, out)
			}
			if u := sjUser(d, "106"); u.PureCloudUserID != "" {
				t.Fatalf("after undo the stored mapping is %q", u.PureCloudUserID)
			}
			sync()
			if st := status(); st != usermap.StatusUnmatched {
				t.Fatalf("after undo and a sync Olga is %s, want unmatched", st)
			}
		})
	}
}

// The page ignores a ServiceJourney-only user in one click: the row leaves
// the problems (the attention count drops), shows "ignored" with an undo,
// and the undo brings it back.
func TestSupervisorIgnoresAServiceJourneyOnlyUserAndUndoes(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	want := expectedUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "de-de")
	// "To fix" counts conflict groups and unmatched users (the server's toFix).
	attention := strconv.Itoa(want.ToFix)
	b.waitText("#sum-attention .n", attention)
	row := `#usermap-table tr[data-sj="106"]`
	b.waitText(row, "Olga Orphan")
	if n := evalJS[int](b, `document.querySelectorAll('#usermap-table tr[data-genesys]:not([data-group]) button.ignore').length`); n != 0 {
		t.Errorf("%d rows with a Genesys user offer Ignore; only ServiceJourney-only users may be ignored", n)
	}
	b.waitText(row+" button.ignore", "Ignorieren")
	runIn(b, chromedp.Click(row+" button.ignore"))
	b.waitText(row+" .badge[data-status]", "ignoriert")
	b.waitText("#usermap-message", "Olga Orphan wird ignoriert")
	b.waitText("#sum-attention .n", strconv.Itoa(want.ToFix-1))
	b.waitText(`#usermap-counts button[data-status="ignored"] .n`, "1")
	if u := sjUser(d, "106"); u.PureCloudUserID != usermap.IgnoreValue("106") {
		t.Fatalf("stored mapping %q, want the ignore mark", u.PureCloudUserID)
	}
	b.screenshot("supervisor-ignored")
	// Not a problem any more: the unmatched filter does not list it.
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="unmatched"]`))
	b.waitFor(`Array.from(document.querySelectorAll("#usermap-table tbody tr[data-status]")).every(r => r.dataset.status === "unmatched")`, "only unmatched rows")
	if n := evalJS[int](b, `document.querySelectorAll('#usermap-table tr[data-sj="106"]').length`); n != 0 {
		t.Error("the ignored user is still listed among the unmatched")
	}
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="ignored"]`))
	b.waitText(row+" button.unignore", "Nicht mehr ignorieren")
	runIn(b, chromedp.Click(row+" button.unignore"))
	b.waitText(row+" .badge[data-status]", "nicht zugeordnet")
	b.waitText("#sum-attention .n", attention)
	if u := sjUser(d, "106"); u.PureCloudUserID != "" {
		t.Fatalf("after undo the stored mapping is %q", u.PureCloudUserID)
	}
}

// tableRows is what the user map table lists: every entry, except that the
// users of one conflict (joined through the ids their entries name as
// related, when those are conflicts too) share one row. Each row is the ids
// of its users.
func tableRows(r *usermap.Report) [][]string {
	self := func(e usermap.Entry) string {
		if e.GenesysUser != nil {
			return "g:" + strings.ToLower(e.GenesysUser.ID)
		}
		return "s:" + strings.ToLower(e.SJUser.ID)
	}
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		if parent[x] != x {
			parent[x] = find(parent[x])
		}
		return parent[x]
	}
	for _, e := range r.Entries {
		if e.Status == usermap.StatusConflict {
			parent[self(e)] = self(e)
		}
	}
	for _, e := range r.Entries {
		if e.Status != usermap.StatusConflict {
			continue
		}
		var near []string
		for _, id := range e.RelatedGenesysIDs {
			near = append(near, "g:"+strings.ToLower(id))
		}
		for _, id := range e.RelatedSJIDs {
			near = append(near, "s:"+strings.ToLower(id))
		}
		for _, n := range near {
			if _, ok := parent[n]; ok {
				parent[find(n)] = find(self(e))
			}
		}
	}
	var rows [][]string
	at := map[string]int{}
	for _, e := range r.Entries {
		if e.Status != usermap.StatusConflict {
			rows = append(rows, []string{self(e)})
			continue
		}
		root := find(self(e))
		if i, ok := at[root]; ok {
			rows[i] = append(rows[i], self(e))
			continue
		}
		at[root] = len(rows)
		rows = append(rows, []string{self(e)})
	}
	return rows
}

// A conflict is one row: Dan's two ServiceJourney users with his e-mail sit
// with him, the reason and the fix speak for all three, and the fix (choose
// one of them) ends the conflict.
func TestSupervisorShowsOneRowPerConflictGroup(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	want := expectedUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="conflict"]`))
	row := `#usermap-table tr[data-group][data-genesys-ids~="` + demoDanID + `"]`
	b.waitText(row, "Daniel Double")
	conflictRows := len(tableRows(want)) - (len(want.Entries) - want.Counts[usermap.StatusConflict])
	if n := len(rowStatuses(b)); n != conflictRows || n >= want.Counts[usermap.StatusConflict] {
		t.Errorf("conflict filter shows %d rows for %d conflicting users, want %d (one per group)", n, want.Counts[usermap.StatusConflict], conflictRows)
	}
	if ids := evalJS[string](b, `document.querySelector('`+row+`').dataset.sjIds`); ids != "104 105" {
		t.Errorf("the group's ServiceJourney users = %q, want 104 105", ids)
	}
	if n := evalJS[int](b, `document.querySelectorAll('`+row+` button.fix').length`); n != 1 {
		t.Errorf("the group row has %d fix buttons, want 1", n)
	}
	b.waitText(row+" td:nth-child(4)", "3 users")
	b.screenshot("supervisor-conflict-group")
	runIn(b, chromedp.Click(row+" button.fix"))
	b.waitFor(`document.getElementById("fix-dialog").open`, "the dialog opens")
	b.waitText("#fix-choose", "ServiceJourney user")
	// The group's own users come first.
	if first := evalJS[[]string](b, `Array.from(document.querySelectorAll("#fix-candidates button")).slice(0, 2).map(b => b.dataset.id).sort()`); strings.Join(first, " ") != "104 105" {
		t.Errorf("first candidates %v, want the group's 104 and 105", first)
	}
	runIn(b, chromedp.Click(`#fix-candidates button[data-id="105"]`))
	runIn(b, chromedp.Click("#fix-ok"))
	b.waitText("#usermap-message", "Saved")
	if u := sjUser(d, "105"); u.PureCloudUserID != demoDanID {
		t.Fatalf("105 has PureCloud_UserId %q, want Dan's id", u.PureCloudUserID)
	}
	b.waitText(fmt.Sprintf(`#usermap-table tr[data-genesys="%s"][data-sj="105"] .badge`, demoDanID), "explicit")
	if n := evalJS[int](b, `document.querySelectorAll('#usermap-table tr[data-group]').length`); n != 0 {
		t.Errorf("%d conflict group rows remain after the fix", n)
	}
}

// A ServiceJourney user of a conflict can be ignored from the group's row:
// a test account that shares a real user's e-mail, say. The conflict ends.
func TestSupervisorIgnoresOneUserOfAConflictGroup(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	row := `#usermap-table tr[data-group][data-genesys-ids~="` + demoDanID + `"]`
	b.waitText(row, "Daniel Double")
	runIn(b, chromedp.Click(row+` li[data-id="105"] button.ignore`))
	b.waitText(`#usermap-table tr[data-sj="105"] .badge`, "ignored")
	b.waitText(fmt.Sprintf(`#usermap-table tr[data-genesys="%s"][data-sj="104"] .badge`, demoDanID), "email")
	if u := sjUser(d, "105"); u.PureCloudUserID != usermap.IgnoreValue("105") {
		t.Fatalf("105 has PureCloud_UserId %q, want the ignore mark", u.PureCloudUserID)
	}
}

// At 1024 px the user map stays workable: the search field has room for
// its hint, the Fix button is a filled button (not grey text) inside the
// table, and the group row's Ignore buttons fit their column.
func TestSupervisorUserMapAt1024Pixels(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	b := newBrowser(t)
	runIn(b, chromedp.EmulateViewport(1024, 700))
	signInToSupervisorPage(b, d, demoSamID, "en-us")
	b.waitText(`#usermap-table tr[data-group]`, "Daniel Double")
	if w := evalJS[float64](b, `document.getElementById("usermap-search").getBoundingClientRect().width`); w < 260 {
		t.Errorf("the search field is %.0f px wide at 1024 px, want at least 260 (its hint is cut)", w)
	}
	fix := evalJS[map[string]any](b, `(() => { const f = document.querySelector("#usermap-table button.fix"), s = getComputedStyle(f), r = f.getBoundingClientRect(),
		t = document.getElementById("usermap-table").getBoundingClientRect();
		return { bg: s.backgroundColor, color: s.color, h: r.height, right: r.right, tableRight: t.right }; })()`)
	if fix["bg"] == "rgba(0, 0, 0, 0)" || fix["bg"] == "rgb(255, 255, 255)" || fix["color"] != "rgb(255, 255, 255)" {
		t.Errorf("the Fix button is not filled: background %v, text %v", fix["bg"], fix["color"])
	}
	if fix["h"].(float64) < 28 || fix["right"].(float64) > fix["tableRight"].(float64) {
		t.Errorf("the Fix button is %v px high, right edge %v past the table's %v", fix["h"], fix["right"], fix["tableRight"])
	}
	if over := evalJS[int](b, `Array.from(document.querySelectorAll("#usermap-table td button")).filter(x => x.getBoundingClientRect().right > x.closest("td").getBoundingClientRect().right + 1).length`); over != 0 {
		t.Errorf("%d buttons stick out of their cells", over)
	}
}
