package setup

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"dcmconnect/genesys"
)

// implicitRetirement: Genesys stops the implicit grant by March 2027 (docs/upstreams.md).
var implicitRetirement = time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)

// probeConversationID is a well-formed id no conversation has: reading it
// answers 404 when the token may read conversations, 403 when it may not.
const probeConversationID = "00000000-0000-4000-8000-00000000d0c0"

// scopeNeeds are what the pages do with the browser token, each satisfied by
// any one of the listed scopes ("x" also covers "x:readonly"). The scope that
// lets users/me expand authorization is not documented [UNVERIFIED], so the
// identity need accepts the usual candidates.
var scopeNeeds = []struct {
	any      []string
	why      string // Msg code scope.<why>
	required bool
}{
	{[]string{"user-basic-info", "users:readonly"}, "identity", true},
	{[]string{"conversations"}, "dial", true},
	{[]string{"integrations"}, "apps", true},
	{[]string{"groups"}, "group", true},
	{[]string{"authorization"}, "permissions", true},
	{[]string{"oauth:readonly"}, "oauth", false},
}

// PageURLs are the three pages the browser client must list as redirect URIs.
func PageURLs(publicURL string) []string {
	docs := strings.TrimRight(publicURL, "/") + "/dcm-connect-docs/"
	return []string{docs + "index.html", docs + "supervisor.html", docs + "wizard/index.html"}
}

// genesysChecks returns what the Step 5 lines found, if they ran.
func (c *Checker) genesysChecks(ctx context.Context, admin *genesys.Client, add func(...Line)) *State {
	tokenOK := c.tokenChecks(ctx, add)
	if !tokenOK {
		add(skipped("genesys.users", Step7, "read users", M("because.noToken")),
			skipped("genesys.conversations", Step7, "read conversations", M("because.noToken")))
	} else {
		add(c.step(ctx, c.checkUsers), c.step(ctx, c.checkConversations))
	}
	as := admin
	if as == nil {
		if !tokenOK {
			add(skipped("genesys.browserClient", Step6, "exists", M("because.noToken")))
			if c.o.Installer != nil {
				add(skipped("genesys.premiumApp", Step5, "Premium App", M("because.noToken")),
					skipped("genesys.installed", Step5, "connector apps", M("because.noToken")),
					skipped("genesys.serverRole", Step7, "server role", M("because.noToken")),
					skipped("genesys.serverGrant", Step7, "client's roles", M("because.noToken")))
			}
			return nil
		}
		as = c.o.Genesys
	}
	add(c.browserClientChecks(ctx, as, admin != nil)...)
	if c.o.Installer == nil {
		return nil
	}
	st, lines := c.installedChecks(ctx, as, admin != nil)
	add(lines...)
	return st
}

// tokenChecks gets a fresh client-credentials token: whether the login host
// answers at all is Step 2, whether it accepts our client is Step 7.
func (c *Checker) tokenChecks(ctx context.Context, add func(...Line)) bool {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	login := c.o.Genesys.LoginURL()
	credFix := M("fixCredentials")
	answered := line("genesys.reachable", Step2, "login host answers", Pass, M("answered", "url", login), none)
	tok, err := c.o.Genesys.Tokens.ClientCredentials(ctx)
	switch {
	case err == nil:
		add(answered, line("genesys.token", Step7, "token", Pass, M("tokenGot", "valid", shortDuration(time.Duration(tok.ExpiresIn)*time.Second)), none))
		return true
	case errors.Is(err, genesys.ErrNoClientCredentials):
		add(skipped("genesys.reachable", Step2, "login host answers", M("because.noCredentials")),
			line("genesys.token", Step7, "token", Fail, M("credentialsEmpty"), credFix))
	case errors.Is(err, genesys.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded):
		add(lineErr("genesys.reachable", Step2, "login host answers", Fail, M("noAnswer", "url", login), err, M("fixEnvironment")),
			skipped("genesys.token", Step7, "token", M("because.loginSilent")))
	case errors.Is(err, genesys.ErrBadClientCredentials):
		add(answered, lineErr("genesys.token", Step7, "token", Fail, M("credentialsRefused"), err, credFix))
	default:
		add(answered, lineErr("genesys.token", Step7, "token", Fail, M("noToken"), err, M("fixGrantCredentials")))
	}
	return false
}

func (c *Checker) checkUsers(ctx context.Context) Line {
	const id, check = "genesys.users", "read users"
	p, err := c.o.Genesys.Users.List(ctx, &genesys.UserListOptions{PageSize: 1})
	if err != nil {
		return lineErr(id, Step7, check, Fail, M("usersFailed"), err, forbiddenFix(err, M("fixUsersRole")))
	}
	return line(id, Step7, check, Pass, M("usersCount", "n", max(p.Total, len(p.Entities))), none)
}

// checkConversations reads what screen pop and the interaction sync read: one
// conversation by id (404 = allowed, nothing there) and one page of analytics.
func (c *Checker) checkConversations(ctx context.Context) Line {
	const id, check = "genesys.conversations", "read conversations"
	fix := M("fixConversationRole")
	if _, err := c.o.Genesys.Conversations.Get(ctx, probeConversationID); err != nil && !errors.Is(err, genesys.ErrNotFound) {
		return lineErr(id, Step7, check, Fail, M("conversationFailed"), err, forbiddenFix(err, fix))
	}
	now := c.o.Now().UTC()
	q := &genesys.ConversationQuery{
		Interval: now.Add(-time.Hour).Format("2006-01-02T15:04:05.000Z") + "/" + now.Format("2006-01-02T15:04:05.000Z"),
		Paging:   &genesys.PagingSpec{PageSize: 1, PageNumber: 1},
	}
	res, err := c.o.Genesys.Analytics.QueryConversationDetails(ctx, q)
	if err != nil {
		return lineErr(id, Step7, check, Fail, M("analyticsFailed"), err, forbiddenFix(err, fix))
	}
	return line(id, Step7, check, Pass, M("conversationsOK", "n", res.TotalHits), none)
}

// forbiddenFix gives fix for a 403 and a generic hint otherwise.
func forbiddenFix(err error, fix Msg) Msg {
	switch {
	case errors.Is(err, genesys.ErrForbidden):
		return fix
	case errors.Is(err, genesys.ErrUnauthorized):
		return M("fixTokenRefused")
	case fix.IsZero():
		return M("fixGenesysUp")
	}
	return M("fixGenesysUpThen", "then", fix)
}

func (c *Checker) browserClientChecks(ctx context.Context, as *genesys.Client, asAdmin bool) []Line {
	const id = "genesys.browserClient"
	skipAll := func(first Line, because Msg) []Line {
		return []Line{first,
			skipped(id+".grant", Step6, "grant type", because),
			skipped(id+".redirectURIs", Step6, "redirect URIs", because),
			skipped(id+".scopes", Step6, "scopes", because)}
	}
	createFix := M("fixCreateBrowserClient")
	if c.o.BrowserClientID == "" {
		return skipAll(line(id, Step6, "exists", Fail, M("browserClientEmpty"), createFix), M("because.browserClientEmpty"))
	}
	var oc *genesys.OAuthClient
	err := func() error {
		ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
		defer cancel()
		var err error
		oc, err = as.OAuthClients.Get(ctx, c.o.BrowserClientID)
		return err
	}()
	switch {
	case errors.Is(err, genesys.ErrForbidden):
		detail, fix := M("oauthSkippedClient"), M("fixOAuthViewClient")
		if asAdmin {
			detail, fix = M("oauthSkippedYou"), M("fixOAuthViewYou")
		}
		return skipAll(line(id, Step6, "exists", Warn, detail, fix), M("because.oauthUnreadable"))
	case errors.Is(err, genesys.ErrNotFound):
		return skipAll(line(id, Step6, "exists", Fail, M("browserClientNotFound", "id", c.o.BrowserClientID), createFix),
			M("because.oauthMissing"))
	case err != nil:
		return skipAll(lineErr(id, Step6, "exists", Fail, M("browserClientReadError"), err, forbiddenFix(err, none)),
			M("because.oauthUnreadable"))
	}
	out := []Line{}
	if oc.State != "" && !strings.EqualFold(oc.State, "active") {
		out = append(out, line(id, Step6, "exists", Fail, M("browserClientInactive", "name", oc.Name, "state", oc.State), M("fixActivateClient")))
	} else {
		out = append(out, line(id, Step6, "exists", Pass, M("browserClientFound", "name", oc.Name), none))
	}
	return append(out, c.grantLine(oc), c.redirectLine(oc), c.scopeLine(oc))
}

func (c *Checker) grantLine(oc *genesys.OAuthClient) Line {
	const id, check = "genesys.browserClient.grant", "grant type"
	implicitCfg := strings.EqualFold(c.o.BrowserGrant, "implicit")
	migrate := M("fixMigratePKCE")
	switch oc.AuthorizedGrantType {
	case "CODE":
		if implicitCfg {
			return line(id, Step6, check, Fail, M("grantCodeButImplicit"), M("fixSetPKCE"))
		}
		return line(id, Step6, check, Pass, M("grantPKCE"), none)
	case "TOKEN":
		if !implicitCfg {
			return line(id, Step6, check, Fail, M("grantTokenButPKCE"), M("fixMigratePKCEOrWait"))
		}
		if !c.o.Now().Before(implicitRetirement) {
			return line(id, Step6, check, Fail, M("grantImplicitRetired"), migrate)
		}
		return line(id, Step6, check, Warn, M("grantImplicitRetiring"), migrate)
	}
	return line(id, Step6, check, Fail, M("grantUnusable", "grant", oc.AuthorizedGrantType), migrate)
}

func (c *Checker) redirectLine(oc *genesys.OAuthClient) Line {
	const id, check = "genesys.browserClient.redirectURIs", "redirect URIs"
	var missing []string
	for _, u := range PageURLs(c.o.PublicURL) {
		// Genesys matches redirect_uri exactly, query included (docs/upstreams.md).
		if !slices.Contains(oc.RegisteredRedirectURI, u) {
			missing = append(missing, u)
		}
	}
	if len(missing) > 0 {
		return line(id, Step6, check, Fail, M("redirectsMissing", "uris", strings.Join(missing, ", ")),
			M("fixAddRedirects", "client", oc.Name, "list", strings.Join(missing, " ")))
	}
	return line(id, Step6, check, Pass, M("redirectsOK"), none)
}

func (c *Checker) scopeLine(oc *genesys.OAuthClient) Line {
	const id, check = "genesys.browserClient.scopes", "scopes"
	if len(oc.Scope) == 0 {
		return line(id, Step6, check, Pass, M("scopesUnlimited"), none)
	}
	var missing, optional []Msg
	for _, need := range scopeNeeds {
		if slices.ContainsFunc(need.any, func(s string) bool { return scopeCovers(oc.Scope, s) }) {
			continue
		}
		entry := M("scope."+need.why, "scope", need.any[0])
		if need.required {
			missing = append(missing, entry)
		} else {
			optional = append(optional, entry)
		}
	}
	fix := func(list []Msg) Msg { return M("fixAddScopes", "client", oc.Name, "scopes", list) }
	switch {
	case len(missing) > 0:
		return line(id, Step6, check, Fail, M("scopesMissing", "scopes", missing), fix(append(missing, optional...)))
	case len(optional) > 0:
		return line(id, Step6, check, Warn, M("scopesMissingOptional", "scopes", optional), fix(optional))
	}
	return line(id, Step6, check, Pass, M("scopesOK"), none)
}

// scopeCovers: "x" grants "x:readonly" too.
func scopeCovers(have []string, want string) bool {
	base := strings.TrimSuffix(want, ":readonly")
	return slices.ContainsFunc(have, func(h string) bool { return h == want || h == base })
}

func (c *Checker) installedChecks(ctx context.Context, as *genesys.Client, asAdmin bool) (*State, []Line) {
	ctx, cancel := context.WithTimeout(ctx, c.o.Timeout)
	defer cancel()
	st, err := c.o.Installer.Find(ctx, as)
	if err != nil {
		fix := forbiddenFix(err, M("fixIntegrationsView"))
		if asAdmin {
			fix = forbiddenFix(err, M("fixAskWizardPermissions"))
		}
		return nil, []Line{lineErr("genesys.premiumApp", Step5, "Premium App", Warn, M("premiumLookupFailed"), err, fix),
			skipped("genesys.installed", Step5, "connector apps", M("because.integrationsUnread")),
			skipped("genesys.serverRole", Step7, "server role", M("because.integrationsUnread")),
			skipped("genesys.serverGrant", Step7, "client's roles", M("because.integrationsUnread"))}
	}
	// The server role has its own line (Step 7): it is for the OAuth client, not the apps.
	apps := slices.DeleteFunc(slices.Clone(c.o.Installer.Kinds()), func(k string) bool { return k == KindServerRole })
	lines := []Line{premiumLine(st, c.o.Installer), installedLine(st, apps), serverRoleLine(st, c.o.Installer),
		c.serverGrantLine(ctx, as, st, asAdmin)}
	if c.o.Installer.o.Actions != nil {
		lines = append(lines, c.o.Installer.testActions(ctx, as, st))
	}
	return st, lines
}

func premiumLine(st *State, in *Installer) Line {
	const id, check = "genesys.premiumApp", "Premium App"
	if st.PremiumApp == nil {
		return line(id, Step5, check, Warn, M("premiumMissing", "url", in.WizardBase()), M("fixInstallPremium", "url", in.WizardURL()))
	}
	detail := M("premiumFound", "name", st.PremiumApp.Name, "id", st.PremiumApp.ID)
	if st.Recorded != nil {
		detail = M("premiumFoundRecorded", "name", st.PremiumApp.Name, "id", st.PremiumApp.ID, "at", st.Recorded.At)
	}
	return line(id, Step5, check, Pass, detail, none)
}

func installedLine(st *State, kinds []string) Line {
	const id, check = "genesys.installed", "connector apps"
	var missing, problems, have []Msg
	for _, k := range kinds {
		o := st.Object(k)
		switch {
		case o == nil:
			missing = append(missing, kindMsg(k))
		case o.ProblemMsg != nil:
			problems = append(problems, M("kindProblem", "kind", kindMsg(k), "problem", *o.ProblemMsg))
		default:
			have = append(have, kindMsg(k))
		}
	}
	switch {
	case len(problems) > 0:
		return line(id, Step5, check, Fail, M("appsProblems", "problems", problems), M("fixInstallUpdates"))
	case len(missing) == len(kinds):
		return line(id, Step5, check, Warn, M("appsNotInstalled"), M("fixRunInstall"))
	case len(missing) > 0:
		return line(id, Step5, check, Warn, M("appsMissing", "kinds", missing), M("fixInstallCreates"))
	}
	return line(id, Step5, check, Pass, M("appsInstalled", "kinds", have), none)
}

// shortDuration prints 24h rather than 24h0m0s.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Minute).String()
	return strings.TrimSuffix(strings.TrimSuffix(s, "0s"), "0m")
}
