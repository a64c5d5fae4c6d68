package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"

	"dcmconnect/api"
	"dcmconnect/config"
)

func cmdServe(ctx context.Context, g globals, args []string) error {
	fs := newFlags("serve", &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	log := newLogger(cfg.Server.LogLevel, g.stderr)
	a, err := newApp(cfg, log)
	if err != nil {
		return err
	}
	a.accessOut = g.stderr // the log's own stream, written in batches
	ln, err := net.Listen("tcp", cfg.Server.Listen)
	if err != nil {
		return fmt.Errorf("server.listen %q: %w", cfg.Server.Listen, err)
	}
	return a.serve(ctx, ln)
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

// pageConfig is what config/config.js tells the pages. It is built from
// named fields only, so a secret cannot slip in by accident.
func pageConfig(cfg *config.Config) api.PageConfig {
	base := strings.TrimRight(cfg.Server.PublicURL, "/")
	return api.PageConfig{
		Environment:     cfg.Genesys.Environment,
		AppsOrigin:      cfg.AppsOrigin(),
		LoginURL:        strings.TrimRight(cfg.LoginBaseURL(), "/"),
		APIURL:          strings.TrimRight(cfg.APIBaseURL(), "/"),
		BrowserClientID: cfg.Genesys.BrowserClientID,
		BrowserGrant:    cfg.Genesys.BrowserGrant,
		PublicURL:       base,
		DocsURL:         base + api.DocsPrefix + "/",
		ServiceURL:      base + api.ServicePrefix + "/DCMServices.asmx/",
		SolutionURL:     strings.TrimRight(cfg.ServiceJourney.URL, "/"),
		DomainCode:      cfg.ServiceJourney.Domain,
		IntegrationCode: cfg.ServiceJourney.IntegrationCode,
	}
}
