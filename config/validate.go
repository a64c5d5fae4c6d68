package config

import (
	"fmt"
	"net"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// required keys: without them dcmconnect cannot reach either system.
var required = []string{
	"genesys.environment", "genesys.clientId", "genesys.clientSecret", "genesys.browserClientId",
	"servicejourney.url", "servicejourney.domain", "servicejourney.systemUser", "servicejourney.systemPassword",
	"server.publicURL",
}

// operations are the rule operations of the AppBase rule contract (DESIGN §4);
// servicejourney.rules may override the rule name of any of them.
var operations = []string{"GETUSERS", "SETUSERMAPPING", "FINDPARTIES", "FINDCASES", "UPSERTINTERACTION", "GETSYNCSTATE", "SETSYNCSTATE"}

// Validate checks an already-built Config (Load does this itself).
func (c *Config) Validate() *Problems {
	return validate(c, nil, nil)
}

type checker struct {
	c      *Config
	ps     *Problems
	origin map[string]string
	bad    map[string]bool // keys already reported (a placeholder), skipped by later checks
}

// validate checks c; origin says where values came from, and keys in
// reported were already reported while reading and are not checked again.
func validate(c *Config, origin map[string]string, reported map[string]bool) *Problems {
	v := &checker{c: c, ps: &Problems{}, origin: origin, bad: map[string]bool{}}
	for k := range reported {
		v.bad[k] = true
	}
	v.placeholders()
	v.required()
	v.environment()
	v.urls()
	v.domains()
	v.genesys()
	v.server()
	v.numbers()
	v.lists()
	v.country()
	v.events()
	v.actions()
	v.interactionFields()
	return v.ps
}

// at says where a key's value came from, for messages: " (line 12)".
func (v *checker) at(key string) string {
	if o := v.origin[key]; o != "" {
		return " (" + o + ")"
	}
	return ""
}

func (v *checker) errf(key, fix, format string, args ...any) {
	v.ps.add(key, fix, "%s%s", fmt.Sprintf(format, args...), v.at(key))
}

func (v *checker) warnf(key, fix, format string, args ...any) {
	v.ps.warn(key, fix, "%s%s", fmt.Sprintf(format, args...), v.at(key))
}

func (v *checker) str(key string) string {
	s, _ := v.c.Get(key)
	return s
}

func (v *checker) placeholders() {
	for _, f := range fields {
		val := v.c.value(f)
		var texts []string
		switch val.Kind() {
		case reflect.String:
			texts = []string{val.String()}
		case reflect.Slice:
			texts = val.Interface().([]string)
		case reflect.Map:
			for _, k := range val.MapKeys() {
				texts = append(texts, val.MapIndex(k).String())
			}
		}
		for _, t := range texts {
			if ph := Placeholder(t); ph != "" {
				if f.secret {
					v.errf(f.path, "replace the placeholder with the real secret", "still a placeholder")
				} else {
					v.errf(f.path, placeholderFix(ph), "still a placeholder (%s)", ph)
				}
				v.bad[f.path] = true
				break
			}
		}
	}
}

func (v *checker) required() {
	for _, key := range required {
		if v.bad[key] || strings.TrimSpace(v.str(key)) != "" {
			continue
		}
		fix := fmt.Sprintf("set %s in the file or the environment variable %s", key, EnvName(key))
		if IsSecret(key) {
			fix = fmt.Sprintf("set %s_FILE to a file holding only the secret (or %s, or %s in the file)", EnvName(key), EnvName(key), key)
		}
		if old := aliasesFor(key); len(old) > 0 {
			fix += "; the old install called it " + strings.Join(old, " / ")
		}
		v.errf(key, fix, "missing")
		v.bad[key] = true
	}
}

func (v *checker) environment() {
	const key = "genesys.environment"
	raw := v.c.Genesys.Environment
	if v.bad[key] {
		return
	}
	if _, err := Environment(raw); err != nil {
		ee := err.(*EnvironmentError)
		fix := AcceptedEnvironmentForms()
		if ee.Suggestion != "" {
			fix = "did you mean " + ee.Suggestion + "? Otherwise " + fix
		}
		v.errf(key, fix, "unknown Genesys Cloud environment %q", shownURL(raw))
		v.bad[key] = true
	}
}

func isLoopback(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// baseURL checks an absolute http(s) base URL and returns it parsed, or nil
// after reporting the problem.
func (v *checker) baseURL(key string) *url.URL {
	raw := v.str(key)
	if raw == "" || v.bad[key] {
		return nil
	}
	const fix = "write it as an absolute URL such as https://host.example.com (optionally :port and a path)"
	u, err := url.Parse(raw)
	if err != nil {
		v.errf(key, fix, "not a valid URL")
		return nil
	}
	if u.User != nil {
		// Never echo: the userinfo may hold a password.
		v.errf(key, "remove the user name/password from the URL; credentials have their own keys", "must not contain credentials")
		return nil
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		v.errf(key, fix, "%q is not an absolute http(s) URL", shownURL(raw))
		return nil
	}
	if u.RawQuery != "" || u.Fragment != "" {
		v.errf(key, "remove everything from ? or #: use "+u.Scheme+"://"+u.Host+u.Path, "%q must be a base URL, without query or fragment", shownURL(raw))
		return nil
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			v.errf(key, fix, "%q has an invalid port", shownURL(raw))
			return nil
		}
	}
	return u
}

// shownURL is a URL-like value as a message may quote it: whatever could be
// credentials (user:password@, which url.Parse reads as an opaque part when
// the scheme is missing) and the query or fragment (tokens) are masked.
func shownURL(raw string) string {
	s := raw
	start := 0
	if scheme, _, ok := strings.Cut(s, "://"); ok {
		start = len(scheme) + 3
	}
	end := len(s)
	if j := strings.IndexAny(s[start:], "/?#"); j >= 0 {
		end = start + j
	}
	if k := strings.LastIndex(s[start:end], "@"); k >= 0 {
		s = s[:start] + "***@" + s[start+k+1:]
	}
	if q := strings.IndexAny(s, "?#"); q >= 0 && q+1 < len(s) {
		s = s[:q+1] + "***"
	}
	return s
}

func (v *checker) urls() {
	if u := v.baseURL("server.publicURL"); u != nil {
		if u.Scheme != "https" && !isLoopback(u.Hostname()) {
			v.warnf("server.publicURL", "serve dcmconnect over https (behind a TLS proxy) and use https"+strings.TrimPrefix(StripOldPath(u.String()), "http"),
				"%q is not https: Genesys Cloud frames the pages from https://apps.<env> and browsers block mixed content", u.String())
		}
		if base := StripOldPath(u.String()); base != u.String() {
			v.warnf("server.publicURL", "use "+base, "%q points into the old /dcm-connect-... paths; the key wants the server's base URL", u.String())
		}
	}
	if u := v.baseURL("servicejourney.url"); u != nil && u.Scheme != "https" && !isLoopback(u.Hostname()) {
		v.warnf("servicejourney.url", "use https so the system password is not sent in clear text",
			"%q is not https", u.String())
	}
	v.baseURL("genesys.apiURL")
	v.baseURL("genesys.loginURL")
}

var (
	domainRE       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_]*\.(?i:tenant)[0-9]+$`)
	tenantPartRE   = regexp.MustCompile(`(?i)\.tenant([0-9]+)(\b|$)`)
	systemDomainRE = regexp.MustCompile(`^(?i:config\.tenant)([0-9]+)$`)
)

func (v *checker) domains() {
	sj := v.c.ServiceJourney
	const dk, sk = "servicejourney.domain", "servicejourney.systemDomain"
	if !v.bad[dk] && sj.Domain != "" {
		switch {
		case tenantPartRE.FindStringSubmatch(sj.Domain) == nil:
			v.errf(dk, "use the app domain shown in ServiceJourney, of the form <Solution>_<Env>.tenant<N>, e.g. DCM_Production.tenant12",
				"%q is not of the form <Solution>.tenant<N>", sj.Domain)
			v.bad[dk] = true
		case strings.HasPrefix(strings.ToLower(sj.Domain), "config."):
			v.warnf(dk, "use the app domain (e.g. DCM_Production.tenant12); config.tenant<N> belongs in servicejourney.systemDomain",
				"%q looks like the system domain, not the app domain", sj.Domain)
		case !domainRE.MatchString(sj.Domain):
			v.warnf(dk, "check it against the domain in ServiceJourney's URLs (d=...); the usual form is <Solution>_<Env>.tenant<N>",
				"%q looks unusual", sj.Domain)
		}
	}
	if v.bad[sk] || sj.SystemDomain == "" {
		return
	}
	m := systemDomainRE.FindStringSubmatch(sj.SystemDomain)
	if m == nil {
		v.warnf(sk, "the system domain is normally config.tenant<N>, with the tenant number of servicejourney.domain",
			"%q is not of the form config.tenant<N>", sj.SystemDomain)
		return
	}
	if d := tenantPartRE.FindStringSubmatch(sj.Domain); d != nil && !v.bad[dk] && d[1] != m[1] {
		v.warnf(sk, "use config.tenant"+d[1]+" to match the app domain",
			"tenant %s differs from servicejourney.domain's tenant %s", m[1], d[1])
	}
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func (v *checker) genesys() {
	g := v.c.Genesys
	switch g.BrowserGrant {
	case "pkce":
	case "implicit":
		v.warnf("genesys.browserGrant", "create an Authorization Code (PKCE) OAuth client and set browserGrant: pkce",
			"the implicit grant is deprecated: Genesys Cloud stops honouring it by March 2027")
	default:
		v.errf("genesys.browserGrant", "use pkce (recommended) or implicit", "%q is not a supported grant", g.BrowserGrant)
	}
	// Client ids are UUIDs; a value that is not one is often the secret
	// pasted into the wrong field, so the value is never echoed.
	for _, key := range []string{"genesys.clientId", "genesys.browserClientId"} {
		if val := v.str(key); val != "" && !v.bad[key] && !uuidRE.MatchString(val) {
			v.warnf(key, "copy the CLIENT ID (a UUID like 0a1b2c3d-...) from Admin > Integrations > OAuth", "does not look like a Genesys OAuth client id")
		}
	}
	if g.ClientID != "" && g.ClientID == g.BrowserClientID {
		v.warnf("genesys.browserClientId", "use the browser (PKCE / implicit) client here and the Client Credentials client in genesys.clientId",
			"is the same client as genesys.clientId; each grant needs its own OAuth client")
	}
}

func (v *checker) server() {
	s := v.c.Server
	if _, port, err := net.SplitHostPort(s.Listen); err != nil {
		v.errf("server.listen", `write host:port or :port, e.g. ":8080" or "127.0.0.1:8080"`, "%q is not a listen address", s.Listen)
	} else if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		v.errf("server.listen", `use a port number 1-65535, e.g. ":8080"`, "%q has an invalid port", s.Listen)
	}
	if s.MetricsListen != "" {
		if _, port, err := net.SplitHostPort(s.MetricsListen); err != nil {
			v.errf("server.metricsListen", `write host:port, e.g. "127.0.0.1:9090", or leave it empty to serve /metrics on server.listen`, "%q is not a listen address", s.MetricsListen)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			v.errf("server.metricsListen", `use a port number 1-65535, e.g. "127.0.0.1:9090"`, "%q has an invalid port", s.MetricsListen)
		} else if s.MetricsListen == s.Listen {
			v.errf("server.metricsListen", "use another port, or leave it empty to serve /metrics on server.listen", "%q is server.listen too", s.MetricsListen)
		}
	}
	for _, p := range s.TrustedProxies {
		if net.ParseIP(p) != nil {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil {
			v.errf("server.trustedProxies", `write an IP address ("10.0.0.5") or a CIDR ("10.0.0.0/8")`, "%q is neither an IP address nor a CIDR", p)
		}
	}
	levels := []string{"debug", "info", "warn", "error"}
	if !slices.Contains(levels, s.LogLevel) {
		fix := "use one of " + strings.Join(levels, ", ")
		if sg := suggest(s.LogLevel, levels); sg != "" {
			fix = "did you mean " + sg + "? " + fix
		}
		v.errf("server.logLevel", fix, "%q is not a log level", s.LogLevel)
	}
}

// MaxSyncWriters bounds interactions.syncWriters. Every writer keeps one
// ServiceJourney rule call open, and a rule call runs synchronously in IIS:
// it holds a thread and a pooled database connection until it answers. The
// pool's default size is 100 connections per web service (ADO.NET's Max
// Pool Size), which the agents' pages and pops share; the client also keeps
// at most 64 idle connections (beyond that every call opens a new one).
// 64 stays inside both (docs/upstreams.md, "Load the sync places").
const MaxSyncWriters = 64

func (v *checker) numbers() {
	for _, f := range fields {
		val := v.c.value(f)
		switch {
		case f.typ == durationType:
			if d := time.Duration(val.Int()); d <= 0 {
				v.errf(f.path, "give a positive duration such as 30s, or remove the key for the default", "%s is not a positive duration", d)
			}
		case f.typ.Kind() == reflect.Int || f.typ.Kind() == reflect.Int64:
			if val.Int() <= 0 {
				v.errf(f.path, "give a positive number, or remove the key for the default", "%d is not positive", val.Int())
			}
		}
	}
	if n := v.c.Interactions.SyncWriters; n > MaxSyncWriters {
		v.errf("interactions.syncWriters", fmt.Sprintf("use at most %d, or remove the key for the default (32): each writer holds one ServiceJourney request, thread and database connection at a time, shared with the agents' pages", MaxSyncWriters),
			"%d is more than ServiceJourney should be asked to serve at once for the sync", n)
	}
	if n := v.c.Genesys.RequestsPerMinute; n > 300 {
		v.warnf("genesys.requestsPerMinute", "keep it at 300 unless Genesys raised your limit through a support case",
			"%d is above the platform limit of 300 requests per minute per token", n)
	}
}

func (v *checker) lists() {
	v.origins("server.frameAncestors", v.c.Server.FrameAncestors)
	v.origins("server.corsOrigins", v.c.Server.CORSOrigins)
	sj := v.c.ServiceJourney
	for i, r := range sj.RuleAllowlist {
		if strings.TrimSpace(r) == "" {
			v.errf("servicejourney.ruleAllowlist", "remove the empty entry", "entry %d is empty", i+1)
		} else if strings.ContainsAny(r, " \t") {
			v.errf("servicejourney.ruleAllowlist", "write the rule's code without spaces", "entry %d (%q) contains spaces", i+1, r)
		}
	}
	ops := make([]string, 0, len(sj.Rules))
	for op := range sj.Rules {
		ops = append(ops, op)
	}
	slices.Sort(ops)
	for _, op := range ops {
		key := "servicejourney.rules." + op
		if !slices.Contains(operations, op) {
			fix := "the operations are " + strings.Join(operations, ", ")
			if sg := suggest(op, operations); sg != "" {
				fix = "did you mean " + sg + "? " + fix
			}
			v.ps.add(key, fix, "unknown operation %q%s", op, v.at("servicejourney.rules"))
		} else if strings.TrimSpace(sj.Rules[op]) == "" {
			v.ps.add(key, "give the rule's code, or remove the entry for the default "+sj.IntegrationCode+"_"+op, "empty rule name%s", v.at("servicejourney.rules"))
		}
	}
	for key, list := range map[string][]string{"usermap.supervisorPermissions": v.c.UserMap.SupervisorPermissions, "usermap.supervisorGroups": v.c.UserMap.SupervisorGroups} {
		for i, p := range list {
			if strings.TrimSpace(p) == "" {
				v.errf(key, "remove the empty entry", "entry %d is empty", i+1)
			}
		}
	}
	switch strings.ToLower(strings.TrimSpace(sj.Profile)) {
	case "standard", "connector":
	default:
		v.errf("servicejourney.profile", "use standard (the stock DCM rules) or connector (one custom rule per operation)", "%q is not a profile", sj.Profile)
	}
	switch strings.ToLower(strings.TrimSpace(sj.LoginMethod)) {
	case "post", "get":
	default:
		v.errf("servicejourney.loginMethod", "use post (the default) or get", "%q is not a login method", sj.LoginMethod)
	}
	codeRE := regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	if c := sj.IntegrationCode; !v.bad["servicejourney.integrationCode"] && !codeRE.MatchString(c) {
		v.errf("servicejourney.integrationCode", "use letters, digits and _ only; the default is ROOT_GENESYS", "%q is not a rule prefix", c)
	}
	for _, key := range []string{"servicejourney.pages.party", "servicejourney.pages.case", "servicejourney.pages.newCase",
		"servicejourney.pages.appId", "interactions.caseIdAttribute", "interactions.partyIdAttribute"} {
		if strings.TrimSpace(v.str(key)) == "" {
			v.errf(key, "remove the key to use the default, or give a value", "is empty")
		}
	}
	for _, key := range []string{"servicejourney.pages.party", "servicejourney.pages.case", "servicejourney.pages.newCase"} {
		if v.bad[key] {
			continue
		}
		if name := unknownPagePlaceholder(v.str(key)); name != "" {
			v.errf(key, "use only {"+strings.Join(pagePlaceholders, "}, {")+"}", "unknown placeholder {%s}", name)
		}
	}
}

// origins checks that every entry is an exact origin: scheme://host[:port].
func (v *checker) origins(key string, list []string) {
	for _, o := range list {
		if Placeholder(o) != "" {
			continue // reported already
		}
		if strings.Contains(o, "*") {
			v.errf(key, "list each allowed origin exactly, e.g. https://apps.mypurecloud.ie", "%q: wildcards are never allowed", shownURL(o))
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
			v.errf(key, "write an origin as scheme://host[:port], e.g. https://apps.mypurecloud.ie", "%q is not an origin", shownURL(o))
			continue
		}
		if u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery {
			v.errf(key, "use "+u.Scheme+"://"+u.Host+" (an origin has no path, not even a trailing /)", "%q is not an exact origin", shownURL(o))
			continue
		}
		if o != strings.ToLower(o) {
			v.errf(key, "write it in lower case: "+strings.ToLower(o)+" (browsers send origins in lower case)", "%q is not an exact origin", o)
		}
	}
}

func (v *checker) country() {
	const key = "interactions.defaultCountry"
	c := v.c.Interactions.DefaultCountry
	if isCountry(c) {
		return
	}
	fix := "use an ISO 3166-1 alpha-2 code such as US, GB, IE, DE"
	if c == "UK" {
		fix = "use GB (the ISO code of the United Kingdom)"
	}
	v.errf(key, fix, "%q is not an ISO 3166-1 alpha-2 country code", c)
}

func (v *checker) events() {
	ev := v.c.Events
	topics, mode := strings.ToLower(strings.TrimSpace(ev.Topics)), strings.ToLower(strings.TrimSpace(ev.Leader.Mode))
	switch topics {
	case "queues", "users", "both":
	default:
		v.errf("events.topics", "use queues, users or both", "%q is not a topic choice", ev.Topics)
	}
	if ev.Enabled && topics != "users" && len(ev.QueueIDs) == 0 {
		v.errf("events.queueIds", "list the Genesys queue ids to listen to, or set events.topics to users", "is empty while events.topics is %s", ev.Topics)
	}
	switch mode {
	case "inprocess", "kubernetes":
	default:
		v.errf("events.leader.mode", "use inprocess (one process) or kubernetes (a Lease picks one replica)", "%q is not a leader mode", ev.Leader.Mode)
	}
}

// minActionPassword is the length below which the data-action password is
// guessable enough to warn: the endpoints face the internet.
const minActionPassword = 16

func (v *checker) actions() {
	a, s := v.c.Actions, v.c.Server
	if a.Budget > 0 && s.WriteTimeout > 0 && a.Budget >= s.WriteTimeout {
		v.errf("actions.budget", fmt.Sprintf("use a budget below server.writeTimeout (%s), e.g. the default 5s", s.WriteTimeout),
			"%s is not shorter than server.writeTimeout", a.Budget)
	}
	if a.Budget > 60*time.Second {
		v.errf("actions.budget", "use at most 60s (Genesys stops waiting for a data action after 60 s); the default is 5s", "%s is longer than any data-action timeout", a.Budget)
	}
	if v.c.ActionsEnabled() && !v.bad["actions.userName"] {
		switch u := a.UserName; {
		case strings.TrimSpace(u) == "":
			v.errf("actions.userName", "give the user name Genesys sends with the data actions, e.g. genesys-data-actions", "is empty while actions.password is set")
		case strings.ContainsAny(u, ": \t"):
			v.errf("actions.userName", "use letters, digits, - and _ (Basic authentication cannot carry a colon)", "%q contains a colon or a space", u)
		}
	}
	if v.c.ActionsEnabled() && !v.bad["actions.password"] && len(a.Password) < minActionPassword {
		v.warnf("actions.password", fmt.Sprintf("use at least %d random characters (`openssl rand -base64 24`); the wizard stores it in Genesys for you", minActionPassword),
			"is shorter than %d characters and the data-action endpoints face the internet", minActionPassword)
	}
}
