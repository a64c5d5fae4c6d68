package setup

import (
	"context"
	"errors"
	"fmt"
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
	why      string
	required bool
}{
	{[]string{"user-basic-info", "users:readonly"}, "every page: who is signed in", true},
	{[]string{"conversations"}, "agent page: click-to-dial", true},
	{[]string{"integrations"}, "wizard: install the apps", true},
	{[]string{"groups"}, "wizard: create the agents group", true},
	{[]string{"authorization"}, "every page: the signed-in user's permissions; wizard: create the role", true},
	{[]string{"oauth:readonly"}, "wizard: check this OAuth client", false},
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
		add(skipped("genesys.users", Step7, "read users", "no client-credentials token"),
			skipped("genesys.conversations", Step7, "read conversations", "no client-credentials token"))
	} else {
		add(c.step(ctx, c.checkUsers), c.step(ctx, c.checkConversations))
	}
	as := admin
	if as == nil {
		if !tokenOK {
			add(skipped("genesys.browserClient", Step6, "exists", "no client-credentials token"))
			if c.o.Installer != nil {
				add(skipped("genesys.premiumApp", Step5, "Premium App", "no client-credentials token"),
					skipped("genesys.installed", Step5, "connector apps", "no client-credentials token"))
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
	const credFix = "copy the Client ID and Client Secret of the Client Credentials OAuth client (Genesys Cloud: Admin > Integrations > OAuth) into genesys.clientId and genesys.clientSecret"
	tok, err := c.o.Genesys.Tokens.ClientCredentials(ctx)
	switch {
	case err == nil:
		add(line("genesys.reachable", Step2, "login host answers", Pass, login+" answered", ""),
			line("genesys.token", Step7, "token", Pass, fmt.Sprintf("genesys.clientId got a token (valid %s)", shortDuration(time.Duration(tok.ExpiresIn)*time.Second)), ""))
		return true
	case errors.Is(err, genesys.ErrNoClientCredentials):
		add(skipped("genesys.reachable", Step2, "login host answers", "no client credentials configured"),
			line("genesys.token", Step7, "token", Fail, "genesys.clientId or genesys.clientSecret is empty", credFix))
	case errors.Is(err, genesys.ErrUnreachable) || errors.Is(err, context.DeadlineExceeded):
		add(line("genesys.reachable", Step2, "login host answers", Fail, "no answer from "+login+": "+err.Error(),
			"check genesys.environment (e.g. mypurecloud.ie; or genesys.loginURL/apiURL when set) and that this host reaches login.<environment> and api.<environment> over HTTPS (proxy, firewall, DNS)"),
			skipped("genesys.token", Step7, "token", "the Genesys Cloud login host did not answer"))
	case errors.Is(err, genesys.ErrBadClientCredentials):
		add(line("genesys.reachable", Step2, "login host answers", Pass, login+" answered", ""),
			line("genesys.token", Step7, "token", Fail, "Genesys Cloud refused the client credentials: "+err.Error(), credFix))
	default:
		add(line("genesys.reachable", Step2, "login host answers", Pass, login+" answered", ""),
			line("genesys.token", Step7, "token", Fail, "no token: "+err.Error(),
				"make sure genesys.clientId names an OAuth client with the grant type Client Credentials; "+credFix))
	}
	return false
}

func (c *Checker) checkUsers(ctx context.Context) Line {
	const id, check = "genesys.users", "read users"
	p, err := c.o.Genesys.Users.List(ctx, &genesys.UserListOptions{PageSize: 1})
	if err != nil {
		return line(id, Step7, check, Fail, "listing users failed: "+err.Error(), forbiddenFix(err,
			"give the Client Credentials OAuth client a role with directory:user:view (the guide assigns Master Admin, step 7)"))
	}
	return line(id, Step7, check, Pass, fmt.Sprintf("%d user(s) in the organization", max(p.Total, len(p.Entities))), "")
}

// checkConversations reads what screen pop and the interaction sync read: one
// conversation by id (404 = allowed, nothing there) and one page of analytics.
func (c *Checker) checkConversations(ctx context.Context) Line {
	const id, check = "genesys.conversations", "read conversations"
	const fix = "give the Client Credentials OAuth client a role with conversation:communication:view and analytics:conversationDetail:view (the guide assigns Master Admin, step 7)"
	if _, err := c.o.Genesys.Conversations.Get(ctx, probeConversationID); err != nil && !errors.Is(err, genesys.ErrNotFound) {
		return line(id, Step7, check, Fail, "reading a conversation failed: "+err.Error(), forbiddenFix(err, fix))
	}
	now := c.o.Now().UTC()
	q := &genesys.ConversationQuery{
		Interval: now.Add(-time.Hour).Format("2006-01-02T15:04:05.000Z") + "/" + now.Format("2006-01-02T15:04:05.000Z"),
		Paging:   &genesys.PagingSpec{PageSize: 1, PageNumber: 1},
	}
	res, err := c.o.Genesys.Analytics.QueryConversationDetails(ctx, q)
	if err != nil {
		return line(id, Step7, check, Fail, "the analytics conversation query failed: "+err.Error(), forbiddenFix(err, fix))
	}
	return line(id, Step7, check, Pass, fmt.Sprintf("conversations and analytics readable (%d conversation(s) in the last hour)", res.TotalHits), "")
}

// forbiddenFix gives fix for a 403 and a generic hint otherwise.
func forbiddenFix(err error, fix string) string {
	if errors.Is(err, genesys.ErrForbidden) {
		return fix
	}
	if errors.Is(err, genesys.ErrUnauthorized) {
		return "the token was refused: check genesys.clientId/clientSecret (step 7)"
	}
	return "check that Genesys Cloud is available (status.mypurecloud.com) and run the check again; " + fix
}

func (c *Checker) browserClientChecks(ctx context.Context, as *genesys.Client, asAdmin bool) []Line {
	const id = "genesys.browserClient"
	skipAll := func(first Line, because string) []Line {
		return []Line{first,
			skipped(id+".grant", Step6, "grant type", because),
			skipped(id+".redirectURIs", Step6, "redirect URIs", because),
			skipped(id+".scopes", Step6, "scopes", because)}
	}
	createFix := "create it as the guide's step 6 says, but with the grant type Code Authorization (PKCE), and put its Client ID into genesys.browserClientId"
	if c.o.BrowserClientID == "" {
		return skipAll(line(id, Step6, "exists", Fail, "genesys.browserClientId is empty", createFix), "genesys.browserClientId is empty")
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
		who, fix := "the Client Credentials OAuth client", "run the setup wizard (the Premium App) signed in as an administrator, or give the Client Credentials client oauth:client:view"
		if asAdmin {
			who, fix = "your Genesys Cloud account", "ask for a role with oauth:client:view and check again"
		}
		return skipAll(line(id, Step6, "exists", Warn, "skipped: "+who+" may not read OAuth clients (needs oauth:client:view)", fix),
			"the OAuth client could not be read")
	case errors.Is(err, genesys.ErrNotFound):
		return skipAll(line(id, Step6, "exists", Fail, fmt.Sprintf("no OAuth client %q in this organization", c.o.BrowserClientID), createFix),
			"the OAuth client does not exist")
	case err != nil:
		return skipAll(line(id, Step6, "exists", Fail, "reading the OAuth client failed: "+err.Error(), forbiddenFix(err, "")),
			"the OAuth client could not be read")
	}
	out := []Line{}
	if oc.State != "" && !strings.EqualFold(oc.State, "active") {
		out = append(out, line(id, Step6, "exists", Fail, fmt.Sprintf("OAuth client %q is %s", oc.Name, oc.State),
			"activate it in Admin > Integrations > OAuth, or create a new one (step 6) and set genesys.browserClientId"))
	} else {
		out = append(out, line(id, Step6, "exists", Pass, fmt.Sprintf("OAuth client %q", oc.Name), ""))
	}
	return append(out, c.grantLine(oc), c.redirectLine(oc), c.scopeLine(oc))
}

func (c *Checker) grantLine(oc *genesys.OAuthClient) Line {
	const id, check = "genesys.browserClient.grant", "grant type"
	implicitCfg := strings.EqualFold(c.o.BrowserGrant, "implicit")
	migrate := "create an OAuth client with the grant type Code Authorization (PKCE) with the same redirect URIs and scopes, put its Client ID into genesys.browserClientId and set genesys.browserGrant: pkce"
	switch oc.AuthorizedGrantType {
	case "CODE":
		if implicitCfg {
			return line(id, Step6, check, Fail, "the client uses Code Authorization but genesys.browserGrant is implicit: sign-in is refused",
				"set genesys.browserGrant: pkce")
		}
		return line(id, Step6, check, Pass, "Code Authorization with PKCE", "")
	case "TOKEN":
		if !implicitCfg {
			return line(id, Step6, check, Fail, "the client is an implicit-grant (Token) client but genesys.browserGrant is pkce: sign-in is refused",
				migrate+" (or set genesys.browserGrant: implicit until then)")
		}
		if !c.o.Now().Before(implicitRetirement) {
			return line(id, Step6, check, Fail, "implicit grant (Token): Genesys Cloud retired it in March 2027", migrate)
		}
		return line(id, Step6, check, Warn, "implicit grant (Token): new clients cannot choose it since March 2026 and it stops working by March 2027", migrate)
	}
	return line(id, Step6, check, Fail, fmt.Sprintf("grant type %s cannot sign a browser in", oc.AuthorizedGrantType), migrate)
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
		return line(id, Step6, check, Fail, "missing: "+strings.Join(missing, ", "),
			fmt.Sprintf("add these Authorized redirect URIs to the OAuth client %q (Admin > Integrations > OAuth): %s", oc.Name, strings.Join(missing, " ")))
	}
	return line(id, Step6, check, Pass, "the agent, supervisor and wizard pages are registered", "")
}

func (c *Checker) scopeLine(oc *genesys.OAuthClient) Line {
	const id, check = "genesys.browserClient.scopes", "scopes"
	if len(oc.Scope) == 0 {
		return line(id, Step6, check, Pass, "the client is not limited by scopes", "")
	}
	var missing, optional []string
	for _, need := range scopeNeeds {
		if slices.ContainsFunc(need.any, func(s string) bool { return scopeCovers(oc.Scope, s) }) {
			continue
		}
		entry := need.any[0] + " (" + need.why + ")"
		if need.required {
			missing = append(missing, entry)
		} else {
			optional = append(optional, entry)
		}
	}
	fix := func(list []string) string {
		return fmt.Sprintf("add to the Scope box of the OAuth client %q: %s", oc.Name, strings.Join(list, "; "))
	}
	switch {
	case len(missing) > 0:
		return line(id, Step6, check, Fail, "missing: "+strings.Join(missing, "; "), fix(append(missing, optional...)))
	case len(optional) > 0:
		return line(id, Step6, check, Warn, "missing (optional): "+strings.Join(optional, "; "), fix(optional))
	}
	return line(id, Step6, check, Pass, "covers what the pages and the wizard need", "")
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
		fix := forbiddenFix(err, "give the account integrations:integration:view, authorization:role:view and access to groups, or run the setup wizard as an administrator")
		if asAdmin {
			fix = forbiddenFix(err, "ask for the permissions the wizard lists as missing")
		}
		return nil, []Line{line("genesys.premiumApp", Step5, "Premium App", Warn, "could not look for the Premium App: "+err.Error(), fix),
			skipped("genesys.installed", Step5, "connector apps", "the integrations could not be read")}
	}
	lines := []Line{premiumLine(st, c.o.Installer), installedLine(st, c.o.Installer.Kinds())}
	if c.o.Installer.o.Actions != nil {
		lines = append(lines, c.o.Installer.testActions(ctx, as, st))
	}
	return st, lines
}

func premiumLine(st *State, in *Installer) Line {
	const id, check = "genesys.premiumApp", "Premium App"
	if st.PremiumApp == nil {
		return line(id, Step5, check, Warn, "no Premium App whose Application URL opens "+in.WizardBase(),
			"install the ServiceJourney Connector Premium App (Admin > Integrations) and set its Application URL to "+in.WizardURL())
	}
	detail := fmt.Sprintf("%q (%s)", st.PremiumApp.Name, st.PremiumApp.ID)
	if st.Recorded != nil {
		detail += ", install recorded " + st.Recorded.At
	}
	return line(id, Step5, check, Pass, detail, "")
}

func installedLine(st *State, kinds []string) Line {
	const id, check = "genesys.installed", "connector apps"
	var missing, problems, have []string
	for _, k := range kinds {
		o := st.Object(k)
		switch {
		case o == nil:
			missing = append(missing, KindTitle(k))
		case o.Problem != "":
			problems = append(problems, KindTitle(k)+": "+o.Problem)
		default:
			have = append(have, KindTitle(k))
		}
	}
	switch {
	case len(problems) > 0:
		return line(id, Step5, check, Fail, strings.Join(problems, "; "), "open the setup wizard and run Install again: it updates the apps in place")
	case len(missing) == len(kinds):
		return line(id, Step5, check, Warn, "not installed yet", "open the setup wizard (the Premium App) and run Install")
	case len(missing) > 0:
		return line(id, Step5, check, Warn, "missing: "+strings.Join(missing, ", "), "open the setup wizard and run Install again: it creates what is missing")
	}
	return line(id, Step5, check, Pass, strings.Join(have, ", "), "")
}

// shortDuration prints 24h rather than 24h0m0s.
func shortDuration(d time.Duration) string {
	s := d.Round(time.Minute).String()
	return strings.TrimSuffix(strings.TrimSuffix(s, "0s"), "0m")
}
