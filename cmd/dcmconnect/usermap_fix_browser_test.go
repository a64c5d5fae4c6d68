package main

import (
	"context"
	"fmt"
	"net/http"
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
	d := startTestDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Hour }})
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
