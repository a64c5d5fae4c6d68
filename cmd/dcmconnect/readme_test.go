package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readmeBlock is the first ```sh block of the README section titled title.
func readmeBlock(t *testing.T, title string) []string {
	t.Helper()
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, sec, ok := strings.Cut(string(src), "\n## "+title+"\n")
	if !ok {
		t.Fatalf("README has no section %q", title)
	}
	sec, _, _ = strings.Cut(sec, "\n## ")
	_, block, ok := strings.Cut(sec, "```sh\n")
	if !ok {
		t.Fatalf("README section %q has no sh block", title)
	}
	block, _, _ = strings.Cut(block, "```")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// Done-when (issue 18): the README's migration commands run as printed,
// in a fresh folder holding the old install's two files: each `export`
// sets a variable ($PWD expanded), each `dcmconnect` line runs the command
// and must succeed.
func TestREADMEMigrationRunsAsPrinted(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"Web.config", "config.js"} {
		b, err := os.ReadFile(filepath.Join("../../migrate/testdata/complete", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lines := readmeBlock(t, "Migrating from the old IIS install")
	t.Chdir(dir)
	var env []string
	ran := 0
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "export "):
			k, v, ok := strings.Cut(strings.TrimPrefix(l, "export "), "=")
			if !ok {
				t.Fatalf("README line %q: export without =", l)
			}
			v = strings.ReplaceAll(strings.Trim(v, `"`), "$PWD", dir)
			env = append(env, k+"="+v)
		case strings.HasPrefix(l, "dcmconnect "):
			var out, errb bytes.Buffer
			if err := run(context.Background(), strings.Fields(l)[1:], env, &out, &errb); err != nil {
				t.Fatalf("README line %q failed: %v\nstdout:\n%s\nstderr:\n%s", l, err, out.String(), errb.String())
			}
			ran++
		default:
			t.Fatalf("README line %q is neither an export nor a dcmconnect command; the test cannot run it", l)
		}
	}
	if ran < 2 {
		t.Fatalf("ran %d dcmconnect commands from the README, want migrate and check-config", ran)
	}
}

// --help is a question, not a mistake: usage on stdout, exit status 0.
func TestHelpPrintsUsageOnStdout(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"check", "--help"}, {"migrate", "-h"}} {
		var out, errb bytes.Buffer
		if err := run(context.Background(), args, nil, &out, &errb); err != nil && err != errHelped {
			t.Errorf("%v: %v (stderr %q)", args, err, errb.String())
		}
		if !strings.Contains(out.String(), "usage: dcmconnect") || errb.Len() != 0 {
			t.Errorf("%v: stdout %q, stderr %q", args, out.String(), errb.String())
		}
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"--bogus"}, nil, &out, &errb); err == nil || !strings.Contains(errb.String(), "usage: dcmconnect") {
		t.Errorf("a bad flag: err %v, stderr %q", err, errb.String())
	}
}
