package setup

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Msg is a sentence by code, so the wizard can say it in the administrator's
// language: the page looks up "setup.<Code>" in its text table (wizard.json)
// and fills in Params. `check` and logs use the English (String). A param
// is data (a URL, a name, a count), a Msg, or a []Msg (said one after
// another, "; " between them): never English prose of its own.
type Msg struct {
	Code   string         `json:"code"`
	Params map[string]any `json:"params,omitempty"`
}

// M makes a Msg from a code and key, value pairs.
func M(code string, kv ...any) Msg {
	m := Msg{Code: code}
	if len(kv) > 0 {
		m.Params = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Params[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// String is the English sentence. An unknown code says itself, so a
// missing text shows (and TestEveryMsgCodeIsKnown fails) instead of vanishing.
func (m Msg) String() string {
	s, ok := english[m.Code]
	if !ok {
		s = m.Code
	}
	for k, v := range m.Params {
		s = strings.ReplaceAll(s, "{"+k+"}", paramString(v))
	}
	return s
}

// IsZero reports an empty Msg (no fix, for instance).
func (m Msg) IsZero() bool { return m.Code == "" }

func paramString(v any) string {
	switch x := v.(type) {
	case Msg:
		return x.String()
	case []Msg:
		parts := make([]string, len(x))
		for i, p := range x {
			parts[i] = p.String()
		}
		return strings.Join(parts, "; ")
	}
	return fmt.Sprint(v)
}

// TextCodes lists every code a setup Msg can carry, sorted.
func TextCodes() []string { return slices.Sorted(maps.Keys(english)) }

// EnglishText is the English template of code ("" when unknown); the
// wizard's en-us table holds the same text (a test in cmd/dcmconnect).
func EnglishText(code string) string { return english[code] }

// english holds every sentence of the checker and the installer. The pages'
// tables (wizard.json "setup.<code>") translate these, with the same {params}.
var english = map[string]string{
	// Why a check did not run (param of notChecked).
	"notChecked":                  "not checked: {because}",
	"fixAbove":                    "fix the failing line above, then check again",
	"because.noCredentials":       "no client credentials configured",
	"because.noToken":             "no client-credentials token",
	"because.loginSilent":         "the Genesys Cloud login host did not answer",
	"because.browserClientEmpty":  "genesys.browserClientId is empty",
	"because.oauthUnreadable":     "the OAuth client could not be read",
	"because.oauthMissing":        "the OAuth client does not exist",
	"because.integrationsUnread":  "the integrations could not be read",
	"because.actionsNotInstalled": "the data actions are not installed",
	"because.systemUserLogin":     "the system user could not log in",
	"because.domainUnknown":       "the domain is unknown",
	"because.sjSilent":            "ServiceJourney did not answer",
	"because.sjNotAppBase":        "ServiceJourney did not answer as AppBase",
	"because.ruleFailed":          "{rule} failed",

	// Step 2 and 7: the client-credentials client.
	"answered":            "{url} answered",
	"noAnswer":            "no answer from {url}",
	"tokenGot":            "genesys.clientId got a token (valid {valid})",
	"credentialsEmpty":    "genesys.clientId or genesys.clientSecret is empty",
	"credentialsRefused":  "Genesys Cloud refused the client credentials",
	"noToken":             "no token",
	"fixCredentials":      "copy the Client ID and Client Secret of the Client Credentials OAuth client (Genesys Cloud: Admin > Integrations > OAuth) into genesys.clientId and genesys.clientSecret",
	"fixGrantCredentials": "make sure genesys.clientId names an OAuth client with the grant type Client Credentials, and copy its Client ID and Client Secret (Admin > Integrations > OAuth) into genesys.clientId and genesys.clientSecret",
	"fixEnvironment":      "check genesys.environment (e.g. mypurecloud.ie; or genesys.loginURL/apiURL when set) and that this host reaches login.<environment> and api.<environment> over HTTPS (proxy, firewall, DNS)",
	"usersFailed":         "listing users failed",
	"usersCount":          "{n} user(s) in the organization",
	"fixUsersRole":        "give the Client Credentials OAuth client a role with directory:user:view: the setup wizard's Install makes the server role and gives it to the client (step 7)",
	"conversationFailed":  "reading a conversation failed",
	"analyticsFailed":     "the analytics conversation query failed",
	"conversationsOK":     "conversations and analytics readable ({n} conversation(s) in the last hour)",
	"fixConversationRole": "give the Client Credentials OAuth client a role with conversation:communication:view and analytics:conversationDetail:view: the setup wizard's Install makes the server role and gives it to the client (step 7)",
	"fixTokenRefused":     "the token was refused: check genesys.clientId/clientSecret (step 7)",
	"fixGenesysUp":        "check that Genesys Cloud is available (status.mypurecloud.com) and run the check again",
	"fixGenesysUpThen":    "check that Genesys Cloud is available (status.mypurecloud.com) and run the check again; {then}",

	// Step 6: the browser OAuth client.
	"browserClientEmpty":     "genesys.browserClientId is empty",
	"fixCreateBrowserClient": "create it as the guide's step 6 says, but with the grant type Code Authorization (PKCE), and put its Client ID into genesys.browserClientId",
	"oauthSkippedClient":     "skipped: the Client Credentials OAuth client may not read OAuth clients (needs oauth:client:view)",
	"oauthSkippedYou":        "skipped: your Genesys Cloud account may not read OAuth clients (needs oauth:client:view)",
	"fixOAuthViewClient":     "run the setup wizard (the Premium App) signed in as an administrator, or give the Client Credentials client oauth:client:view",
	"fixOAuthViewYou":        "ask for a role with oauth:client:view and check again",
	"browserClientNotFound":  "no OAuth client \"{id}\" in this organization",
	"browserClientReadError": "reading the OAuth client failed",
	"browserClientInactive":  "OAuth client \"{name}\" is {state}",
	"fixActivateClient":      "activate it in Admin > Integrations > OAuth, or create a new one (step 6) and set genesys.browserClientId",
	"browserClientFound":     "OAuth client \"{name}\"",
	"grantCodeButImplicit":   "the client uses Code Authorization but genesys.browserGrant is implicit: sign-in is refused",
	"fixSetPKCE":             "set genesys.browserGrant: pkce",
	"grantPKCE":              "Code Authorization with PKCE",
	"grantTokenButPKCE":      "the client is an implicit-grant (Token) client but genesys.browserGrant is pkce: sign-in is refused",
	"fixMigratePKCEOrWait":   "create an OAuth client with the grant type Code Authorization (PKCE) with the same redirect URIs and scopes, put its Client ID into genesys.browserClientId and set genesys.browserGrant: pkce (or set genesys.browserGrant: implicit until then)",
	"fixMigratePKCE":         "create an OAuth client with the grant type Code Authorization (PKCE) with the same redirect URIs and scopes, put its Client ID into genesys.browserClientId and set genesys.browserGrant: pkce",
	"grantImplicitRetired":   "implicit grant (Token): Genesys Cloud retired it in March 2027",
	"grantImplicitRetiring":  "implicit grant (Token): new clients cannot choose it since March 2026 and it stops working by March 2027",
	"grantUnusable":          "grant type {grant} cannot sign a browser in",
	"redirectsMissing":       "missing: {uris}",
	"fixAddRedirects":        "add these Authorized redirect URIs to the OAuth client \"{client}\" (Admin > Integrations > OAuth): {list}",
	"redirectsOK":            "the agent, supervisor and wizard pages are registered",
	"scopesUnlimited":        "the client is not limited by scopes",
	"scopesMissing":          "missing: {scopes}",
	"scopesMissingOptional":  "missing (optional): {scopes}",
	"fixAddScopes":           "add to the Scope box of the OAuth client \"{client}\": {scopes}",
	"scopesOK":               "covers what the pages and the wizard need",
	"scope.identity":         "{scope} (every page: who is signed in)",
	"scope.dial":             "{scope} (agent page: click-to-dial)",
	"scope.apps":             "{scope} (wizard: install the apps)",
	"scope.group":            "{scope} (wizard: create the agents group)",
	"scope.permissions":      "{scope} (every page: the signed-in user's permissions; wizard: create the roles)",
	"scope.oauth":            "{scope} (wizard: check this OAuth client)",

	// Step 5: the Premium App, the connector apps and the data actions.
	"premiumLookupFailed":         "could not look for the Premium App",
	"fixIntegrationsView":         "give the account integrations:integration:view, authorization:role:view and access to groups, or run the setup wizard as an administrator",
	"fixAskWizardPermissions":     "ask for the permissions the wizard lists as missing",
	"premiumMissing":              "no Premium App whose Application URL opens {url}",
	"fixInstallPremium":           "install the ServiceJourney Connector Premium App (Admin > Integrations) and set its Application URL to {url}",
	"premiumFound":                "\"{name}\" ({id})",
	"premiumFoundRecorded":        "\"{name}\" ({id}), install recorded {at}",
	"appsProblems":                "{problems}",
	"kindProblem":                 "{kind}: {problem}",
	"fixInstallUpdates":           "open the setup wizard and run Install again: it updates the apps in place",
	"appsNotInstalled":            "not installed yet",
	"fixRunInstall":               "open the setup wizard (the Premium App) and run Install",
	"appsMissing":                 "missing: {kinds}",
	"fixInstallCreates":           "open the setup wizard and run Install again: it creates what is missing",
	"appsInstalled":               "{kinds}",
	"problem.opensElsewhere":      "opens {got} instead of {want}",
	"problem.disabled":            "disabled",
	"problem.noCredential":        "no credential",
	"problem.otherCredential":     "its credential is not actions.userName / actions.password",
	"problem.actionMissing":       "action \"{name}\" is not published",
	"problem.actionDiffers":       "action \"{name}\" differs from what this server publishes (URL, contract or timeout)",
	"problem.permissions":         "lacks {permissions}",
	"kind.group":                  "agents group",
	"kind.role":                   "agent role",
	"kind.serverRole":             "server role",
	"kind.interactionWidget":      "interaction widget",
	"kind.supervisorApp":          "supervisor app",
	"kind.dataActions":            "data actions",
	"actionsListFailed":           "could not list the data actions",
	"fixActionView":               "give the account integrations:action:view, or run the setup wizard as an administrator",
	"actionTestFailed":            "could not run the action test",
	"fixActionExecute":            "give the account integrations:action:execute, or run the setup wizard as an administrator",
	"action.notPublished":         "{name}: not published",
	"action.failedHTTP":           "{name}: HTTP {status}",
	"action.failed":               "{name}: failed",
	"actionsFailed":               "{failures}",
	"fixActionsReach":             "Genesys must reach {url} over https with actions.userName / actions.password: run Install again after changing them, and check that the server serves the actions (actions.password set)",
	"actionsAnswered":             "{names}: answered through Genesys",
	"warn.actionsNotSet":          "actions.password is not set: the data actions are not installed",
	"warn.notRecorded":            "no Premium App opens {url}: what was installed is not recorded (Uninstall still finds it by name)",
	"warn.serverRoleNotGiven":     "the server role {role} is made, but no OAuth client has it yet: give it to the Client Credentials OAuth client (Admin > Integrations > OAuth > Roles)",
	"warn.serverGrantForbidden":   "the server role {role} is made, but you may not change the OAuth client {client} (needs oauth:client:view and oauth:client:edit): give it the role yourself (Admin > Integrations > OAuth > {client} > Roles)",
	"warn.serverClientNotFound":   "the server role {role} is made, but there is no OAuth client {client} (genesys.clientId): give the role to the Client Credentials OAuth client the server uses",
	"warn.serverClientNotCC":      "the server role {role} is made, but the OAuth client {client} has the grant type {grant}, not Client Credentials: check genesys.clientId",
	"warn.serverUngrantForbidden": "you may not change the OAuth client {client} (needs oauth:client:edit): the role {role} is removed, so it loses it; give it another role",
	"warn.serverClientNoRoleLeft": "the role {role} was the only role of the OAuth client {client}: give it another role, or the server can no longer call Genesys Cloud",
	"warn.topicsUnread":           "could not read what the notification topics require (availabletopics): the server role has the permissions of the server's own calls only",
	"serverRoleOK":                "role {role} has every permission the server uses",
	"serverRoleMissing":           "there is no role {role}",
	"fixServerRoleInstall":        "run Install in the setup wizard: it creates the role {role} with the permissions the server uses and gives it to the Client Credentials OAuth client",
	"serverRoleLacks":             "role {role} lacks {permissions}",
	"fixServerRoleUpdate":         "run Install in the setup wizard again: it adds the missing permissions to {role}",
	"serverRoleLookupFailed":      "could not read the roles",
	"fixServerRoleView":           "give the account authorization:role:view, or run the setup wizard as an administrator",
	"serverGrantOK":               "OAuth client {client} holds every permission the server uses (roles: {roles})",
	"serverGrantLacks":            "OAuth client {client} lacks {permissions}",
	"serverGrantNone":             "OAuth client {client} has no role, so the server may call nothing that needs a permission",
	"fixServerGrant":              "run Install in the setup wizard: it gives {client} the role {role}; or give it yourself (Admin > Integrations > OAuth > {client} > Roles)",
	"serverGrantUnreadYou":        "skipped: your Genesys Cloud account may not read the Client Credentials OAuth client (needs oauth:client:view)",
	"serverClientMissing":         "no OAuth client \"{client}\" (genesys.clientId) in this organization",
	"serverClientReadError":       "reading the Client Credentials OAuth client failed",
	"serverGrantRolesUnread":      "could not read the roles of OAuth client {client}",

	// Steps 1, 3, 4 and 8: ServiceJourney.
	"domainUnknown":       "ServiceJourney does not know the domain \"{domain}\"",
	"fixDomain":           "set servicejourney.domain to the DOMAIN_CODE from the ServiceJourney URL (step 1), e.g. DCM_Production.tenant1",
	"domainRuns":          "domain \"{domain}\" runs rules",
	"domainUnconfirmed":   "no rule answered in domain \"{domain}\", so the domain could not be confirmed",
	"fixDomainRules":      "fix the rule lines below; check servicejourney.domain (DOMAIN_CODE, step 1)",
	"caseWorkerAskFailed": "could not ask the case-worker search",
	"fixGetUsersAbove":    "fix the GETUSERS line above, then check again",
	"caseWorkerMissing":   "the system user has no active Case Worker record, so the standard party and case searches return nothing (without an error)",
	"fixCaseWorker":       "in ServiceJourney, make the system user (servicejourney.systemUser) an active Case Worker with access to the case types agents work on",
	"caseWorkerOK":        "the system user is an active Case Worker",
	"systemUserLoggedIn":  "the system user logged in",
	"fixSJURL":            "check servicejourney.url (SJ_SERVER_ADDRESS, step 1) and that this host reaches it over HTTPS",
	"sjNotAppBase":        "{url} is not an AppBase server",
	"fixSJRoot":           "servicejourney.url must be the ServiceJourney server root (SJ_SERVER_ADDRESS, step 1), e.g. https://sj.example.com",
	"systemUserRefused":   "ServiceJourney refused the system user",
	"fixSystemUser":       "check servicejourney.systemUser and servicejourney.systemPassword (step 4: the dedicated system user, e.g. genesys_cloud_sysuser); the user must be active and hold the roles step 4 names",
	"ruleAcceptsNoKey":    "answers, but accepted a call without {key}, which the contract requires; it may have written an empty record",
	"fixRuleKey":          "make rule {rule} answer with an ERRORCODE when {key} is empty (README, rule contract), and look for an empty record it may have written",
	"ruleAnswers":         "answers ({n} row(s) for the probe)",
	"ruleNotFound":        "rule {rule} not found in domain {domain}; create it with this contract",
	"ruleNotFoundStock":   "rule {rule} not found in domain {domain}; this is a stock DCM rule: check the solution is a DCM solution, or use servicejourney.profile: connector; the contract",
	"fixMapRule":          "create rule {rule} in the ServiceJourney solution as the README's rule contract describes, or map {op} to an existing rule with servicejourney.rules.{op}",
	"ruleRejectedProbe":   "answers (rejected the probe without its key input, as it should)",
	"ruleError":           "the rule answered with an error",
	"fixRuleStudio":       "fix rule {rule} in AppBase Studio; its inputs and ITEMS columns are in the README's rule contract",
	"ruleTimeout":         "no answer in time",
	"fixRuleFaster":       "make the rule answer faster, or raise servicejourney.timeout",
	"ruleAuth":            "ServiceJourney rejected the system user's token",
	"fixSystemUserRoles":  "give the system user the roles step 4 names (Solution Access for this solution)",
	"ruleCallFailed":      "the call failed",
	"fixRuleLogs":         "check the rule in AppBase Studio and ServiceJourney's logs; create rule {rule} in the ServiceJourney solution as the README's rule contract describes, or map {op} to an existing rule with servicejourney.rules.{op}",
	"usersNone":           "{rule} returned no users, so the column could not be seen",
	"fixSeeUsers":         "make sure the system user may see ServiceJourney users, then check again",
	"userColumnMissing":   "{rule} rows have no PURECLOUD_USERID column, so users map by e-mail only",
	"fixAddUserField":     "for explicit mappings, add the field PureCloud_UserId (Varchar) to the user schema (System Setup Home > User Management > User Schema) and return it as PURECLOUD_USERID from {rule}",
	"fixExternalID":       "for explicit mappings, {rule} must return the case workers' external id as EXTERNALID (or map another column: servicejourney.mappings GETUSERS.column.PURECLOUD_USERID)",
	"userColumnPresent":   "present; {set} of {n} user(s) read have an explicit Genesys Cloud mapping (the others map by e-mail)",

	// Steps 9-11: our public URL and ServiceJourney's pages.
	"pageInvalid":           "the page setting is not valid",
	"fixPageSetting":        "fix servicejourney.pages.{key}",
	"pageNoAnswer":          "no answer from the page",
	"fixSJReach":            "check servicejourney.url and that this host reaches it",
	"pageHTTP":              "{path} answers HTTP {status}",
	"pageHTTPSignIn":        "{path} answers HTTP {status} (a page behind a sign-in may do that)",
	"fixPage":               "set servicejourney.pages.{key} to a page the solution has (a URL template, README \"Rule contract\"), or remove it for the stock DCM page",
	"pageAnswers":           "{path} answers",
	"publicURLNotAbsolute":  "server.publicURL \"{url}\" is not an absolute URL",
	"fixPublicURLSet":       "set server.publicURL to the https address browsers use, e.g. https://sj.example.com",
	"fixPublicURLReach":     "make {url} reach dcmconnect from browsers (DNS, TLS certificate, and a reverse proxy that forwards /dcm-connect-docs/ and /dcm-connect-service/), or correct server.publicURL",
	"publicURLNotDCM":       "{url} answered HTTP {status}, not dcmconnect's GetConfig",
	"publicURLOther":        "the dcmconnect answering at {url} is configured for {other}",
	"fixSamePublicURL":      "give every dcmconnect instance the same server.publicURL, and point it at the address browsers use",
	"publicURLNoPages":      "{url}/dcm-connect-docs/ does not serve the pages",
	"publicURLHTTPS":        "{url} serves the pages and the service over HTTPS",
	"publicURLLoopback":     "{url} answers, but over plain http on loopback (fine for the demo only)",
	"publicURLPlainHTTP":    "{url} answers over plain http",
	"fixHTTPS":              "serve dcmconnect over HTTPS (a TLS-terminating proxy in front) and set server.publicURL to the https address: Genesys Cloud embeds only https pages",
	"sjURLInvalid":          "servicejourney.url is not a URL",
	"fixSJURLSet":           "set servicejourney.url (SJ_SERVER_ADDRESS)",
	"framingRefused":        "{path} ({reason}) refuses framing by {origins}",
	"framingWarn":           "{path}: {warning}",
	"framingOK":             "{path}: {reason}",
	"fixFraming":            "let ServiceJourney be framed by {origins}: set AppBaseIframeEmbeddedModeEnabled to true (step 10) and allow these origins in Company Setup > Security Settings (step 11), so its pages send Content-Security-Policy: frame-ancestors 'self' {list}",
	"framing.csp":           "Content-Security-Policy frame-ancestors",
	"framing.cspAllows":     "Content-Security-Policy frame-ancestors allows {origins}",
	"framing.xfoDeny":       "X-Frame-Options: DENY",
	"framing.xfoSameOrigin": "X-Frame-Options: SAMEORIGIN",
	"framing.none":          "no framing restriction",
	"framing.allowFrom":     "X-Frame-Options: ALLOW-FROM is ignored by current browsers; framing is allowed now, but send CSP frame-ancestors instead",
	"framing.xfoInvalid":    "X-Frame-Options \"{value}\" is not a valid value (browsers ignore it)",
}
