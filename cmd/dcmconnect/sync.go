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
	"users": syncUsers,
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
	// --config and --json are common to every job; the rest (e.g. --since)
	// belongs to the job, which parses it.
	asJSON := false
	var extra []string
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		name, val, hasVal := strings.Cut(strings.TrimLeft(rest[i], "-"), "=")
		switch {
		case !strings.HasPrefix(rest[i], "-"):
			extra = append(extra, rest[i])
		case name == "json":
			asJSON = !hasVal || val == "true"
		case name == "config" && hasVal:
			g.configPath = val
		case name == "config" && i+1 < len(rest):
			g.configPath = rest[i+1]
			i++
		default:
			extra = append(extra, rest[i])
		}
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
	if asJSON {
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

func syncUsers(ctx context.Context, a *app, args []string, _ io.Writer) (any, bool, error) {
	if len(args) > 0 {
		return nil, false, &exitError{exitUsage, fmt.Errorf("sync users takes no argument %q (flags: --json, --config PATH)", args[0])}
	}
	sum, err := a.userSync.RunOnce(ctx)
	return sum, err == nil && sum.OK, err
}
