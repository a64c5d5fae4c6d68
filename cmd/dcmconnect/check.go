package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"dcmconnect/setup"
)

// cmdCheck tests every install step against the live systems with the
// configured credentials (`check-config` only reads the file). It exits 1
// when a check fails; warnings alone exit 0.
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
		printReport(g.stdout, rep)
	}
	if !rep.OK {
		return &exitError{exitFailure, fmt.Errorf("%d check(s) failed; fix them and run 'dcmconnect check' again", rep.Fail)}
	}
	return nil
}

// printReport is the table: status, step, check and detail, with the fix
// under each line that did not pass.
func printReport(w io.Writer, r *setup.Report) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "STATUS\tSTEP\tCHECK\tDETAIL")
	for _, l := range r.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", strings.ToUpper(string(l.Status)), l.Step, l.Check, l.Detail)
		if l.Status != setup.Pass && l.Fix != "" {
			fmt.Fprintf(tw, "\t\t\tfix: %s\n", l.Fix)
		}
	}
	tw.Flush()
	fmt.Fprintf(w, "\n%d checks: %d pass, %d warn, %d fail\n", len(r.Lines), r.Pass, r.Warn, r.Fail)
}
