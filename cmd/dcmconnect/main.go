// Command dcmconnect is the DCM connector between Genesys Cloud and Eccentex
// AppBase ServiceJourney: one binary, one config file.
//
//	dcmconnect [--config PATH] [serve]      run the server (default)
//	dcmconnect demo                         server + fake Genesys + fake ServiceJourney on loopback
//	dcmconnect check-config                 validate the config file (exit 2 when wrong)
//	dcmconnect check [--json]               test every install step live (exit 1 on a failure)
//	dcmconnect version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"dcmconnect/internal/gcheadroom"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// Exit codes: 1 for a run-time failure, 2 for bad usage or bad configuration.
const (
	exitFailure = 1
	exitUsage   = 2
)

// exitError carries an exit code through the command functions.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }

// gcPolicy is the collector policy main started, for the start-up log.
var gcPolicy gcheadroom.Policy

func main() {
	// A small heap gets a fixed GC headroom (docs/memory.md),
	// unless GOGC or GOMEMLIMIT is set.
	gcPolicy = gcheadroom.Start(os.Getenv, gcheadroom.DefaultHeadroom)
	runMain := func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Environ(), os.Stdout, os.Stderr) }
	handled, err := runService(runMain)
	if !handled {
		ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
		err = runMain(ctx)
		stop()
	}
	if err != nil && err != errHelped {
		code := exitFailure
		var ee *exitError
		if errors.As(err, &ee) {
			code = ee.code
		}
		if msg := err.Error(); msg != "" {
			fmt.Fprintln(os.Stderr, "dcmconnect:", msg)
		}
		os.Exit(code)
	}
}

// commands maps a subcommand to its function; each parses its own flags.
var commands = map[string]func(ctx context.Context, g globals, args []string) error{
	"serve":        cmdServe,
	"demo":         cmdDemo,
	"check-config": cmdCheckConfig,
	"check":        cmdCheck,
	"sync":         cmdSync,
	"migrate":      cmdMigrate,
	"version": func(_ context.Context, g globals, _ []string) error {
		fmt.Fprintln(g.stdout, "dcmconnect", version)
		return nil
	},
}

// globals are what every subcommand gets: the config path, the environment
// and the output streams (injected so tests run commands in-process).
type globals struct {
	configPath     string
	env            []string
	stdout, stderr io.Writer
}

func run(ctx context.Context, args, env []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("dcmconnect", flag.ContinueOnError)
	fs.SetOutput(stderr)
	g := globals{env: env, stdout: stdout, stderr: stderr}
	fs.StringVar(&g.configPath, "config", envOr(env, "DCM_CONFIG", "dcmconnect.yaml"), "path of the configuration file (env DCM_CONFIG)")
	fs.Usage = func() {} // printed below: on stdout when asked for, on stderr after a mistake
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage(stdout, fs)
			return nil
		}
		usage(stderr, fs)
		return &exitError{exitUsage, errors.New("")}
	}
	rest := fs.Args()
	name := "serve"
	if len(rest) > 0 {
		name, rest = rest[0], rest[1:]
	}
	if name == "help" {
		usage(stdout, fs)
		return nil
	}
	cmd, ok := commands[name]
	if !ok {
		usage(stderr, fs)
		return &exitError{exitUsage, fmt.Errorf("unknown command %q", name)}
	}
	return cmd(ctx, g, rest)
}

// newFlags is a subcommand's flag set; it accepts --config after the
// subcommand too (`dcmconnect serve --config /etc/dcmconnect.yaml`).
func newFlags(name string, g *globals) *flag.FlagSet {
	fs := flag.NewFlagSet("dcmconnect "+name, flag.ContinueOnError)
	// flag writes a mistake before it calls Usage and nothing before a
	// --help, so what was written says where the usage belongs.
	errs := &countingWriter{w: g.stderr}
	fs.SetOutput(errs)
	fs.Usage = func() {
		out := g.stdout
		if errs.n > 0 {
			out = g.stderr
		}
		fmt.Fprintf(out, "usage: dcmconnect %s [flags]\n\nflags:\n", name)
		fs.SetOutput(out)
		fs.PrintDefaults()
		fs.SetOutput(errs)
	}
	fs.StringVar(&g.configPath, "config", g.configPath, "path of the configuration file (env DCM_CONFIG)")
	return fs
}

type countingWriter struct {
	w io.Writer
	n int
}

func (c *countingWriter) Write(p []byte) (int, error) { c.n += len(p); return c.w.Write(p) }

// errHelped ends a command whose --help was answered: exit status 0.
var errHelped = &exitError{0, errors.New("")}

// parseFlags parses a subcommand's flags; a bad flag is a usage error,
// --help (usage on stdout) ends the command with exit status 0.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelped
		}
		return &exitError{exitUsage, errors.New("")}
	}
	if fs.NArg() > 0 {
		return &exitError{exitUsage, fmt.Errorf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintln(w, `usage: dcmconnect [--config PATH] <command> [flags]

commands:
  serve          run the connector (default)
  demo           run the connector with fake Genesys Cloud and ServiceJourney on loopback
  check-config   validate the configuration file; exit status 2 when anything is wrong
  check          test every install step against Genesys Cloud and ServiceJourney (--json); exit 1 on a failure
  sync users     run the user sync once (--json for machines); non-zero exit on failure
  sync interactions [--since DURATION]
                 log finished conversations once (--json); non-zero exit on failure
  migrate        turn the old Web.config and config.js into a dcmconnect.yaml
  version        print the version

flags:`)
	out := fs.Output()
	fs.SetOutput(w)
	fs.PrintDefaults()
	fs.SetOutput(out)
}

func envOr(env []string, key, def string) string {
	for i := len(env) - 1; i >= 0; i-- {
		if k, v, ok := cutEnv(env[i]); ok && k == key && v != "" {
			return v
		}
	}
	return def
}

func cutEnv(kv string) (string, string, bool) {
	for i := 0; i < len(kv); i++ {
		if kv[i] == '=' {
			return kv[:i], kv[i+1:], true
		}
	}
	return "", "", false
}
