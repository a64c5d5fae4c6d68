package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// regions maps the AWS region keys the Genesys SDKs use to environment
// domains. Source: the official SDKs (platform-client-sdk-go
// configuration.go and the JavaScript SDK's PureCloudRegionHosts.js list the
// same 17); see docs/upstreams.md.
var regions = map[string]string{
	"us_east_1":      "mypurecloud.com",
	"eu_west_1":      "mypurecloud.ie",
	"ap_southeast_2": "mypurecloud.com.au",
	"ap_northeast_1": "mypurecloud.jp",
	"eu_central_1":   "mypurecloud.de",
	"us_west_2":      "usw2.pure.cloud",
	"ca_central_1":   "cac1.pure.cloud",
	"ap_northeast_2": "apne2.pure.cloud",
	"eu_west_2":      "euw2.pure.cloud",
	"ap_south_1":     "aps1.pure.cloud",
	"us_east_2":      "use2.us-gov-pure.cloud", // FedRAMP
	"sa_east_1":      "sae1.pure.cloud",
	"me_central_1":   "mec1.pure.cloud",
	"ap_northeast_3": "apne3.pure.cloud",
	"eu_central_2":   "euc2.pure.cloud",
	"mx_central_1":   "mxc1.pure.cloud",
	"ap_southeast_1": "apse1.pure.cloud",
}

// hostPrefixes are the service hosts of an environment; a pasted URL on any
// of them names the environment.
var hostPrefixes = []string{"apps.", "api.", "login.", "streaming.", "www."}

// Regions returns a copy of the known region keys and their environment
// domains, e.g. "eu_west_1" -> "mypurecloud.ie".
func Regions() map[string]string {
	out := make(map[string]string, len(regions))
	for k, v := range regions {
		out[k] = v
	}
	return out
}

// EnvironmentError says an input did not name a known Genesys Cloud environment.
type EnvironmentError struct {
	Input string
	// Suggestion is the closest known environment or region key, if any.
	Suggestion string
}

func (e *EnvironmentError) Error() string {
	msg := fmt.Sprintf("%q is not a known Genesys Cloud environment", e.Input)
	if e.Input == "" {
		msg = "no Genesys Cloud environment given"
	}
	if e.Suggestion != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", e.Suggestion)
	}
	return msg + "; " + AcceptedEnvironmentForms()
}

// AcceptedEnvironmentForms explains what Environment accepts, with every known domain.
func AcceptedEnvironmentForms() string {
	return "give an environment domain (" + strings.Join(environmentDomains(), ", ") +
		"), a region key such as eu_west_1, or any URL on the environment such as " +
		"https://apps.mypurecloud.ie/directory/ or https://login.usw2.pure.cloud"
}

func environmentDomains() []string {
	out := make([]string, 0, len(regions))
	for _, d := range regions {
		out = append(out, d)
	}
	slices.Sort(out)
	return out
}

// Environment turns whatever an administrator pasted into the bare
// environment domain: "mypurecloud.ie", "api.mypurecloud.ie/",
// "https://apps.mypurecloud.ie/directory/#/...", "https://login.usw2.pure.cloud",
// a region key ("eu_west_1", "eu-west-1"), or an old wizard URL carrying
// "pcEnvironment=usw2.pure.cloud". Anything else is an *EnvironmentError.
func Environment(input string) (string, error) {
	s := strings.TrimSpace(input)
	if s == "" {
		return "", &EnvironmentError{}
	}
	// The old WIZARD_URL carried the environment in its state parameter.
	if i := strings.Index(strings.ToLower(s), "pcenvironment="); i >= 0 {
		v := s[i+len("pcenvironment="):]
		if j := strings.IndexAny(v, "&#"); j >= 0 {
			v = v[:j]
		}
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		if env, err := Environment(v); err == nil {
			return env, nil
		}
	}
	key := strings.ReplaceAll(strings.ToLower(s), "-", "_")
	if env, ok := regions[key]; ok {
		return env, nil
	}
	host := s
	if strings.Contains(s, "://") {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" {
			return "", &EnvironmentError{Input: input}
		}
		host = u.Hostname()
	} else {
		if i := strings.IndexAny(host, "/?#"); i >= 0 {
			host = host[:i]
		}
		if i := strings.LastIndex(host, ":"); i >= 0 {
			host = host[:i]
		}
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, p := range hostPrefixes {
		if strings.HasPrefix(host, p) {
			host = strings.TrimPrefix(host, p)
			break
		}
	}
	for _, d := range regions {
		if host == d {
			return d, nil
		}
	}
	candidates := environmentDomains()
	for k := range regions {
		candidates = append(candidates, k)
	}
	slices.Sort(candidates)
	return "", &EnvironmentError{Input: input, Suggestion: suggestEnvironment(host, candidates)}
}

// suggestEnvironment is suggest without folding "." (domains differ by dots).
func suggestEnvironment(host string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := editDistance(host, c); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
