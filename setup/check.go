package setup

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// Status of one check.
type Status string

const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
	// Skip: not checked, because an earlier line failed; not a problem of its own.
	Skip Status = "skip"
)

// The install guide's steps (shared/seeds install guide), as the lines name them.
const (
	Step1  = "Step 1: ServiceJourney application"
	Step2  = "Step 2: Genesys Cloud environment"
	Step3  = "Step 3: User schema (PureCloud_UserId)"
	Step4  = "Step 4: ServiceJourney system user"
	Step5  = "Step 5: Premium App and connector apps"
	Step6  = "Step 6: Browser OAuth client"
	Step7  = "Step 7: Client Credentials OAuth client"
	Step8  = "Step 8: Connector rules in ServiceJourney"
	Step9  = "Step 9: Web endpoints (was IIS)"
	Step10 = "Steps 10-11: Embedding ServiceJourney pages"
)

// Line is one verified item of the install guide.
type Line struct {
	// ID is stable, for machines and page translations ("genesys.token").
	ID string `json:"id"`
	// Step names the install guide's step number and title.
	Step string `json:"step"`
	// Check says what was verified within the step ("token", "redirect URIs").
	Check  string `json:"check"`
	Status Status `json:"status"`
	// Detail is what was found; Fix what to do when Status is not pass.
	// Both are English (check, logs): DetailMsg and FixMsg say the same by
	// code, for the wizard to say in the administrator's language.
	Detail    string `json:"detail"`
	Fix       string `json:"fix,omitempty"`
	DetailMsg Msg    `json:"detailMsg"`
	FixMsg    *Msg   `json:"fixMsg,omitempty"`
	// Technical is an upstream's own error text (English, never a secret),
	// for an administrator; Detail ends with it.
	Technical string `json:"technical,omitempty"`
}

// Report is a whole run, lines in install-guide order.
type Report struct {
	Lines []Line `json:"lines"`
	Pass  int    `json:"pass"`
	Warn  int    `json:"warn"`
	Fail  int    `json:"fail"`
	// NotChecked counts the Skip lines (not warnings: they wait on a failure).
	NotChecked int `json:"notChecked"`
	// OK is true when no line failed (warnings allowed).
	OK        bool      `json:"ok"`
	CheckedAt time.Time `json:"checkedAt"`
	// Installed is what the Step 5 lines found (nil when not looked up).
	Installed *State `json:"installed,omitempty"`
}

// Failed returns the lines that failed.
func (r *Report) Failed() []Line {
	var out []Line
	for _, l := range r.Lines {
		if l.Status == Fail {
			out = append(out, l)
		}
	}
	return out
}

// Options configure a Checker. cmd/dcmconnect fills them from the config file.
type Options struct {
	// Genesys acts with the client-credentials token (genesys.clientId). Required.
	Genesys *genesys.Client
	// AppBase acts as the system user (servicejourney.systemUser). Required.
	AppBase *appbase.Client
	// PublicURL is server.publicURL, where browsers reach this server.
	PublicURL string
	// AppsOrigin is https://apps.<genesys.environment>, the Genesys desktop.
	AppsOrigin string
	// BrowserClientID and BrowserGrant are genesys.browserClientId / browserGrant.
	BrowserClientID, BrowserGrant string
	// FramePage and AppID name the Ecx.Web page probed for framing headers
	// (servicejourney.pages.party and pages.appId).
	FramePage, AppID string
	// Pages are the pop targets (servicejourney.pages.party, .case,
	// .newCase), templates or page codes; each is opened once to see that it
	// answers. Empty ones are not checked.
	Pages PopPages
	// Installer finds the connector apps for Step 5; nil leaves that line out.
	Installer *Installer
	// HTTPClient makes the two probes (public URL, ServiceJourney page); nil
	// means a private client that follows at most 5 redirects.
	HTTPClient *http.Client
	// Timeout bounds each check (default 20s).
	Timeout time.Duration
	// Registerer receives dcmconnect_setup_probes_total; nil means a private registry.
	Registerer prometheus.Registerer
	// Now is the clock (the implicit-grant retirement message); nil means time.Now.
	Now func() time.Time
}

// DefaultTimeout bounds one check.
const DefaultTimeout = 20 * time.Second

// Checker runs the installation checks. It is safe for concurrent use.
type Checker struct {
	o      Options
	probes *prometheus.CounterVec
}

// NewChecker checks opts; it contacts nothing.
func NewChecker(o Options) (*Checker, error) {
	var errs []error
	if o.Genesys == nil {
		errs = append(errs, errors.New("setup: Options.Genesys is nil"))
	}
	if o.AppBase == nil {
		errs = append(errs, errors.New("setup: Options.AppBase is nil"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.HTTPClient == nil {
		o.HTTPClient = &http.Client{CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("stopped after 5 redirects")
			}
			return nil
		}}
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	return &Checker{o: o, probes: newProbeMetrics(o.Registerer)}, nil
}

// order is the position of each line ID in the report (install-guide order).
var order = func() map[string]int {
	ids := []string{
		"sj.reachable", "sj.domain", "genesys.reachable", "sj.userSchema", "sj.login", "sj.caseWorker",
		"genesys.premiumApp", "genesys.installed", "genesys.dataActions",
		"genesys.browserClient", "genesys.browserClient.grant", "genesys.browserClient.redirectURIs", "genesys.browserClient.scopes",
		"genesys.token", "genesys.users", "genesys.conversations", "genesys.serverRole", "genesys.serverGrant",
	}
	for _, op := range appbase.Operations() {
		ids = append(ids, "sj.rule."+op)
	}
	ids = append(ids, "server.publicURL", "sj.framing", "sj.page.party", "sj.page.case", "sj.page.newCase")
	m := make(map[string]int, len(ids))
	for i, id := range ids {
		m[id] = i
	}
	return m
}()

// Run checks every step. admin, when not nil, is the Genesys client acting
// with a signed-in administrator's token (the wizard); it reads the browser
// OAuth client and the connector apps, which need admin permissions. Without
// it those checks use the client-credentials token and say so when refused.
// Run never fails: every problem becomes a line.
func (c *Checker) Run(ctx context.Context, admin *genesys.Client) *Report {
	var (
		mu        sync.Mutex
		lines     []Line
		wg        sync.WaitGroup
		installed *State
	)
	add := func(ls ...Line) {
		mu.Lock()
		lines = append(lines, ls...)
		mu.Unlock()
	}
	// Three independent groups run side by side; inside a group, later
	// checks depend on earlier ones (no token, no user listing).
	genesysChecks := func(ctx context.Context, admin *genesys.Client, add func(...Line)) {
		installed = c.genesysChecks(ctx, admin, add)
	}
	for _, group := range []func(context.Context, *genesys.Client, func(...Line)){
		genesysChecks, c.appbaseChecks, c.httpChecks,
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			group(ctx, admin, add)
		}()
	}
	wg.Wait()
	sort.SliceStable(lines, func(i, j int) bool { return rank(lines[i].ID) < rank(lines[j].ID) })
	r := &Report{Lines: lines, CheckedAt: c.o.Now().UTC(), Installed: installed}
	for _, l := range lines {
		switch l.Status {
		case Pass:
			r.Pass++
		case Warn:
			r.Warn++
		case Fail:
			r.Fail++
		case Skip:
			r.NotChecked++
		}
	}
	r.OK = r.Fail == 0
	return r
}

func rank(id string) int {
	if i, ok := order[id]; ok {
		return i
	}
	return len(order)
}

// step runs fn under the per-check deadline.
func (c *Checker) step(ctx context.Context, fn func(ctx context.Context) Line) Line {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	return fn(ctx)
}

// line is one result; fix may be the zero Msg (a pass needs none).
func line(id, step, check string, st Status, detail, fix Msg) Line {
	l := Line{ID: id, Step: step, Check: check, Status: st, Detail: detail.String(), DetailMsg: detail}
	if !fix.IsZero() {
		l.Fix, l.FixMsg = fix.String(), &fix
	}
	return l
}

// lineErr is a line whose detail ends with an upstream's error text.
func lineErr(id, step, check string, st Status, detail Msg, err error, fix Msg) Line {
	l := line(id, step, check, st, detail, fix)
	if t := errMessage(err); t != "" {
		l.Technical = t
		l.Detail += ": " + t
	}
	return l
}

// skipped is a line that could not be checked because an earlier one failed.
func skipped(id, step, check string, because Msg) Line {
	return line(id, step, check, Skip, M("notChecked", "because", because), M("fixAbove"))
}

var none Msg
