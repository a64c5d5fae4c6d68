package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/config"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// supervisorMethods are every method the supervisor page uses; each must
// refuse non-supervisors.
var supervisorMethods = []string{"GetUserMap", "SetUserMapping", "IgnoreServiceJourneyUser", "GetAgentStatus", "GetSyncStatus", "GetInteractionSummary"}

// expectedUserMap builds the map afresh from what the fakes hold now, through
// the real directory adapters: the counts the page must show.
func expectedUserMap(t *testing.T, d *demoStack) *usermap.Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testBudget(t))
	defer cancel()
	g, err := usermap.GenesysUsers{Client: d.app.gc}.ActiveUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	sj, err := usermap.SJUsers{Client: d.app.ab}.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return usermap.Build(g, sj)
}

// evalJS runs an expression in the page and returns its JSON-decoded value.
func evalJS[T any](b *browser, expr string) T {
	b.t.Helper()
	return runIn(b, chromedp.Evaluate[T](expr))
}

// openSupervisorPage opens the page as Genesys opens a standalone client
// app (with the gc* template parameters) and signs in.
func openSupervisorPage(t *testing.T, d *demoStack, userID, lang string) *browser {
	t.Helper()
	return signInToSupervisorPage(newBrowser(t), d, userID, lang)
}

func signInToSupervisorPage(b *browser, d *demoStack, userID, lang string) *browser {
	b.t.Helper()
	b.ignoreOrigin(d.genesys.URL())
	b.openSignedIn(d, userID, d.PublicURL+"/dcm-connect-docs/supervisor.html?gcHostOrigin=https://apps.mypurecloud.ie&gcTargetEnv=prod-euw1&gcLangTag="+lang)
	return b
}

func rowStatuses(b *browser) []string {
	return evalJS[[]string](b, `Array.from(document.querySelectorAll("#usermap-table tbody tr[data-status]")).map(r => r.dataset.status)`)
}

// TestSupervisorSeesCountsFiltersAndFixesAMapping is issue 8's main flow on
// the demo stack: counts as the seed implies, filter to unmatched, fix one
// with an explicit mapping after confirming, see it become explicit.
func TestSupervisorSeesCountsFiltersAndFixesAMapping(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	want := expectedUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	b.waitText("#connection", "Connected as Sam Supervisor")

	for _, s := range usermap.Statuses {
		sel := fmt.Sprintf(`#usermap-counts button[data-status="%s"]`, s)
		b.waitText(sel+" .n", strconv.Itoa(want.Counts[s]))
		sub := b.text(sel + " .sub")
		if wantSub := fmt.Sprintf("Genesys %d · ServiceJourney %d", want.GenesysCounts[s], want.SJCounts[s]); sub != wantSub {
			t.Errorf("%s card: %q, want %q", s, sub, wantSub)
		}
	}
	if n, rows := len(rowStatuses(b)), len(tableRows(want)); n != min(rows, 25) {
		t.Errorf("unfiltered table has %d rows, want %d (one per conflict group)", n, rows)
	}
	b.screenshot("supervisor-usermap")

	// Filter to the unmatched users.
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="unmatched"]`))
	b.waitFor(`Array.from(document.querySelectorAll("#usermap-table tbody tr[data-status]")).every(r => r.dataset.status === "unmatched")`, "only unmatched rows")
	if got := rowStatuses(b); len(got) != want.Counts[usermap.StatusUnmatched] {
		t.Fatalf("unmatched filter shows %d rows, want %d", len(got), want.Counts[usermap.StatusUnmatched])
	}
	// The fix: an unmatched Genesys user linked to an unmatched ServiceJourney user.
	var g *usermap.GenesysUser
	var sj *usermap.SJUser
	for _, e := range want.EntriesWith(usermap.StatusUnmatched) {
		if e.GenesysUser != nil && e.SJUser == nil && g == nil {
			g = e.GenesysUser
		}
		if e.SJUser != nil && e.GenesysUser == nil && sj == nil {
			sj = e.SJUser
		}
	}
	if g == nil || sj == nil {
		t.Fatal("the demo seed has no unmatched user on each side to link")
	}
	row := fmt.Sprintf(`#usermap-table tr[data-genesys="%s"]`, g.ID)
	b.waitText(row, g.Name)
	if reason := b.text(row + " td:nth-child(4)"); !strings.Contains(reason, g.Email) {
		t.Errorf("unmatched row gives no usable reason: %q", reason)
	}
	runIn(b, chromedp.Click(row+" button.fix"))
	b.waitFor(`document.getElementById("fix-dialog").open`, "the confirmation dialog opens")
	runIn(b, chromedp.SendKeys("#fix-search", strings.Fields(sj.Name)[0]))
	cand := fmt.Sprintf(`#fix-candidates button[data-id="%s"]`, sj.ID)
	runIn(b, chromedp.WaitVisible(cand))
	if n := evalJS[int](b, `document.querySelectorAll("#fix-candidates button").length`); n < 1 {
		t.Fatal("no candidates after searching")
	}
	if dis := evalJS[bool](b, `document.getElementById("fix-ok").disabled`); !dis {
		t.Error("the confirm button is enabled before anyone was chosen")
	}
	runIn(b, chromedp.Click(cand))
	b.waitText("#fix-summary", g.ID)
	b.screenshot("supervisor-fix-dialog")
	// Nothing is written before the confirmation.
	if u := sjUser(d, sj.ID); u.PureCloudUserID != "" {
		t.Fatalf("PureCloud_UserId written before confirming: %q", u.PureCloudUserID)
	}
	runIn(b, chromedp.Click("#fix-ok"))

	fixed := fmt.Sprintf(`#usermap-table tr[data-genesys="%s"][data-sj="%s"]`, g.ID, sj.ID)
	b.waitText(fixed+" .badge", "explicit")
	b.waitText("#usermap-message", "Saved")
	if open := evalJS[bool](b, `document.getElementById("fix-dialog").open`); open {
		t.Error("the dialog is still open after saving")
	}
	if u := sjUser(d, sj.ID); u.PureCloudUserID != g.ID {
		t.Errorf("ServiceJourney user %s has PureCloud_UserId %q, want %q", sj.ID, u.PureCloudUserID, g.ID)
	}
	if e, ok := d.app.users.Lookup(context.Background(), g.ID); !ok || e.Status != usermap.StatusExplicit {
		t.Errorf("user map in service: %v %v, want explicit", e.Status, ok)
	}
	// The counts follow the change, as a fresh build from the fakes says.
	after := expectedUserMap(t, d)
	for _, s := range usermap.Statuses {
		b.waitText(fmt.Sprintf(`#usermap-counts button[data-status="%s"] .n`, s), strconv.Itoa(after.Counts[s]))
	}
	b.screenshot("supervisor-fixed")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

func sjUser(d *demoStack, id string) appbasetest.User {
	for _, u := range d.sj.Users() {
		if u.ID == id {
			return u
		}
	}
	return appbasetest.User{}
}

func TestNonSupervisorGetsNotAllowedAnd403(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	b := openSupervisorPage(t, d, demoAnnID, "en-us")
	b.waitText("#connection", "Connected as Ann Agent")
	b.waitFor(`!document.getElementById("denied").hidden`, "the not-allowed page shows")
	b.waitText("#denied", "Not allowed")
	if shown := evalJS[bool](b, `!document.getElementById("content").hidden`); shown {
		t.Error("supervisor content is shown to an agent")
	}
	if n := evalJS[int](b, `document.querySelectorAll("#usermap-table tbody tr, #agents-table tbody tr").length`); n != 0 {
		t.Errorf("%d data rows reached an agent's page", n)
	}
	b.screenshot("supervisor-denied")

	ann, sam := d.genesys.UserToken(demoAnnID), d.genesys.UserToken(demoSamID)
	for _, m := range supervisorMethods {
		body := `{"serviceJourneyUserId":"106","genesysUserId":"` + demoAnnID + `"}`
		if code, out := callService(t, d, m, ann, body); code != http.StatusForbidden {
			t.Errorf("%s as Ann Agent = %d %v, want 403", m, code, out)
		}
	}
	if u := sjUser(d, "106"); u.PureCloudUserID != "" {
		t.Errorf("a refused SetUserMapping still wrote PureCloud_UserId %q", u.PureCloudUserID)
	}
	if code, out := callService(t, d, "GetSyncStatus", sam, `{}`); code != 200 {
		t.Errorf("GetSyncStatus as Sam Supervisor = %d %v", code, out)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		// The 403 answers are expected; anything else is not.
		for _, e := range errs {
			if !strings.Contains(e, "403") {
				t.Errorf("console error: %s", e)
			}
		}
	}
}

// TestSupervisorSeesAgentsInteractionsAndJobs checks the other two tabs
// against the demo's data, in German to prove the page is translated.
func TestSupervisorSeesAgentsInteractionsAndJobs(t *testing.T) {
	t.Parallel()
	// A short refresh so the test sees the page pick up a presence change.
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) { c.UserMap.SupervisorRefresh = time.Second }})
	waitUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "de-de")
	b.waitText("#connection", "Verbunden als Sam Supervisor")
	b.waitText("#tab-agents", "Agenten")

	runIn(b, chromedp.Click("#tab-agents"))
	annRow := fmt.Sprintf(`#agents-table tr[data-id="%s"]`, demoAnnID)
	b.waitText(annRow, "In Warteschlange") // ON_QUEUE, translated
	if txt := b.text(annRow); !strings.Contains(txt, "explizit") || !strings.Contains(txt, "Im Kontakt") {
		t.Errorf("Ann's row = %q, want her explicit mapping and INTERACTING routing status", txt)
	}
	rows := evalJS[int](b, `document.querySelectorAll("#agents-table tbody tr[data-id]").length`)
	if want := len(d.genesys.Users()); rows != want {
		t.Errorf("agents table has %d rows, want %d", rows, want)
	}
	b.screenshot("supervisor-agents")
	// A presence change shows on the page's next refresh, with no reload.
	if err := d.genesys.UpdateUser(demoBenID, func(u *genesystest.User) { u.Presence = "BREAK" }); err != nil {
		t.Fatal(err)
	}
	b.waitText(fmt.Sprintf(`#agents-table tr[data-id="%s"]`, demoBenID), "Pause")

	runIn(b, chromedp.Click("#tab-activity"))
	offset := evalJS[int](b, `0 - new Date().getTimezoneOffset()`)
	from := time.Now().In(time.FixedZone("", offset*60))
	from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, from.Location())
	today := 0
	for _, c := range d.genesys.Conversations() {
		if !c.StartTime.Before(from) {
			today++
		}
	}
	b.waitText("#interactions-total", strconv.Itoa(today))
	b.waitText("#interactions-queues", "Support")
	b.waitText("#interactions-media", "Anruf")
	b.waitText(`#jobs tr[data-job="users"]`, "Benutzer-Synchronisierung")
	if out := evalJS[string](b, `document.querySelector('#jobs tr[data-job="users"] [data-outcome]').dataset.outcome`); out != "ok" {
		t.Errorf("users job outcome = %q, want ok", out)
	}
	b.waitText(`#upstreams tr[data-upstream="ServiceJourney"]`, "OK")
	b.waitText(`#upstreams tr[data-upstream="Genesys Cloud"]`, "OK")
	b.waitText("#sum-interactions .n", strconv.Itoa(today))
	b.screenshot("supervisor-activity")
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestSupervisorTablesStayPagedWith5000Agents proves the DOM holds one page
// of rows however many users there are. Its waits have the test's own time
// (testBudget): 5,000 users through the race-enabled fakes beside the other
// tests take long under load.
func TestSupervisorTablesStayPagedWith5000Agents(t *testing.T) {
	t.Parallel()
	shell.path(t) // skips before the 5,000 users when browser tests are off
	// 5,000 users are 50 pages per listing: the test demo's client does not
	// pace them (newTestDemo).
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	const n = 5000
	var sjUsers []appbasetest.User
	for i := range n {
		email := fmt.Sprintf("bulk%04d@example.com", i)
		d.genesys.AddUser(genesystest.User{Name: fmt.Sprintf("Bulk Agent %04d", i), Email: email, Presence: []string{"ON_QUEUE", "AVAILABLE", "AWAY"}[i%3]})
		if i%10 != 0 { // every tenth stays unmatched
			sjUsers = append(sjUsers, appbasetest.User{Name: fmt.Sprintf("Bulk Agent %04d", i), Login: fmt.Sprintf("bulk%04d", i), Email: email})
		}
	}
	for _, v := range sjUsers {
		d.sj.AddUser(v)
	}
	// Under load, 5,000 users through the race-enabled fakes take long: the
	// sync, the expected map and the page's waits have the test's own time.
	ctx, cancel := context.WithTimeout(context.Background(), testBudget(t))
	defer cancel()
	if sum, err := d.app.userSync.RunOnce(ctx); err != nil || !sum.OK {
		t.Fatalf("user sync: %v %v", sum, err)
	}
	want := expectedUserMap(t, d)
	b := newBrowser(t)
	b.patient()
	signInToSupervisorPage(b, d, demoSamID, "en-us")
	b.waitText(`#usermap-counts button[data-status="unmatched"] .n`, fmt.Sprintf("%d", want.Counts[usermap.StatusUnmatched]))
	b.waitText("#usermap-matched", "of "+thousands(len(tableRows(want)))) // one row per conflict group
	if rows := len(rowStatuses(b)); rows == 0 || rows > 25 {
		t.Fatalf("user map table renders %d rows for %d entries, want one page (1..25)", rows, len(want.Entries))
	}
	runIn(b, chromedp.Click("#usermap-pager button.next"))
	b.waitText("#usermap-matched", "26–50")

	runIn(b, chromedp.Click("#tab-agents"))
	total := len(d.genesys.Users())
	b.waitText("#agents-matched", "of "+thousands(total))
	if rows := evalJS[int](b, `document.querySelectorAll("#agents-table tbody tr").length`); rows == 0 || rows > 25 {
		t.Fatalf("agents table renders %d rows for %d agents, want one page", rows, total)
	}
	runIn(b, chromedp.SendKeys("#agents-search", "bulk agent 4999"+kb.Enter))
	b.waitText("#agents-matched", "1–1 of 1")
	b.waitText("#agents-table tbody", "Bulk Agent 4999")
	b.screenshot("supervisor-agents-5000")
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestTenSupervisorsCostOnePresenceQuery is the demo stack's version of the
// api test: ten supervisors (ten tokens) refreshing at once ask Genesys once
// per refresh interval.
func TestTenSupervisorsCostOnePresenceQuery(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	waitUserMap(t, d)
	tokens := []string{d.genesys.UserToken(demoSamID)}
	for i := range 9 {
		u := d.genesys.AddUser(genesystest.User{Name: fmt.Sprintf("Supervisor %d", i), Email: fmt.Sprintf("sup%d@example.com", i),
			Permissions: []string{demoSupervisorPerm}})
		tokens = append(tokens, d.genesys.UserToken(u.ID))
	}
	for _, tok := range tokens { // verify each token once, so the refresh below starts together
		if code, out := callService(t, d, "GetSyncStatus", tok, `{}`); code != 200 {
			t.Fatalf("GetSyncStatus = %d %v", code, out)
		}
	}
	d.genesys.ResetRequests()
	d.genesys.Fault("GET /api/v2/users", genesystest.Fault{Latency: 300 * time.Millisecond, Times: 1})
	refresh := func() {
		var wg sync.WaitGroup
		for _, tok := range tokens {
			wg.Go(func() {
				if code, out := callService(t, d, "GetAgentStatus", tok, `{"page":1,"pageSize":25}`); code != 200 {
					t.Errorf("GetAgentStatus = %d %v", code, out)
				}
			})
		}
		wg.Wait()
	}
	refresh()
	if n := d.genesys.Requests("GET /api/v2/users"); n != 1 {
		t.Fatalf("ten supervisors refreshing at once: %d presence queries, want 1", n)
	}
	refresh() // within the 30 s interval
	if n := d.genesys.Requests("GET /api/v2/users"); n != 1 {
		t.Fatalf("second refresh within the interval: %d queries in total, want 1", n)
	}
}

// TestSupervisorPageWaitsForTheFirstUserSync: before any user sync the page
// says why there is no map, and shows it once a sync has run, without a reload.
func TestSupervisorPageWaitsForTheFirstUserSync(t *testing.T) {
	t.Parallel()
	off := false
	d := startBrowserDemo(t, demoOptions{Edit: func(c *config.Config) {
		c.UserMap.InProcess = &off // as when a CronJob runs the sync
		c.UserMap.SupervisorRefresh = time.Second
	}})
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	b.waitText("#usermap-message", "still loading its user list")
	b.waitText("#sum-jobs .sub", "User sync: not run yet")
	if sum, err := d.app.userSync.RunOnce(context.Background()); err != nil || !sum.OK {
		t.Fatalf("user sync: %v %v", sum, err)
	}
	want := expectedUserMap(t, d)
	b.waitText(`#usermap-counts button[data-status="conflict"] .n`, strconv.Itoa(want.Counts[usermap.StatusConflict]))
	b.waitFor(`document.getElementById("usermap-message").hidden`, "the error note goes away")
}

// Done-when (issue 18): a fix that takes an explicit link from someone
// names who loses it and asks again; nothing is written before the second
// confirmation.
func TestSupervisorFixThatTakesOverAnExplicitLinkAsksFirst(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "en-us")
	row := fmt.Sprintf(`#usermap-table tr[data-genesys="%s"]`, demoCarlaID)
	runIn(b, chromedp.Click(`#usermap-counts button[data-status="unmatched"]`))
	b.waitText(row, "Carla Newhire")
	runIn(b, chromedp.Click(row+" button.fix"))
	b.waitFor(`document.getElementById("fix-dialog").open`, "the dialog opens")
	runIn(b, chromedp.SendKeys("#fix-search", "Ann"))
	cand := `#fix-candidates button[data-id="101"]`
	runIn(b, chromedp.WaitVisible(cand))
	runIn(b, chromedp.Click(cand))
	b.waitText("#fix-summary", demoCarlaID)
	if shown := evalJS[bool](b, `!document.getElementById("fix-takeover").hidden`); shown {
		t.Error("the take-over warning shows before the first confirmation")
	}
	runIn(b, chromedp.Click("#fix-ok"))
	b.waitText("#fix-takeover", "Ann Agent is linked to Ann Agent now and loses that link")
	b.waitText("#fix-ok", "Take over the link")
	b.screenshot("supervisor-takeover-warning")
	if u := sjUser(d, "101"); u.PureCloudUserID != demoAnnID {
		t.Fatalf("written before the second confirmation: PureCloud_UserId %q", u.PureCloudUserID)
	}
	runIn(b, chromedp.Click("#fix-ok"))
	b.waitText("#usermap-message", "Saved")
	if u := sjUser(d, "101"); u.PureCloudUserID != demoCarlaID {
		t.Errorf("after confirming twice PureCloud_UserId = %q, want Carla's id", u.PureCloudUserID)
	}
}

// Done-when (issue 18): the German supervisor page says every reason in
// German (the server sends codes), none of the server's English sentences.
func TestSupervisorReasonsInGerman(t *testing.T) {
	t.Parallel()
	d := startBrowserDemo(t, demoOptions{})
	waitUserMap(t, d)
	want := expectedUserMap(t, d)
	b := openSupervisorPage(t, d, demoSamID, "de-de")
	b.waitText("#usermap-table tbody", "Kein aktiver")
	reasons := evalJS[[]string](b, `Array.from(document.querySelectorAll("#usermap-table tbody tr[data-status] td:nth-child(4)")).map(td => td.innerText)`)
	if len(reasons) == 0 {
		t.Fatal("no rows")
	}
	for _, r := range reasons {
		for _, e := range want.Entries {
			if e.Reason() != "" && strings.Contains(r, e.Reason()) {
				t.Errorf("the German page shows the server's English reason %q", e.Reason())
			}
		}
		for _, english := range []string{"no active", "linked by", "matched by", "set PureCloud_UserId", "e-mail"} {
			if strings.Contains(r, english) {
				t.Errorf("German reason %q holds English %q", r, english)
			}
		}
	}
	b.screenshot("supervisor-de-de")
}
