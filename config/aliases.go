package config

import (
	"net/url"
	"regexp"
	"strings"
)

// Where an old name was used in the IIS install (seed install guide, steps 6-10).
const (
	OriginWebConfig = "Web.config"    // C:\AppBaseGenesys\dcmservices\Web.config appSettings key
	OriginConfigJS  = "config.js"     // @NAME@ placeholder in C:\AppBaseGenesys\docs\config\config.js
	OriginGuide     = "install guide" // a value the guide asks the admin to collect, e.g. @SJ_SERVER_ADDRESS@
)

// Alias is an old install's name for a config key. It is accepted as a
// top-level YAML key and as an environment variable of exactly that name, and
// `dcmconnect migrate` uses it to map old files. This table is the only list.
type Alias struct {
	Name   string // spelled exactly as the old install did
	Key    string // the new dotted key
	Origin string // OriginWebConfig, OriginConfigJS or OriginGuide
	What   string // what the value is, for "replace the placeholder with ..." fixes
}

var aliases = []Alias{
	{"SJ_SERVER_ADDRESS", "servicejourney.url", OriginGuide, "the ServiceJourney server base URL, e.g. https://sj.example.com"},
	{"SOLUTION_URL", "servicejourney.url", OriginConfigJS, "the ServiceJourney server base URL (SJ_SERVER_ADDRESS)"},
	{"DOMAIN_CODE", "servicejourney.domain", OriginConfigJS, "the app domain, <Solution>_<Env>.tenant<N>"},
	{"DCM_BaseDomain", "servicejourney.domain", OriginWebConfig, "the app domain, <Solution>_<Env>.tenant<N>"},
	{"DCM_TokenSystemDomain", "servicejourney.systemDomain", OriginWebConfig, "the system domain, config.tenant<N>"},
	{"DCM_SystemUser", "servicejourney.systemUser", OriginWebConfig, "the ServiceJourney integration user's login (install step 4)"},
	{"DCM_SystemPassword", "servicejourney.systemPassword", OriginWebConfig, "the ServiceJourney integration user's password (install step 4)"},
	{"INTEGRATION_CODE", "servicejourney.integrationCode", OriginConfigJS, "the custom rules' prefix (the old connector's ROOT_GENESYS_INTEGRATION is still found under the default ROOT_GENESYS)"},
	{"GENESYS_CLOUD_ADDRESS", "genesys.environment", OriginGuide, "the Genesys Cloud environment, e.g. mypurecloud.ie"},
	{"PureCloud_ApiHost", "genesys.environment", OriginWebConfig, "the Genesys Cloud API host, e.g. api.mypurecloud.ie"},
	{"PureCloud_Region", "genesys.environment", OriginWebConfig, "the Genesys Cloud region key, e.g. eu_west_1"},
	{"clientId", "genesys.clientId", OriginWebConfig, "the CLIENT ID of the Client Credentials OAuth client (install step 7)"},
	{"clientSecret", "genesys.clientSecret", OriginWebConfig, "the CLIENT SECRET of the Client Credentials OAuth client (install step 7)"},
	{"CLIENT_ID", "genesys.browserClientId", OriginConfigJS, "the CLIENT ID of the browser OAuth client (install step 6)"},
	{"DCM_EndPoint", "server.publicURL", OriginWebConfig, "the https URL browsers use to reach this server"},
	{"REDIRECT_URI", "server.publicURL", OriginConfigJS, "the https URL browsers use to reach this server"},
	{"GENESYS_INTEGRATION_URL", "server.publicURL", OriginConfigJS, "the https URL browsers use to reach this server"},
	{"WIZARD_URL", "server.publicURL", OriginConfigJS, "the https URL browsers use to reach this server"},
}

// Aliases returns the alias table (a copy).
func Aliases() []Alias {
	return append([]Alias(nil), aliases...)
}

// LookupAlias finds an alias by its exact old name.
func LookupAlias(name string) (Alias, bool) {
	for _, a := range aliases {
		if a.Name == name {
			return a, true
		}
	}
	return Alias{}, false
}

func aliasesFor(key string) []string {
	var out []string
	for _, a := range aliases {
		if a.Key == key {
			out = append(out, a.Name)
		}
	}
	return out
}

// Value converts an old value to the new key's form: the old URLs pointed
// into /dcm-connect-docs/ or /dcm-connect-service/, the new key wants the
// server's base URL; environments are reduced to their domain when known.
// Placeholders are returned untouched so they are still reported as such.
func (a Alias) Value(raw string) string {
	v := strings.TrimSpace(raw)
	if placeholderRE.MatchString(v) {
		return v
	}
	switch a.Key {
	case "server.publicURL":
		return StripOldPath(v)
	case "genesys.environment":
		if env, err := Environment(v); err == nil {
			return env
		}
		return v
	case "servicejourney.url":
		return strings.TrimRight(v, "/")
	}
	return v
}

var oldPathRE = regexp.MustCompile(`(?i)/dcm-connect-(service|docs)(/.*)?$`)

// StripOldPath turns an old connector URL such as
// https://sj.example.com/dcm-connect-docs/wizard/index.html?state=... into
// its base, https://sj.example.com (a sub-path in front is kept).
func StripOldPath(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return strings.TrimSpace(raw)
	}
	u.RawQuery, u.Fragment, u.RawFragment, u.ForceQuery = "", "", "", false
	u.Path = strings.TrimRight(oldPathRE.ReplaceAllString(u.Path, ""), "/")
	u.RawPath = ""
	return u.String()
}

// placeholderRE finds an unreplaced install placeholder such as @CLIENT_ID@.
var placeholderRE = regexp.MustCompile(`@[A-Z][A-Z0-9_]*@`)

// Placeholder returns the first unreplaced placeholder in v ("@CLIENT_ID@"), or "".
func Placeholder(v string) string {
	return placeholderRE.FindString(v)
}

// placeholderFix explains what should replace a placeholder such as @CLIENT_ID@.
func placeholderFix(ph string) string {
	if a, ok := LookupAlias(strings.Trim(ph, "@")); ok {
		return "replace " + ph + " with " + a.What
	}
	return "replace " + ph + " with the real value"
}
