package main

import (
	"context"
	"encoding/json"
	"fmt"
)

// cmdCheck tests every install step against the live systems with the
// configured credentials (`check-config` only reads the file). It exits 1
// when a check fails; warnings and lines not checked alone exit 0.
func cmdCheck(ctx context.Context, g globals, args []string) error {
	fs := newFlags("check", &g)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	// The report is the output; the clients' info logs would only repeat it.
	a, err := newApp(cfg, newLogger("warn", g.stderr))
	if err != nil {
		return err
	}
	checker, _, err := newSetupTools(a)
	if err != nil {
		return err
	}
	rep := checker.Run(ctx, nil)
	if *asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		printReport(g.stdout, rep, reportColumns(g.stdout, g.env))
	}
	if !rep.OK {
		return &exitError{exitFailure, fmt.Errorf("%d check(s) failed; fix them and run 'dcmconnect check' again", rep.Fail)}
	}
	return nil
}
