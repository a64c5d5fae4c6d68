package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"strings"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/config"
	"dcmconnect/genesys/genesystest"
)

// demoStack is dcmconnect wired to in-process fakes of both upstreams, all on
// loopback. `dcmconnect demo` runs it; browser tests start one per test.
type demoStack struct {
	app       *app
	genesys   *genesystest.Server
	sj        *appbasetest.Server
	ln        net.Listener
	PublicURL string
}

type demoOptions struct {
	Listen, GenesysAddr, SJAddr string
	// Edit, when set, may change the configuration before the app is built.
	Edit func(*config.Config)
	Log  io.Writer
}

func startDemo(o demoOptions) (*demoStack, error) {
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("demo listen %s: %w", o.Listen, err)
	}
	d := &demoStack{ln: ln, PublicURL: "http://" + ln.Addr().String()}
	d.genesys = genesystest.NewUnstartedServer()
	if err := d.genesys.StartOn(o.GenesysAddr); err != nil {
		ln.Close()
		return nil, fmt.Errorf("fake Genesys Cloud on %s: %w", o.GenesysAddr, err)
	}
	d.sj = appbasetest.NewUnstartedServer()
	if err := d.sj.StartOn(o.SJAddr); err != nil {
		d.Close()
		return nil, fmt.Errorf("fake ServiceJourney on %s: %w", o.SJAddr, err)
	}
	seedDemoGenesys(d.genesys, d.PublicURL)
	seedDemoServiceJourney(d.sj)
	// Then each feature's demo data: finished conversations for the
	// interaction sync job, the Premium App that opens the wizard.
	seedDemoInteractions(d.genesys, d.sj, d.PublicURL)
	seedPremiumApp(d.genesys, d.sj, d.PublicURL)

	cfg, problems := config.Parse([]byte(d.configYAML()), nil)
	if problems != nil && problems.Err() != nil {
		d.Close()
		return nil, fmt.Errorf("demo configuration: %s", problems.String())
	}
	if o.Edit != nil {
		o.Edit(cfg)
	}
	w := o.Log
	if w == nil {
		w = io.Discard
	}
	if d.app, err = newApp(cfg, newLogger(cfg.Server.LogLevel, w)); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// configYAML is the demo's configuration file: a real one, parsed and
// validated like any administrator's.
func (d *demoStack) configYAML() string {
	return strings.NewReplacer("@PUBLIC@", d.PublicURL, "@GENESYS@", d.genesys.URL(), "@SJ@", d.sj.URL(),
		"@DOMAIN@", d.sj.Domain(), "@SJUSER@", d.sj.User(), "@SJPASS@", d.sj.Password(),
		"@CC@", demoCCClientID, "@CCSECRET@", demoCCSecret, "@BROWSER@", demoBrowserClient, "@SUPERVISOR@", demoSupervisorPerm,
		"@ACTIONSUSER@", demoActionsUser, "@SUPPORTQ@", demoSupportQueue, "@SALESQ@", demoSalesQueue, "@ACTIONSPASS@", demoActionsPassword).Replace(`
server:
  publicURL: @PUBLIC@
  corsOrigins: [@PUBLIC@]
genesys:
  environment: mypurecloud.ie
  apiURL: @GENESYS@
  loginURL: @GENESYS@
  clientId: @CC@
  clientSecret: @CCSECRET@
  browserClientId: @BROWSER@
servicejourney:
  url: @SJ@
  domain: @DOMAIN@
  systemDomain: config.tenant1
  systemUser: @SJUSER@
  systemPassword: @SJPASS@
  # A stock solution: the DCM searches and detail pages, explicit user
  # mappings in the case workers' external ids; custom rules only for the
  # interaction log and the sync state.
  profile: standard
  ruleAllowlist: [root_PPL_getExternalParties, root_DCM_SearchCases]
usermap:
  syncInterval: 1m
  supervisorPermissions: [@SUPERVISOR@]
events:
  # The fake's conversations raise notifications: a call the test helpers
  # (or the fake) create is logged with no page open.
  enabled: true
  topics: queues
  queueIds: [@SUPPORTQ@, @SALESQ@]
actions:
  userName: @ACTIONSUSER@
  password: @ACTIONSPASS@
`)
}

func (d *demoStack) serve(ctx context.Context) error { return d.app.serve(ctx, d.ln) }

func (d *demoStack) Close() {
	if d.ln != nil {
		d.ln.Close()
	}
	if d.genesys != nil {
		d.genesys.Close()
	}
	if d.sj != nil {
		d.sj.Close()
	}
}

func cmdDemo(ctx context.Context, g globals, args []string) error {
	fs := newFlags("demo", &g)
	listen := fs.String("listen", "127.0.0.1:8080", "address of dcmconnect (loopback only)")
	gAddr := fs.String("genesys-listen", "127.0.0.1:8081", "address of the fake Genesys Cloud")
	sjAddr := fs.String("sj-listen", "127.0.0.1:8082", "address of the fake ServiceJourney")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	for _, a := range []string{*listen, *gAddr, *sjAddr} {
		if host, _, err := net.SplitHostPort(a); err != nil || !isLoopback(host) {
			return &exitError{exitUsage, fmt.Errorf("demo addresses must be on loopback (127.0.0.1 or [::1]), got %q", a)}
		}
	}
	d, err := startDemo(demoOptions{Listen: *listen, GenesysAddr: *gAddr, SJAddr: *sjAddr, Log: g.stderr})
	if err != nil {
		return err
	}
	defer d.Close()
	docs := d.PublicURL + "/dcm-connect-docs/"
	fmt.Fprintf(g.stdout, `dcmconnect demo is running (Ctrl-C stops it).

  Agent page, one matching customer:   %sindex.html?gcConversationId=%s&gcLangTag=en-us
  Agent page, three matches (picker):  %sindex.html?gcConversationId=%s
  Agent page, no match (create new):   %sindex.html?gcConversationId=%s
  Supervisor page:                     %ssupervisor.html
  Setup wizard:                        %swizard/index.html
  Metrics / health:                    %s/metrics  %s/readyz
  Data action (IVR lookup by phone):   curl -u %s:%s -H 'ININ-Organization-Id: %s' \
                                         -d '{"phone":"tel:+14155550101"}' %s/dcm-connect-service/actions/v1/parties/lookup

  Fake Genesys Cloud: %s   (sign in by choosing a user: Ann Agent, Sam Supervisor, Ada Admin, ...)
  Fake ServiceJourney: %s  (domain %s)
`, docs, demoConvOne, docs, demoConvMany, docs, demoConvNone, docs, docs, d.PublicURL, d.PublicURL,
		demoActionsUser, demoActionsPassword, demoOrgID, d.PublicURL, d.genesys.URL(), d.sj.URL(), d.sj.Domain())
	return d.serve(ctx)
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
