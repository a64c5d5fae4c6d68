package setup_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"dcmconnect/appbase"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

func TestHealthyInstallPasses(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.premiumApp()
	reg := prometheus.NewRegistry()
	w.opts.Registerer = reg
	r := w.run(nil)
	if n := testutil.ToFloat64(probeCounter(t, reg, "public_url", "2xx")); n != 2 {
		t.Errorf("public_url probes counted %v, want 2", n)
	}
	if !r.OK || r.Fail != 0 {
		t.Fatalf("healthy install failed:\n%s", dump(r))
	}
	for _, id := range []string{"sj.reachable", "sj.domain", "genesys.reachable", "sj.userSchema", "sj.login", "genesys.premiumApp",
		"genesys.browserClient", "genesys.browserClient.grant", "genesys.browserClient.redirectURIs", "genesys.browserClient.scopes",
		"genesys.token", "genesys.users", "genesys.conversations", "sj.framing"} {
		wantStatus(t, r, id, setup.Pass)
	}
	for _, op := range appbase.Operations() {
		wantStatus(t, r, "sj.rule."+op, setup.Pass)
	}
	wantStatus(t, r, "sj.userSchema", setup.Pass, "1 of 2")
	// http on loopback is the demo's one warning; nothing is installed yet.
	wantStatus(t, r, "server.publicURL", setup.Warn, "loopback", "server.publicURL")
	wantStatus(t, r, "genesys.installed", setup.Warn, "not installed")
	// The write probes changed nothing.
	if len(w.sj.Interactions()) != 0 || w.sj.SyncState("DCMCONNECT_SETUP_PROBE") != "" {
		t.Errorf("a probe wrote data: %v", w.sj.Interactions())
	}
	for _, u := range w.sj.Users() {
		if u.ID == "1" && u.PureCloudUserID != agentID {
			t.Errorf("a probe changed a mapping: %+v", u)
		}
	}
	// Lines come in install-guide order.
	prev := ""
	for _, l := range r.Lines {
		if l.Step < prev && !strings.HasPrefix(l.Step, "Steps") {
			t.Errorf("line %s (%s) after %s", l.ID, l.Step, prev)
		}
		prev = l.Step
	}
	noSecrets(t, r, ccSecret, w.sj.Password())
}

func TestWrongSystemPasswordFailsStep4(t *testing.T) {
	w := newWorld(t, worldOptions{sjPassword: "not-the-password"})
	r := w.run(nil)
	if r.OK {
		t.Fatal("report OK with a wrong password")
	}
	l := wantStatus(t, r, "sj.login", setup.Fail, "servicejourney.systemPassword")
	if l.Step != setup.Step4 {
		t.Errorf("step %q", l.Step)
	}
	wantStatus(t, r, "sj.reachable", setup.Pass)
	wantStatus(t, r, "sj.rule.FINDPARTIES", setup.Skip, "not checked")
	noSecrets(t, r, "not-the-password", w.sj.Password())
}

func TestMissingRuleFailsStep8(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.sj.RemoveRule(appbase.OpFindCases)
	w.sj.RemoveRule(appbase.OpUpsertInteraction)
	r := w.run(nil)
	wantStatus(t, r, "sj.rule.FINDCASES", setup.Fail, "ROOT_GENESYS_FINDCASES", "servicejourney.rules.FINDCASES")
	wantStatus(t, r, "sj.rule.UPSERTINTERACTION", setup.Fail, "not found")
	wantStatus(t, r, "sj.rule.FINDPARTIES", setup.Pass)
	wantStatus(t, r, "sj.domain", setup.Pass)
	if r.OK || r.Fail != 2 {
		t.Fatalf("fails = %d\n%s", r.Fail, dump(r))
	}
}

func TestWrongDomainFailsStep1(t *testing.T) {
	w := newWorld(t, worldOptions{})
	opts := w.sj.ClientOptions()
	opts.Domain = "DCM_Wrong.tenant9"
	opts.MaxRetries = -1
	ab, err := appbase.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	w.opts.AppBase = ab
	r := w.run(nil)
	wantStatus(t, r, "sj.domain", setup.Fail, "DCM_Wrong.tenant9", "servicejourney.domain")
	wantStatus(t, r, "sj.rule.GETUSERS", setup.Skip, "domain is unknown")
}

func TestUnreachableServiceJourneyFailsStep1(t *testing.T) {
	w := newWorld(t, worldOptions{})
	opts := w.sj.ClientOptions()
	opts.URL = closedURL
	opts.MaxRetries = -1
	ab, _ := appbase.New(opts)
	w.opts.AppBase = ab
	r := w.run(nil)
	wantStatus(t, r, "sj.reachable", setup.Fail, "servicejourney.url")
	wantStatus(t, r, "sj.login", setup.Skip, "not checked")
	wantStatus(t, r, "sj.framing", setup.Fail)
}

// The Pure* user-schema fields are "not used for normal operation" (users
// map by e-mail): a missing column is a warning, not a failed install.
func TestMissingPureCloudColumnWarnsStep3(t *testing.T) {
	w := newWorld(t, worldOptions{sjHandler: dropColumn("ROOT_GENESYS_GETUSERS", "PURECLOUD_USERID")})
	r := w.run(nil)
	wantStatus(t, r, "sj.userSchema", setup.Warn, "PureCloud_UserId", "User Schema", "e-mail")
	if !r.OK {
		t.Errorf("a missing PURECLOUD_USERID column failed the check:\n%s", dump(r))
	}
	wantStatus(t, r, "sj.rule.GETUSERS", setup.Pass)
}

// A stock case-worker search that does not return the case workers'
// external id: a warning that names the column it reads the mapping from.
func TestStandardMissingExternalIDWarns(t *testing.T) {
	w := newWorld(t, worldOptions{profile: appbase.ProfileStandard, sjHandler: dropColumn(appbase.StandardCaseWorkerSearch, "EXTERNALID")})
	r := w.run(nil)
	if l := wantStatus(t, r, "sj.userSchema", setup.Warn, "e-mail"); !strings.Contains(l.Fix, "EXTERNALID") {
		t.Errorf("fix %q does not name EXTERNALID", l.Fix)
	}
}

// dropColumn rewrites rule answers without one column, as a GETUSERS rule
// written before the user schema had PureCloud_UserId would answer.
func dropColumn(rule, col string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var v any
			if strings.HasSuffix(r.URL.Path, "/"+rule) && json.Unmarshal(body, &v) == nil {
				var strip func(any)
				strip = func(x any) {
					switch x := x.(type) {
					case map[string]any:
						delete(x, col)
						for _, e := range x {
							strip(e)
						}
					case []any:
						for _, e := range x {
							strip(e)
						}
					}
				}
				strip(v)
				body, _ = json.Marshal(v)
			}
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			io.Copy(w, bytes.NewReader(body))
		})
	}
}

func TestBrowserClientProblemsFailStep6(t *testing.T) {
	w := newWorld(t, worldOptions{})
	pages := setup.PageURLs(w.pub.URL)
	w.g.AddClient(genesystest.Client{ID: browserID, Name: "SJ Browser", GrantType: genesystest.GrantCode,
		RedirectURIs: pages[:2], Scopes: []string{"user-basic-info", "conversations"}})
	r := w.run(nil)
	l := wantStatus(t, r, "genesys.browserClient.redirectURIs", setup.Fail, pages[2], "SJ Browser")
	if strings.Contains(l.Detail, pages[0]) {
		t.Errorf("a registered page is reported missing: %s", l.Detail)
	}
	wantStatus(t, r, "genesys.browserClient.scopes", setup.Fail, "integrations", "groups", "authorization")
	wantStatus(t, r, "genesys.browserClient.grant", setup.Pass)
	wantStatus(t, r, "genesys.browserClient", setup.Pass)

	w.g.AddClient(genesystest.Client{ID: "other", Name: "x"})
	w.opts.BrowserClientID = "no-such-client"
	r = w.run(nil)
	wantStatus(t, r, "genesys.browserClient", setup.Fail, "no-such-client", "genesys.browserClientId")
	wantStatus(t, r, "genesys.browserClient.redirectURIs", setup.Skip, "not checked")
}

func TestImplicitGrantWarnsUntilRetirement(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.g.AddClient(genesystest.Client{ID: browserID, Name: "Old implicit", GrantType: genesystest.GrantImplicit,
		RedirectURIs: setup.PageURLs(w.pub.URL), Scopes: []string{"user-basic-info", "conversations", "integrations", "authorization", "groups", "oauth:readonly"}})
	w.opts.BrowserGrant = "implicit"
	w.opts.Now = func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) }
	wantStatus(t, w.run(nil), "genesys.browserClient.grant", setup.Warn, "March 2027", "Code Authorization (PKCE)", "genesys.browserGrant: pkce")
	w.opts.Now = func() time.Time { return time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC) }
	wantStatus(t, w.run(nil), "genesys.browserClient.grant", setup.Fail, "retired")
	w.opts.BrowserGrant = "pkce"
	w.opts.Now = nil
	wantStatus(t, w.run(nil), "genesys.browserClient.grant", setup.Fail, "sign-in is refused")
}

func TestAdminWithoutOAuthViewIsToldSoAndCLIFallsBack(t *testing.T) {
	w := newWorld(t, worldOptions{genesys: []genesystest.Option{genesystest.WithEnforcedPermissions()}})
	// The admin token lacks oauth:client:view: the wizard says so, without failing.
	limited := w.gc.WithToken(w.g.UserToken(agentID))
	r := w.run(limited)
	wantStatus(t, r, "genesys.browserClient", setup.Warn, "oauth:client:view", "your Genesys Cloud account")
	wantStatus(t, r, "genesys.browserClient.scopes", setup.Skip, "not checked")
	// A full admin reads the client.
	wantStatus(t, w.run(w.admin()), "genesys.browserClient.redirectURIs", setup.Pass)
}

func TestBadClientCredentialsFailStep7(t *testing.T) {
	w := newWorld(t, worldOptions{ccSecret: "wrong-secret"})
	r := w.run(nil)
	wantStatus(t, r, "genesys.reachable", setup.Pass)
	wantStatus(t, r, "genesys.token", setup.Fail, "genesys.clientSecret")
	wantStatus(t, r, "genesys.users", setup.Skip, "not checked")
	noSecrets(t, r, "wrong-secret", ccSecret)
}

func TestUnreachableGenesysFailsStep2(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.g.Fault("POST /oauth/token", genesystest.Fault{Drop: true})
	r := w.run(nil)
	wantStatus(t, r, "genesys.reachable", setup.Fail, "genesys.environment")
	wantStatus(t, r, "genesys.token", setup.Skip, "not checked")
}

func TestForbiddenUserListFailsStep7(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.g.Fault("GET /api/v2/users", genesystest.Fault{Status: 403})
	w.g.Fault("POST /api/v2/analytics/conversations/details/query", genesystest.Fault{Status: 403})
	r := w.run(nil)
	wantStatus(t, r, "genesys.users", setup.Fail, "directory:user:view")
	wantStatus(t, r, "genesys.conversations", setup.Fail, "analytics:conversationDetail:view")
}

func TestCheckHonoursItsDeadline(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.g.Fault("GET /api/v2/users", genesystest.Fault{Latency: time.Minute})
	w.opts.Timeout = 300 * time.Millisecond
	start := time.Now()
	r := w.run(nil)
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("Run took %s with a 300ms per-check deadline", d)
	}
	wantStatus(t, r, "genesys.users", setup.Fail)
}

func TestFramingHeaders(t *testing.T) {
	w := newWorld(t, worldOptions{})
	pubOrigin := w.pub.URL
	cases := []struct {
		xfo, csp string
		want     setup.Status
		mention  string
	}{
		{"", "", setup.Pass, "no framing restriction"},
		{"SAMEORIGIN", "", setup.Fail, appsEnv},
		{"DENY", "", setup.Fail, "DENY"},
		{"DENY", "frame-ancestors 'self' https://apps.mypurecloud.ie " + pubOrigin, setup.Pass, "frame-ancestors"},
		{"", "default-src 'self'; frame-ancestors 'self' https://*.mypurecloud.ie http://127.0.0.1:*", setup.Pass, "allows"},
		{"", "frame-ancestors 'self'", setup.Fail, appsEnv},
		{"", "frame-ancestors https://apps.mypurecloud.com " + pubOrigin, setup.Fail, appsEnv},
		{"ALLOW-FROM https://apps.mypurecloud.ie", "", setup.Warn, "ALLOW-FROM"},
	}
	for _, c := range cases {
		w.sj.FrameHeaders(c.xfo, c.csp)
		l := wantStatus(t, w.run(nil), "sj.framing", c.want, c.mention)
		if c.want == setup.Fail && !strings.Contains(l.Fix, "frame-ancestors") {
			t.Errorf("%q/%q: fix %q", c.xfo, c.csp, l.Fix)
		}
	}
}

func TestPublicURLMismatchAndHTTPS(t *testing.T) {
	w := newWorld(t, worldOptions{})
	w.opts.PublicURL = closedURL
	wantStatus(t, w.run(nil), "server.publicURL", setup.Fail, "no answer")
	// Another instance answers with another publicURL.
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Write([]byte(`{"d":{"publicURL":"https://elsewhere.example.com"}}`))
	}))
	defer other.Close()
	w.opts.PublicURL = other.URL
	wantStatus(t, w.run(nil), "server.publicURL", setup.Fail, "elsewhere.example.com")
}

// closedURL is an address where nothing listens. Not a port a test server
// had and closed: another test binary's server can be given that port again
// at once and answer (or hold) the probe. Nothing is given port 1: servers
// here listen on port 0, which picks from the ephemeral range.
const closedURL = "http://127.0.0.1:1"

// probeCounter finds dcmconnect_setup_probes_total{probe, result} in reg.
func probeCounter(t *testing.T, reg *prometheus.Registry, probe, result string) prometheus.Collector {
	t.Helper()
	// Registering an identical collector hands back the existing one.
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "dcmconnect_setup_probes_total",
		Help: "HTTP probes of the setup checker by probe (public_url, sj_frame) and result (an HTTP status class, or error)."}, []string{"probe", "result"})
	var are prometheus.AlreadyRegisteredError
	if err := reg.Register(c); !errors.As(err, &are) {
		t.Fatalf("the checker did not register its probe counter: %v", err)
	}
	return are.ExistingCollector.(*prometheus.CounterVec).WithLabelValues(probe, result)
}

// A writing rule that accepts a call without its key breaks the contract
// the probe relies on (it may have stored an empty record): the line must
// not pass, and must say what to change.
func TestWriteRuleAcceptingAProbeWithoutKeyWarns(t *testing.T) {
	w := newWorld(t, worldOptions{sjRules: map[string]string{
		// GETUSERS needs no input, so it stands in for a SETSYNCSTATE rule
		// that writes whatever it is given.
		appbase.OpSetSyncState: appbase.DefaultIntegrationCode + "_" + appbase.OpGetUsers,
	}})
	w.premiumApp()
	r := w.run(nil)
	wantStatus(t, r, "sj.rule."+appbase.OpSetSyncState, setup.Warn, "NAME", "ERRORCODE")
	wantStatus(t, r, "sj.rule."+appbase.OpUpsertInteraction, setup.Pass)
}
