package interactions

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/usermap"
)

// AgentDirectory maps Genesys users to ServiceJourney users; *usermap.Store
// is the one the server uses.
type AgentDirectory interface {
	Lookup(ctx context.Context, genesysUserID string) (usermap.Entry, bool)
	// Report is the map in service; nil until the first user sync succeeded.
	Report() *usermap.Report
}

// Pages are the solution's pop targets (config servicejourney.pages): URL
// templates (appbase.ExpandPage; default the stock DCM pages) or old-style
// Ecx.Web page codes.
type Pages struct {
	Party, Case, NewCase string
	// AppID is the appid query parameter, e.g. root_CaseManagement.
	AppID string
}

// Options configure a Service. Field comments name the config key.
type Options struct {
	// Genesys acts with the background client-credentials token. Required.
	Genesys *genesys.Client
	// SJ runs the rule contract as the system user. Required.
	SJ *appbase.Client
	// Agents is the user map. Required.
	Agents AgentDirectory
	// SJURL and Domain build page URLs; default SJ.URL() and SJ.Domain().
	SJURL, Domain string
	// Pages are the pop targets (servicejourney.pages); all four required.
	Pages Pages
	// ResolvePages asks the stock page rules for each match's detail page
	// (servicejourney.pages.resolve), falling back to Pages.
	ResolvePages bool
	// DefaultCountry reads national numbers (interactions.defaultCountry), default US.
	DefaultCountry string
	// CaseIDAttribute / PartyIDAttribute are participant-data names
	// (interactions.caseIdAttribute / partyIdAttribute), default CaseId / PartyId.
	CaseIDAttribute, PartyIDAttribute string
	// Fields map further UPSERTINTERACTION inputs to their sources
	// (interactions.fields): rule input -> attr:<participant data>, a
	// conversation field (fieldmap.Fields), const:<text> or off.
	Fields map[string]string
	// SummaryWait is how long after a wrap-up the AI summary is waited for
	// (interactions.summaryWait, default 2m; negative: never). Genesys
	// writes it some seconds after after-call work starts.
	SummaryWait time.Duration
	// SummaryRetry is the time between two reads of the summaries (default 5s).
	SummaryRetry time.Duration
	// TranscriptMaxChars caps the transcript written (default 32,000);
	// a longer one is cut with a visible marker.
	TranscriptMaxChars int
	// GenesysAppsURL is https://apps.<environment>, for the link to a
	// recorded interaction; empty: no link.
	GenesysAppsURL string
	// Timeout bounds one screen pop, log write or dial, all calls included
	// (default 30s; each upstream attempt has its client's own shorter deadline).
	Timeout time.Duration
	// NameCacheTTL is how long queue and wrap-up code names are kept (default 1h).
	NameCacheTTL time.Duration
	// PopCacheTTL is how long a pop's single match is remembered so that the
	// log of the same conversation carries its party/case (default 12h).
	PopCacheTTL time.Duration
	// ConversationCacheTTL is how long one conversation fetch serves the
	// pop and the log writes of the same leg (default 10s; the page pops
	// and logs "connect" within a second or two of each other).
	ConversationCacheTTL time.Duration
	Registerer           prometheus.Registerer
	Logger               *slog.Logger
}

func (o *Options) check() error {
	var errs []error
	if o.Genesys == nil {
		errs = append(errs, errors.New("interactions: Options.Genesys is nil; pass the Genesys client (client-credentials)"))
	}
	if o.SJ == nil {
		errs = append(errs, errors.New("interactions: Options.SJ is nil; pass the AppBase client"))
	}
	if o.Agents == nil {
		errs = append(errs, errors.New("interactions: Options.Agents is nil; pass the user map (usermap.Store)"))
	}
	for name, v := range map[string]string{"servicejourney.pages.party": o.Pages.Party, "servicejourney.pages.case": o.Pages.Case,
		"servicejourney.pages.newCase": o.Pages.NewCase, "servicejourney.pages.appId": o.Pages.AppID} {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, errors.New("interactions: "+name+" is empty; give a page URL template or the solution's Ecx.Web page code"))
		} else if err := appbase.CheckPageTemplate(v); err != nil && name != "servicejourney.pages.appId" {
			errs = append(errs, errors.New("interactions: "+name+": "+err.Error()))
		}
	}
	if _, err := parseFields(o.Fields); err != nil {
		errs = append(errs, errors.New("interactions: "+err.Error()))
	}
	if o.Timeout < 0 || o.NameCacheTTL < 0 || o.PopCacheTTL < 0 || o.ConversationCacheTTL < 0 {
		errs = append(errs, errors.New("interactions: Options.Timeout, NameCacheTTL, PopCacheTTL and ConversationCacheTTL must not be negative; use 0 for the defaults"))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if o.SJURL == "" {
		o.SJURL = o.SJ.URL()
	}
	o.SJURL = strings.TrimRight(o.SJURL, "/")
	if o.Domain == "" {
		o.Domain = o.SJ.Domain()
	}
	if o.DefaultCountry == "" {
		o.DefaultCountry = "US"
	}
	o.DefaultCountry = strings.ToUpper(o.DefaultCountry)
	if o.CaseIDAttribute == "" {
		o.CaseIDAttribute = "CaseId"
	}
	if o.PartyIDAttribute == "" {
		o.PartyIDAttribute = "PartyId"
	}
	if o.Timeout == 0 {
		o.Timeout = 30 * time.Second
	}
	if o.NameCacheTTL == 0 {
		o.NameCacheTTL = time.Hour
	}
	if o.ConversationCacheTTL == 0 {
		o.ConversationCacheTTL = 10 * time.Second
	}
	if o.PopCacheTTL == 0 {
		o.PopCacheTTL = 12 * time.Hour
	}
	if o.SummaryWait == 0 {
		o.SummaryWait = 2 * time.Minute
	}
	if o.TranscriptMaxChars <= 0 {
		o.TranscriptMaxChars = 32000
	}
	if o.SummaryRetry <= 0 {
		o.SummaryRetry = 5 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return nil
}
