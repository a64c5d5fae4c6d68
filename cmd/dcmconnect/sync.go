package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// syncJobs are the one-shot jobs of `dcmconnect sync <job>`: Kubernetes
// CronJobs (concurrencyPolicy: Forbid) run them when the Deployment has the
// in-process jobs switched off. Each returns a summary for stdout.
var syncJobs = map[string]func(ctx context.Context, a *app, args []string, stdout io.Writer) (summary any, ok bool, err error){
	"users":        syncUsers,
	"interactions": syncInteractions,
}

func cmdSync(ctx context.Context, g globals, args []string) error {
	if len(args) == 0 || syncJobs[args[0]] == nil {
		names := make([]string, 0, len(syncJobs))
		for n := range syncJobs {
			names = append(names, n)
		}
		sort.Strings(names)
		return &exitError{exitUsage, fmt.Errorf("usage: dcmconnect sync <%s> [--json] [--config PATH]", strings.Join(names, "|"))}
	}
	job := syncJobs[args[0]]
	fs := newFlags("sync "+args[0], &g)
	asJSON := fs.Bool("json", false, "print the summary as JSON")
	var since *string
	if args[0] == "interactions" {
		since = fs.String("since", "", "also re-log conversations started within this duration, e.g. 2h")
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var extra []string
	if since != nil && *since != "" {
		extra = []string{"--since", *since} // the interactions job checks the value
	}
	cfg, err := loadConfig(g)
	if err != nil {
		return err
	}
	a, err := newApp(cfg, newLogger(cfg.Server.LogLevel, g.stderr))
	if err != nil {
		return err
	}
	summary, ok, err := job(ctx, a, extra, g.stdout)
	if err != nil && summary == nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(g.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(summary); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(g.stdout, summary)
	}
	if !ok {
		return &exitError{exitFailure, fmt.Errorf("sync %s failed", args[0])}
	}
	return nil
}

func syncUsers(ctx context.Context, a *app, _ []string, _ io.Writer) (any, bool, error) {
	sum, err := a.userSync.RunOnce(ctx)
	return sum, err == nil && sum.OK, err
}
