package config

import (
	"regexp"
	"strings"
	"time"
)

// Defaults fills every unset field with its default. Load applies it before
// reading the file, so a value written explicitly (even 0) is validated as given.
func (c *Config) Defaults() {
	s := &c.Server
	setStr(&s.Listen, ":8080")
	setDur(&s.ReadTimeout, 15*time.Second)
	setDur(&s.WriteTimeout, 30*time.Second)
	setDur(&s.IdleTimeout, 120*time.Second)
	setDur(&s.ShutdownTimeout, 20*time.Second)
	if s.MaxBodyBytes == 0 {
		s.MaxBodyBytes = 1 << 20
	}
	setStr(&s.LogLevel, "info")
	if s.TrustedProxies == nil {
		s.TrustedProxies = []string{"127.0.0.1", "::1"} // a proxy on this host (IIS ARR, a sidecar)
	}

	g := &c.Genesys
	setStr(&g.BrowserGrant, "pkce")
	if g.RequestsPerMinute == 0 {
		g.RequestsPerMinute = 300
	}
	setDur(&g.Timeout, 15*time.Second)
	setDur(&g.TokenRefreshMargin, 5*time.Minute)
	setDur(&g.RetryAfterCap, 60*time.Second)

	sj := &c.ServiceJourney
	setStr(&sj.Profile, "standard")
	setStr(&sj.IntegrationCode, "ROOT_GENESYS")
	setStr(&sj.LoginMethod, "post")
	setDur(&sj.Timeout, 20*time.Second)
	// The stock DCM detail pages in embedded mode (docs/upstreams.md); a
	// solution with its own pages sets templates or old-style page codes.
	setStr(&sj.Pages.Party, DefaultPartyPage)
	setStr(&sj.Pages.Case, DefaultCasePage)
	setStr(&sj.Pages.NewCase, DefaultNewCasePage)
	setStr(&sj.Pages.AppID, "root_CaseManagement")

	setDur(&c.UserMap.SyncInterval, 15*time.Minute)
	setDur(&c.UserMap.SupervisorRefresh, 30*time.Second)

	in := &c.Interactions
	setDur(&in.SyncInterval, 5*time.Minute)
	setDur(&in.InitialLookback, 24*time.Hour)
	setDur(&in.SyncLag, 10*time.Minute)
	if in.SyncWriters == 0 {
		in.SyncWriters = 32
	}
	setDur(&in.MaxOpenAge, 48*time.Hour)
	setDur(&in.WrapupGrace, time.Hour)
	setDur(&in.SummaryWait, 2*time.Minute)
	setStr(&in.DefaultCountry, "US")
	setStr(&in.CaseIDAttribute, "CaseId")
	setStr(&in.PartyIDAttribute, "PartyId")

	ev := &c.Events
	ev.Topics = strings.ToLower(strings.TrimSpace(ev.Topics))
	setStr(&ev.Topics, "queues")
	ev.Leader.Mode = strings.ToLower(strings.TrimSpace(ev.Leader.Mode))
	setStr(&ev.Leader.Mode, "inprocess")
	setStr(&ev.Leader.LeaseName, "dcmconnect-events")
	setStr(&c.Actions.UserName, "genesys-data-actions")
	setDur(&c.Actions.Budget, 5*time.Second)
	if c.Actions.RatePerSecond == 0 {
		c.Actions.RatePerSecond = 50
	}
}

func setStr(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func setDur(p *time.Duration, v time.Duration) {
	if *p == 0 {
		*p = v
	}
}

var tenantRE = regexp.MustCompile(`(?i)\.tenant([0-9]+)$`)

// normalize puts pasted values into canonical form after all sources are
// applied: the environment becomes its bare domain, base URLs lose their
// trailing "/", codes get their canonical case, and an unset system domain
// is derived from the app domain's tenant (config.tenant<N>, the pairing
// seen in every AppBase install: docs/upstreams.md).
func (c *Config) normalize() {
	g := &c.Genesys
	if env, err := Environment(g.Environment); err == nil {
		g.Environment = env
	} else {
		g.Environment = strings.TrimSpace(g.Environment)
	}
	g.BrowserGrant = strings.ToLower(strings.TrimSpace(g.BrowserGrant))
	for _, p := range []*string{&g.APIURL, &g.LoginURL, &c.ServiceJourney.URL, &c.Server.PublicURL} {
		*p = strings.TrimRight(strings.TrimSpace(*p), "/")
	}
	c.Server.LogLevel = strings.ToLower(strings.TrimSpace(c.Server.LogLevel))
	c.Interactions.DefaultCountry = strings.ToUpper(strings.TrimSpace(c.Interactions.DefaultCountry))
	sj := &c.ServiceJourney
	sj.Domain = strings.TrimSpace(sj.Domain)
	sj.SystemDomain = strings.TrimSpace(sj.SystemDomain)
	if sj.SystemDomain == "" && Placeholder(sj.Domain) == "" {
		if m := tenantRE.FindStringSubmatch(sj.Domain); m != nil {
			sj.SystemDomain = "config.tenant" + m[1]
		}
	}
	if len(sj.Rules) > 0 {
		rules := make(map[string]string, len(sj.Rules))
		for k, v := range sj.Rules {
			rules[strings.ToUpper(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
		sj.Rules = rules
	}
}
