// Package config reads dcmconnect's one configuration file (YAML), applies
// DCM_* environment overrides and *_FILE secrets, accepts the old install's
// names (Web.config appSettings, config.js placeholders) as aliases, and
// validates everything at once so an administrator sees every mistake in one run.
//
// Each runtime package owns its own Options struct; cmd/dcmconnect maps this
// Config onto them. This package only knows the file format.
package config

import "time"

// Config is the whole file. YAML keys are the lowerCamel field names given in
// the yaml tags; env overrides are DCM_<SECTION>_<KEY> (see env.go).
type Config struct {
	Server         Server         `yaml:"server"`
	Genesys        Genesys        `yaml:"genesys"`
	ServiceJourney ServiceJourney `yaml:"servicejourney"`
	UserMap        UserMap        `yaml:"usermap"`
	Interactions   Interactions   `yaml:"interactions"`
	Events         Events         `yaml:"events"`
	Actions        Actions        `yaml:"actions"`
}

// Actions configures the endpoints Genesys web-services data actions call
// (an IVR looks up the caller's party and case). Off until password is set.
type Actions struct {
	// UserName and Password are the Basic credential the installer stores in
	// the data-action integration's credential.
	UserName string `yaml:"userName"`
	Password string `yaml:"password" secret:"true"`
	// Budget bounds one answer (504 past it), below server.writeTimeout and
	// the actions' own timeout in Genesys (the installer sets it just above
	// the budget), so a slow ServiceJourney does not hold the org's
	// data-action concurrency.
	Budget time.Duration `yaml:"budget"`
	// RatePerSecond limits calls per credential (429 above it).
	RatePerSecond int `yaml:"ratePerSecond"`
}

// ActionsEnabled reports whether the data-action endpoints are served.
func (c *Config) ActionsEnabled() bool { return c.Actions.Password != "" }

// Server is the HTTP side of dcmconnect.
type Server struct {
	// Listen is the address to bind, e.g. ":8080" or "127.0.0.1:8080".
	Listen string `yaml:"listen"`
	// PublicURL is the https base URL at which browsers reach this server,
	// e.g. https://sj.example.com (pages live under /dcm-connect-docs/).
	// Old names: @REDIRECT_URI@, @GENESYS_INTEGRATION_URL@, @WIZARD_URL@, DCM_EndPoint.
	PublicURL string `yaml:"publicURL"`
	// FrameAncestors are origins allowed to frame our pages in addition to
	// https://apps.<genesys environment>.
	FrameAncestors []string `yaml:"frameAncestors"`
	// CORSOrigins are the exact origins allowed to call /dcm-connect-service/
	// cross-origin. Never "*".
	CORSOrigins     []string      `yaml:"corsOrigins"`
	ReadTimeout     time.Duration `yaml:"readTimeout"`
	WriteTimeout    time.Duration `yaml:"writeTimeout"`
	IdleTimeout     time.Duration `yaml:"idleTimeout"`
	ShutdownTimeout time.Duration `yaml:"shutdownTimeout"`
	// MaxBodyBytes caps request bodies; larger ones get 413.
	MaxBodyBytes int64 `yaml:"maxBodyBytes"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"logLevel"`
	// MetricsListen, when set, moves /metrics off Listen to its own address
	// (e.g. "127.0.0.1:9090"), so scrapes need not pass the public proxy.
	MetricsListen string `yaml:"metricsListen"`
	// TrustedProxies are the addresses or CIDRs of reverse proxies whose
	// X-Forwarded-For names the client (logs, the failed-sign-in limit).
	// Unset: loopback only; an empty list: none.
	TrustedProxies []string `yaml:"trustedProxies"`
}

// Genesys is the Genesys Cloud side.
type Genesys struct {
	// Environment is what the admin pasted: "mypurecloud.ie", a region key
	// such as "eu_west_1", or any URL on the environment
	// ("https://apps.mypurecloud.ie/directory/", "https://login.usw2.pure.cloud").
	// After Load it holds the bare environment domain, e.g. "mypurecloud.ie".
	Environment string `yaml:"environment"`
	// APIURL and LoginURL override https://api.<env> and https://login.<env>
	// (tests, the demo, egress proxies).
	APIURL   string `yaml:"apiURL"`
	LoginURL string `yaml:"loginURL"`
	// ClientID / ClientSecret: the client-credentials OAuth client (install step 7).
	ClientID     string `yaml:"clientId"`
	ClientSecret string `yaml:"clientSecret" secret:"true"`
	// BrowserClientID: the OAuth client the pages log in with (install step 6).
	BrowserClientID string `yaml:"browserClientId"`
	// BrowserGrant is "pkce" (default) or "implicit" (old clients only; the
	// implicit grant stops working by March 2027).
	BrowserGrant string `yaml:"browserGrant"`
	// RequestsPerMinute is the client-side rate limit per token (platform limit 300).
	RequestsPerMinute int           `yaml:"requestsPerMinute"`
	Timeout           time.Duration `yaml:"timeout"`
	// TokenRefreshMargin: refresh the client-credentials token this long before it expires.
	TokenRefreshMargin time.Duration `yaml:"tokenRefreshMargin"`
	// RetryAfterCap: a 429 whose Retry-After exceeds this fails fast.
	RetryAfterCap time.Duration `yaml:"retryAfterCap"`
}

// ServiceJourney is the AppBase side.
type ServiceJourney struct {
	// URL is the ServiceJourney server base URL (SJ_SERVER_ADDRESS, @SOLUTION_URL@).
	URL string `yaml:"url"`
	// Domain is the app domain, <Solution>_<Env>.tenant<N> (DOMAIN_CODE, DCM_BaseDomain).
	Domain string `yaml:"domain"`
	// SystemDomain is config.tenant<N> (DCM_TokenSystemDomain).
	SystemDomain   string `yaml:"systemDomain"`
	SystemUser     string `yaml:"systemUser"`
	SystemPassword string `yaml:"systemPassword" secret:"true"`
	// Profile is "standard" (default: the stock DCM rules where one exists,
	// custom rules only for the interaction upsert, sync state and mapping
	// write-back) or "connector" (one custom rule per operation, as the old
	// connector's installs built them). README, "Rule contract".
	Profile string `yaml:"profile"`
	// IntegrationCode prefixes custom rule names: <code>_<OPERATION>
	// (@INTEGRATION_CODE@). With the default ROOT_GENESYS the old
	// ROOT_GENESYS_INTEGRATION_<OPERATION> rules are still found.
	IntegrationCode string `yaml:"integrationCode"`
	// Rules overrides single rule names, keyed by operation (GETUSERS, ...).
	Rules map[string]string `yaml:"rules"`
	// Mappings map an operation onto a rule with other names:
	// <OP>.rule, <OP>.cursor, <OP>.input.<NAME>, <OP>.column.<NAME>,
	// <OP>.constant.<INPUT>, e.g. FINDPARTIES.input.PHONE: Phone.
	Mappings map[string]string `yaml:"mappings"`
	// DateFormat is how dates are sent to rules, in AppBase's notation;
	// default yyyy-mm-ddThh24:mi:ss (standard), yyyy-mm-ddThh24:mi:ss.ff3Z (connector).
	DateFormat string `yaml:"dateFormat"`
	// LoginMethod is "post" (default, form POST) or "get" (puts the password in IIS logs).
	LoginMethod string `yaml:"loginMethod"`
	// RuleAllowlist names the rules pages may run through ExecuteRule.
	RuleAllowlist []string      `yaml:"ruleAllowlist"`
	Timeout       time.Duration `yaml:"timeout"`
	// Pages are the pages the agent page opens (templates or page codes).
	Pages Pages `yaml:"pages"`
}

// Pages are the screen-pop targets: URL templates, a path under
// servicejourney.url or a full URL, with the placeholders {domain}, {appId},
// {partyId}, {caseId}, {caseNumber}, {phone}, {email}, {conversationId}
// (every value escaped); or, as before, a bare Ecx.Web page code.
type Pages struct {
	Party   string `yaml:"party"`
	Case    string `yaml:"case"`
	NewCase string `yaml:"newCase"`
	// Resolve asks the stock page rules (root_DCM_getCaseDetailPage,
	// root_DCM_getEPDetailPage: PAGECODE + CUR_PARAMS) for each match's
	// page, so a page configured per case or party type opens; the template
	// is the fallback. Off by default: one more rule call per match.
	Resolve bool `yaml:"resolve"`
	// AppID is the appid query parameter of Ecx.Web URLs.
	AppID string `yaml:"appId"`
}

// UserMap configures the user sync job.
type UserMap struct {
	SyncInterval time.Duration `yaml:"syncInterval"`
	// WriteBack stores email matches as explicit PureCloud_UserId mappings.
	WriteBack bool `yaml:"writeBack"`
	// SupervisorPermissions: a verified Genesys user holding any of these is a supervisor.
	SupervisorPermissions []string `yaml:"supervisorPermissions"`
	// SupervisorGroups: a verified Genesys user in any of these groups (by
	// group id or name) is a supervisor too.
	SupervisorGroups []string `yaml:"supervisorGroups"`
	// InProcess runs the job inside serve; off when a CronJob runs `dcmconnect sync users`.
	InProcess *bool `yaml:"inProcess"`
	// SupervisorRefresh is how often the supervisor page refreshes agents'
	// presence and upstream health. All supervisors share one upstream query
	// per interval (today's interactions: at most once a minute).
	SupervisorRefresh time.Duration `yaml:"supervisorRefresh"`
}

// Interactions configures screen pop and the interaction sync job.
type Interactions struct {
	SyncInterval time.Duration `yaml:"syncInterval"`
	// InitialLookback is how far back the first sync run reaches.
	InitialLookback time.Duration `yaml:"initialLookback"`
	// SyncLag: each sync run queries again this much before the watermark,
	// so conversations analytics shows late are still logged (and counted).
	SyncLag time.Duration `yaml:"syncLag"`
	// SyncWriters is how many conversations the sync job logs at once
	// (each one or two ServiceJourney calls); at most MaxSyncWriters.
	SyncWriters int `yaml:"syncWriters"`
	// MaxOpenAge: a conversation still open this long after it started is
	// logged as it stands and no longer waited for (Genesys leaves some
	// without an end; they must not hold the sync back for ever).
	MaxOpenAge time.Duration `yaml:"maxOpenAge"`
	// WrapupGrace is how long an ended conversation's record waits for its
	// agents' wrap-up codes (after-call work) before it is logged as final
	// without them.
	WrapupGrace time.Duration `yaml:"wrapupGrace"`
	// DefaultCountry (ISO 3166 alpha-2) for numbers without a country code.
	DefaultCountry   string `yaml:"defaultCountry"`
	CaseIDAttribute  string `yaml:"caseIdAttribute"`
	PartyIDAttribute string `yaml:"partyIdAttribute"`
	InProcess        *bool  `yaml:"inProcess"`
	// Fields map further UPSERTINTERACTION inputs: rule input -> source
	// (attr:<participant data>, a conversation field, const:<text>, off).
	Fields map[string]string `yaml:"fields"`
	// SummaryWait is how long after a wrap-up the Genesys AI summary is
	// waited for (it appears seconds after after-call work starts).
	SummaryWait time.Duration `yaml:"summaryWait"`
}

// Events configures real-time capture from the Genesys Notifications API.
type Events struct {
	// Enabled turns the event listener on (default false).
	Enabled bool `yaml:"enabled"`
	// Topics is queues, users (the mapped agents) or both.
	Topics string `yaml:"topics"`
	// QueueIDs are the queues listened to with topics queues or both.
	QueueIDs []string    `yaml:"queueIds"`
	Leader   EventLeader `yaml:"leader"`
}

// EventLeader chooses how one replica at a time is picked to listen.
type EventLeader struct {
	// Mode is inprocess (this process listens) or kubernetes (the holder of a Lease).
	Mode string `yaml:"mode"`
	// LeaseName and LeaseNamespace name the Lease (namespace default: the pod's).
	LeaseName      string `yaml:"leaseName"`
	LeaseNamespace string `yaml:"leaseNamespace"`
}
