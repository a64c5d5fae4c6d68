package main

import (
	"context"
	"fmt"

	"dcmconnect/config"
)

// cmdCheckConfig validates the file and the DCM_* environment without
// contacting anything; `dcmconnect check` goes on to the live systems.
func cmdCheckConfig(_ context.Context, g globals, args []string) error {
	fs := newFlags("check-config", &g)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stdout, "%s: configuration is valid (Genesys Cloud %s, ServiceJourney %s, domain %s)\n",
		g.configPath, cfg.Genesys.Environment, cfg.ServiceJourney.URL, cfg.ServiceJourney.Domain)
	return nil
}

// loadConfig reads the file and environment; warnings go to stderr, errors
// make an exit-2 error that lists every problem at once.
func loadConfig(g globals) (*config.Config, error) {
	cfg, problems := config.Load(g.configPath, g.env)
	if problems != nil && len(problems.List) > 0 {
		fmt.Fprintf(g.stderr, "%s:\n%s\n", g.configPath, problems.String())
	}
	if problems != nil && problems.Err() != nil {
		n := 0
		for _, p := range problems.List {
			if !p.Warning {
				n++
			}
		}
		return nil, &exitError{exitUsage, fmt.Errorf("%s has %d problem(s); fix them and run 'dcmconnect check-config' again", g.configPath, n)}
	}
	return cfg, nil
}
