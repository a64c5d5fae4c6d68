package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/config"
	"dcmconnect/genesys"
	"dcmconnect/interactions"
	"dcmconnect/usermap"
)

// app is one wired dcmconnect: clients, caches, jobs and the HTTP surface,
// built from one Config. serve, demo and the one-shot commands share it.
type app struct {
	cfg   *config.Config
	log   *slog.Logger
	reg   *prometheus.Registry
	gc    *genesys.Client
	ab    *appbase.Client
	users *usermap.Store
	// userSync is the user sync job (in-process or one-shot).
	userSync *usermap.Syncer
	// interactionSync is the interaction sync job (in-process or one-shot).
	interactionSync *interactions.Syncer
	api             *api.Server
	// lookup answers the data actions (party and case lookups).
	lookup api.ActionLookup
	// events is the real-time listener (nil unless events.enabled).
	events *events
	// methods are the DCMServices methods beyond the built-in ones; features
	// add theirs before the api server is built.
	methods []api.Method
	// jobs run beside the HTTP server in serve (when configured in-process).
	jobs []func(ctx context.Context) error
	// jobStatus reports each background job's last run, by job name, for
	// the supervisor page.
	jobStatus map[string]func() any
	// accessOut, when set, gets the access log in batches (the server's
	// log stream); nil writes it through log.
	accessOut io.Writer
	// metricsLn serves /metrics when server.metricsListen is set; serve
	// opens it unless a test already did.
	metricsLn net.Listener
}

// processCollectors are the Go runtime's and the process's metrics, made
// once: they describe the process, not an app, and may be registered in
// every app's registry. Tests build many apps in one process, and the Go
// collector matches every runtime metric's name against its rules when
// made: 6 % of this package's race-enabled test run.
var processCollectors = sync.OnceValue(func() []prometheus.Collector {
	return []prometheus.Collector{collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})}
})

// newApp builds the clients and jobs; it contacts nothing (so serve starts
// even when an upstream is down, and /readyz says so).
func newApp(cfg *config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log, reg: prometheus.NewRegistry(), jobStatus: map[string]func() any{}}
	a.reg.MustRegister(processCollectors()...)
	var err error
	a.gc, err = genesys.New(genesys.Options{
		APIURL: cfg.APIBaseURL(), LoginURL: cfg.LoginBaseURL(),
		ClientID: cfg.Genesys.ClientID, ClientSecret: cfg.Genesys.ClientSecret,
		Timeout: cfg.Genesys.Timeout, TokenRefreshMargin: cfg.Genesys.TokenRefreshMargin,
		RequestsPerMinute: cfg.Genesys.RequestsPerMinute, RetryAfterCap: cfg.Genesys.RetryAfterCap,
		Registerer: a.reg, Logger: log.With("component", "genesys"),
	})
	if err != nil {
		return nil, fmt.Errorf("genesys client: %w", err)
	}
	// Our org id read at start-up and kept fresh, so no pop waits for it.
	a.jobs = append(a.jobs, func(ctx context.Context) error { return a.gc.KeepOrgID(ctx, time.Hour) })
	mappings, err := appbase.ParseMappings(cfg.ServiceJourney.Mappings)
	if err != nil {
		return nil, fmt.Errorf("appbase client: %w", err)
	}
	a.ab, err = appbase.New(appbase.Options{
		URL: cfg.ServiceJourney.URL, Domain: cfg.ServiceJourney.Domain, SystemDomain: cfg.ServiceJourney.SystemDomain,
		User: cfg.ServiceJourney.SystemUser, Password: cfg.ServiceJourney.SystemPassword,
		Profile: cfg.ServiceJourney.Profile, IntegrationCode: cfg.ServiceJourney.IntegrationCode, Rules: cfg.ServiceJourney.Rules,
		Mappings: mappings, DateFormat: cfg.ServiceJourney.DateFormat, LoginMethod: cfg.ServiceJourney.LoginMethod,
		Timeout: cfg.ServiceJourney.Timeout, Registerer: a.reg, Logger: log,
	})
	if err != nil {
		return nil, fmt.Errorf("appbase client: %w", err)
	}
	a.users = usermap.NewStore(usermap.StoreOptions{Genesys: usermap.GenesysUsers{Client: a.gc}, Registerer: a.reg, Logger: log.With("component", "usermap")})
	a.userSync, err = usermap.NewSyncer(usermap.SyncOptions{
		Genesys: usermap.GenesysUsers{Client: a.gc}, SJ: usermap.SJUsers{Client: a.ab}, Store: a.users,
		WriteBack: cfg.UserMap.WriteBack, Registerer: a.reg, Logger: log.With("component", "usersync"),
	})
	if err != nil {
		return nil, err
	}
	if cfg.InProcessUserSync() {
		a.jobs = append(a.jobs, func(ctx context.Context) error { return a.userSync.Run(ctx, cfg.UserMap.SyncInterval) })
	}
	a.jobStatus["users"] = func() any { return a.userSync.LastRun() }
	a.methods = append(a.methods, api.CoreMethods(a.ab, api.StoreMapper{Store: a.users}, cfg.ServiceJourney.RuleAllowlist, a.supervisors())...)
	a.methods = append(a.methods, api.UserMapMethods(a.users, usermap.SJUsers{Client: a.ab}, a.supervisors())...)
	// The features, in order, each adding its methods, jobs and job status:
	// the agent page (interactions), its real-time listener (events), the
	// supervisor page (which reports the jobs added before it), the setup wizard.
	for _, add := range []func(a *app) error{addInteractions, addEvents, addSupervisor, addSetup} {
		if err := add(a); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// supervisors is who may use the supervisor page and its methods.
func (a *app) supervisors() api.Supervisors {
	return api.Supervisors{Permissions: a.cfg.UserMap.SupervisorPermissions, Groups: a.cfg.UserMap.SupervisorGroups}
}

// httpServer builds the HTTP surface once every feature has added its methods.
func (a *app) httpServer() (*api.Server, error) {
	if a.api != nil {
		return a.api, nil
	}
	cfg := a.cfg
	var actions *api.ActionsOptions
	if cfg.ActionsEnabled() && a.lookup != nil {
		actions = &api.ActionsOptions{Lookup: a.lookup, UserName: cfg.Actions.UserName, Password: cfg.Actions.Password,
			OrgID: a.gc.OrgID, Budget: cfg.Actions.Budget, RatePerSecond: float64(cfg.Actions.RatePerSecond)}
	}
	srv, err := api.New(api.Options{
		Actions:        actions,
		AppsOrigin:     cfg.AppsOrigin(),
		FrameAncestors: cfg.Server.FrameAncestors,
		CORSOrigins:    cfg.Server.CORSOrigins,
		ConnectSrc:     origins(cfg.LoginBaseURL(), cfg.APIBaseURL()),
		FrameSrc:       origins(cfg.ServiceJourney.URL),
		MaxBodyBytes:   cfg.Server.MaxBodyBytes,
		WriteTimeout:   cfg.Server.WriteTimeout,
		// Metrics on their own address when asked; on the main one otherwise.
		SeparateMetrics: cfg.Server.MetricsListen != "",
		TrustedProxies:  cfg.Server.TrustedProxies,
		AccessLog:       a.accessOut,
		PageConfig:      pageConfig(cfg),
		Ready:           a.ready,
		ReadyDetail:     a.readyDetail,
		Verifier:        api.GenesysVerifier{Client: a.gc},
		Methods:         a.methods,
		Registerer:      a.reg,
		Gatherer:        a.reg,
		Logger:          a.log,
	})
	if err != nil {
		return nil, err
	}
	a.api = srv
	return srv, nil
}

// ready is /readyz: both background credentials work. The clients cache their
// tokens, so a probe every few seconds costs no upstream call.
func (a *app) ready(ctx context.Context) error {
	var errs []error
	if _, err := a.gc.Token(ctx); err != nil {
		errs = append(errs, fmt.Errorf("Genesys Cloud client credentials: %w", err))
	}
	if err := a.ab.EnsureLogin(ctx); err != nil {
		errs = append(errs, fmt.Errorf("ServiceJourney system user: %w", err))
	}
	return errors.Join(errs...)
}

// readyDetail is the rest of the /readyz answer: the event listener's
// state, when it is on. It does not make the replica unready: a replica
// without a listener (a standby, a failed channel) still serves the pages.
func (a *app) readyDetail() map[string]any {
	if a.events == nil {
		return nil
	}
	return map[string]any{"events": a.events.readyDetail()}
}

// serve runs the HTTP server and the in-process jobs until ctx ends.
func (a *app) serve(ctx context.Context, ln net.Listener) error {
	srv, err := a.httpServer()
	if err != nil {
		return err
	}
	s := a.cfg.Server
	if s.MetricsListen != "" && a.metricsLn == nil {
		if a.metricsLn, err = net.Listen("tcp", s.MetricsListen); err != nil {
			return fmt.Errorf("server.metricsListen %q: %w", s.MetricsListen, err)
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for _, job := range a.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := job(ctx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("background job stopped", "error", err)
			}
		}()
	}
	timeouts := api.Timeouts{Read: s.ReadTimeout, Write: s.WriteTimeout, Idle: s.IdleTimeout, Shutdown: s.ShutdownTimeout}
	if a.metricsLn != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.log.Info("metrics listening", "addr", a.metricsLn.Addr().String())
			if err := api.Serve(ctx, a.metricsLn, srv.MetricsHandler(), timeouts, a.log); err != nil {
				a.log.Error("metrics server stopped", "error", err)
			}
		}()
	}
	a.log.Info("dcmconnect listening", "addr", ln.Addr().String(), "public_url", s.PublicURL, "version", version, "gc", gcPolicy.String())
	err = api.Serve(ctx, ln, srv.Handler(), timeouts, a.log)
	cancel()
	wg.Wait()
	srv.Close() // the access lines still buffered
	return err
}

// origins reduces URLs to scheme://host[:port] for CSP source lists.
func origins(urls ...string) []string {
	var out []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			continue
		}
		if o := u.Scheme + "://" + u.Host; !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}
