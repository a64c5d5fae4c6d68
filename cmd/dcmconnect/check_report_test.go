package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"dcmconnect/setup"
)

func sampleReport() *setup.Report {
	long := "add these Authorized redirect URIs to the OAuth client \"ServiceJourney Browser\" (Admin > Integrations > OAuth): " +
		"https://sj.example.com/dcm-connect-docs/wizard/index.html?with=a-very-long-query-string-that-no-column-can-hold-in-one-piece"
	return &setup.Report{Lines: []setup.Line{
		{ID: "a", Step: setup.Step6, Check: "redirect URIs", Status: setup.Fail, Detail: "missing: https://sj.example.com/dcm-connect-docs/wizard/index.html", Fix: long},
		{ID: "b", Step: setup.Step8, Check: "ROOT_GENESYS_UPSERTINTERACTION", Status: setup.Skip, Detail: "not checked: the system user could not log in", Fix: "fix the failing line above, then check again"},
		{ID: "c", Step: setup.Step2, Check: "login host answers", Status: setup.Pass, Detail: "https://login.mypurecloud.ie answered"},
		{ID: "d", Step: setup.Step9, Check: "public URL", Status: setup.Warn, Detail: "http://127.0.0.1:8080 answers, but over plain http on loopback (fine for the demo only)", Fix: "serve dcmconnect over HTTPS"},
	}, Pass: 1, Warn: 1, Fail: 1, NotChecked: 1}
}

// `check` keeps every line within the width, in the table (wide) and in the
// stacked form (narrow), and says every word of every line.
func TestCheckReportWrapsToTheWidth(t *testing.T) {
	t.Parallel()
	r := sampleReport()
	for _, width := range []int{100, 160, 80, 60, 40} {
		var b bytes.Buffer
		printReport(&b, r, width)
		out := b.String()
		for _, l := range strings.Split(out, "\n") {
			if n := runes(l); n > width {
				t.Errorf("width %d: a line of %d columns: %q", width, n, l)
			}
		}
		if got, want := reportCells(out), wantCells(r, !strings.HasPrefix(out, "STATUS")); got != want {
			t.Errorf("width %d: the table says\n%s\nwant\n%s\n%s", width, got, want, out)
		}
		if !hasLine(out, "FAIL", "Step 6", "fix: add these Authorized redirect URIs") {
			t.Errorf("width %d: the fix is not in the FAIL row:\n%s", width, out)
		}
		if !hasLine(out, "SKIP", "not checked") || hasLine(out, "PASS", "fix:") {
			t.Errorf("width %d: SKIP row / a fix under a pass:\n%s", width, out)
		}
		if !strings.Contains(strings.Join(strings.Fields(out), " "), "4 checks: 1 pass, 1 warn, 1 fail, 1 not checked") {
			t.Errorf("width %d: summary:\n%s", width, out)
		}
	}
	// The table form from 80 columns: status, step, check, detail side by
	// side; a rule name stays whole in its column when there is room.
	var b bytes.Buffer
	printReport(&b, r, 140)
	if first := strings.SplitN(b.String(), "\n", 2)[0]; !strings.HasPrefix(first, "STATUS") || !strings.Contains(first, "DETAIL") {
		t.Errorf("no table header: %q", first)
	}
	if !strings.Contains(b.String(), "ROOT_GENESYS_UPSERTINTERACTION") {
		t.Errorf("the rule name is cut at 140 columns:\n%s", b.String())
	}
	b.Reset()
	printReport(&b, r, 100)
	if !strings.HasPrefix(b.String(), "STATUS") {
		t.Errorf("100 columns: not a table:\n%s", b.String())
	}
	b.Reset()
	printReport(&b, r, 60)
	if first := strings.SplitN(b.String(), "\n", 2)[0]; !strings.HasPrefix(first, "FAIL") {
		t.Errorf("60 columns: not stacked: %q", first)
	}
}

func TestWrap(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		in    string
		width int
		want  []string
	}{
		{"a bb ccc", 4, []string{"a bb", "ccc"}},
		{"abcdefghij", 4, []string{"abcd", "efgh", "ij"}},
		{"", 5, []string{""}},
		{"über   straße", 5, []string{"über", "straß", "e"}},
	} {
		if got := wrap(c.in, c.width); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("wrap(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

// A pipe or file gets 100 columns; $COLUMNS wins; a width is never below 40.
func TestReportColumns(t *testing.T) {
	t.Parallel()
	if got := reportColumns(&bytes.Buffer{}, nil); got != 100 {
		t.Errorf("a buffer: %d columns", got)
	}
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := reportColumns(f, nil); got != 100 {
		t.Errorf("a file: %d columns", got)
	}
	if got := reportColumns(f, []string{"COLUMNS=132"}); got != 132 {
		t.Errorf("COLUMNS=132: %d", got)
	}
	if got := reportColumns(f, []string{"COLUMNS=10"}); got != 40 {
		t.Errorf("COLUMNS=10: %d", got)
	}
}

// wantCells is what each row must say, spaces aside: status, step, check,
// and detail followed by the fix (for a line that did not pass); stacked,
// status and the rest.
func wantCells(r *setup.Report, stacked bool) string {
	var b strings.Builder
	for _, l := range r.Lines {
		detail := l.Detail
		if l.Status != setup.Pass && l.Fix != "" {
			detail += "fix: " + l.Fix
		}
		cells := []string{statusWord(l.Status), l.Step, l.Check, detail}
		if stacked {
			cells = []string{statusWord(l.Status), l.Step + " · " + l.Check + detail}
		}
		for _, c := range cells {
			b.WriteString(strings.ReplaceAll(c, " ", "") + "|")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// reportCells reads printReport's output back, column by column (table) or
// title and body (stacked), spaces aside, in wantCells' form.
func reportCells(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	for i := len(lines) - 1; i > 0; i-- {
		if lines[i] == "" { // the blank line above the summary (which may wrap)
			lines = lines[:i]
			break
		}
	}
	var b strings.Builder
	if strings.HasPrefix(lines[0], "STATUS") {
		h := lines[0]
		starts := []int{0, strings.Index(h, "STEP"), strings.Index(h, "CHECK"), strings.Index(h, "DETAIL")}
		var row [4]string
		flush := func() {
			if row[0] != "" {
				b.WriteString(strings.Join(row[:], "|") + "|\n")
			}
			row = [4]string{}
		}
		for _, l := range lines[1:] {
			if !strings.HasPrefix(l, " ") {
				flush()
			}
			r := []rune(l)
			for j := range starts {
				end := len(r)
				if j+1 < len(starts) {
					end = min(starts[j+1], len(r))
				}
				if starts[j] < end {
					row[j] += strings.ReplaceAll(string(r[starts[j]:end]), " ", "")
				}
			}
		}
		flush()
		return b.String()
	}
	// Stacked: "STATUS  step · check" then the detail and fix indented.
	var rows [][]string
	for _, l := range lines {
		if !strings.HasPrefix(l, " ") {
			rows = append(rows, []string{l})
		} else {
			rows[len(rows)-1] = append(rows[len(rows)-1], strings.TrimSpace(l))
		}
	}
	for _, r := range rows {
		status, rest, _ := strings.Cut(r[0], " ")
		b.WriteString(status + "|" + strings.ReplaceAll(rest+strings.Join(r[1:], ""), " ", "") + "|\n")
	}
	return b.String()
}
