package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dcmconnect/appbase"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/setup"
)

// writeDemoConfig writes the demo stack's own configuration file, changed by
// edit (to break one piece), and returns its path.
func writeDemoConfig(t *testing.T, d *demoStack, edit func(string) string) string {
	t.Helper()
	yaml := d.configYAML()
	if edit != nil {
		yaml = edit(yaml)
	}
	p := filepath.Join(t.TempDir(), "dcmconnect.yaml")
	if err := os.WriteFile(p, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// reportRows reads the table back: one line per row, its cells (each
// joined again from its wrapped pieces) separated by spaces. A piece that
// fills its column was cut inside a word, so the next one joins it without
// a space.
func reportRows(out string) []string {
	lines := strings.Split(out, "\n")
	var starts []int
	if len(lines) > 0 && strings.HasPrefix(lines[0], "STATUS") {
		h := lines[0]
		starts = []int{0, strings.Index(h, "STEP"), strings.Index(h, "CHECK"), strings.Index(h, "DETAIL")}
		lines = lines[1:]
	}
	widest := 0 // a word cut in the last column fills the line to the width
	for _, l := range lines {
		widest = max(widest, len([]rune(l)))
	}
	var rows []string
	var cells []string
	var cut []bool
	flush := func() {
		if cells != nil {
			rows = append(rows, strings.Join(cells, " "))
		}
		cells, cut = nil, nil
	}
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		if !strings.HasPrefix(l, " ") {
			flush()
		}
		if starts == nil { // stacked: the row's lines one after another
			if cells == nil {
				cells, cut = []string{""}, []bool{false}
			}
			cells[0] = strings.TrimSpace(cells[0] + " " + strings.TrimSpace(l))
			continue
		}
		if cells == nil {
			cells, cut = make([]string, len(starts)), make([]bool, len(starts))
		}
		r := []rune(l)
		for j, start := range starts {
			end, width := len(r), widest-start
			if j+1 < len(starts) {
				end, width = min(starts[j+1], len(r)), starts[j+1]-start-2
			}
			if start >= end {
				continue
			}
			piece := strings.TrimSpace(string(r[start:end]))
			if piece == "" {
				continue
			}
			switch {
			case cells[j] == "":
				cells[j] = piece
			case cut[j]:
				cells[j] += piece
			default:
				cells[j] += " " + piece
			}
			cut[j] = len([]rune(piece)) == width
		}
	}
	flush()
	return rows
}

// failing returns the table's FAIL rows, each with its fix.
func failing(out string) []string {
	var fails []string
	for _, r := range reportRows(out) {
		if strings.HasPrefix(r, "FAIL") {
			fails = append(fails, r)
		}
	}
	return fails
}

func TestCheckCommandAgainstDemo(t *testing.T) {
	t.Parallel()
	d := startTestDemo(t, demoOptions{})
	pages := setup.PageURLs(d.PublicURL)

	t.Run("healthy", func(t *testing.T) {
		out, stderr, code := runCmd(t, nil, "check", "--config", writeDemoConfig(t, d, nil))
		if code != 0 {
			t.Fatalf("exit %d\n%s\n%s", code, out, stderr)
		}
		if f := failing(out); len(f) != 0 {
			t.Errorf("failures on the healthy demo: %v", f)
		}
		// The demo serves plain http on loopback: a warning, not a failure.
		if !hasLine(out, "WARN", "Step 9: Web endpoints", "plain http on loopback") || !strings.Contains(out, "0 fail") {
			t.Errorf("no http warning / summary:\n%s", out)
		}
		if !hasLine(out, "PASS", "Step 5: Premium App", `"ServiceJourney Connector"`) {
			t.Errorf("the demo's Premium App was not found:\n%s", out)
		}
		// Not a terminal: 100 columns. The data actions are not installed
		// yet, so their test is not checked: counted apart from warnings.
		for _, l := range strings.Split(out, "\n") {
			if n := len([]rune(l)); n > 100 {
				t.Errorf("a line of %d columns:\n%s", n, l)
			}
		}
		if !hasLine(out, "SKIP", "data actions answer", "not checked") || !strings.Contains(out, " 0 fail, 1 not checked") {
			t.Errorf("no SKIP line / summary:\n%s", out)
		}

		out, _, code = runCmd(t, nil, "check", "--json", "--config", writeDemoConfig(t, d, nil))
		var rep setup.Report
		if code != 0 || json.Unmarshal([]byte(out), &rep) != nil || !rep.OK || rep.Fail != 0 || len(rep.Lines) < 20 {
			t.Fatalf("--json: exit %d, %+v\n%s", code, rep, out)
		}
	})

	t.Run("wrong system password", func(t *testing.T) {
		p := writeDemoConfig(t, d, func(y string) string {
			return strings.Replace(y, "systemPassword: "+d.sj.Password(), "systemPassword: not-the-password", 1)
		})
		out, stderr, code := runCmd(t, nil, "check", "--config", p)
		f := failing(out)
		if code != exitFailure || len(f) != 1 || !strings.Contains(f[0], "Step 4: ServiceJourney system user") ||
			!strings.Contains(f[0], "fix: check servicejourney.systemUser and servicejourney.systemPassword") {
			t.Fatalf("exit %d, failing %q\n%s\n%s", code, f, out, stderr)
		}
		if strings.Contains(out+stderr, "not-the-password") || strings.Contains(out+stderr, d.sj.Password()) {
			t.Errorf("a password was printed")
		}
	})

	t.Run("missing contract rule", func(t *testing.T) {
		d.sj.RemoveRule(appbase.OpUpsertInteraction)
		defer d.sj.RestoreRule(appbase.OpUpsertInteraction)
		out, _, code := runCmd(t, nil, "check", "--config", writeDemoConfig(t, d, nil))
		f := failing(out)
		if code != exitFailure || len(f) != 1 || !strings.Contains(f[0], "Step 8: Connector rules in ServiceJourney") ||
			!strings.Contains(f[0], "ROOT_GENESYS_UPSERTINTERACTION") || !strings.Contains(f[0], "servicejourney.rules.UPSERTINTERACTION") {
			t.Fatalf("exit %d, failing %q\n%s", code, f, out)
		}
	})

	t.Run("redirect URI missing", func(t *testing.T) {
		orig := genesystest.Client{ID: demoBrowserClient, Name: "ServiceJourney Browser", GrantType: genesystest.GrantCode,
			RedirectURIs: pages, Scopes: []string{"user-basic-info", "conversations", "analytics", "integrations", "authorization", "groups", "oauth"}}
		broken := orig
		broken.RedirectURIs = pages[:2]
		d.genesys.AddClient(broken)
		defer d.genesys.AddClient(orig)
		out, _, code := runCmd(t, nil, "check", "--config", writeDemoConfig(t, d, nil))
		f := failing(out)
		if code != exitFailure || len(f) != 1 || !strings.Contains(f[0], "Step 6: Browser OAuth client") ||
			!strings.Contains(f[0], "fix: add these Authorized redirect URIs") || !strings.Contains(f[0], pages[2]) {
			t.Fatalf("exit %d, failing %q\n%s", code, f, out)
		}
	})

	t.Run("fixed again", func(t *testing.T) {
		if out, _, code := runCmd(t, nil, "check", "--config", writeDemoConfig(t, d, nil)); code != 0 {
			t.Fatalf("exit %d after restoring everything\n%s", code, out)
		}
	})
}

// hasLine reports whether a table row starts with status and holds all of parts.
func hasLine(out, status string, parts ...string) bool {
	for _, r := range reportRows(out) {
		ok := strings.HasPrefix(r, status)
		for _, p := range parts {
			ok = ok && strings.Contains(r, p)
		}
		if ok {
			return true
		}
	}
	return false
}
