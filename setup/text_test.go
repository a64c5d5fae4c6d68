package setup

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEveryMsgCodeIsKnown: every code the checker and the installer say
// has its English (and so, through the text test in cmd/dcmconnect, its
// four languages); codes built at run time (kind.*, scope.*) too.
func TestEveryMsgCodeIsKnown(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	literal := regexp.MustCompile(`\bM\("([^"]+)"[,)]`)
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			n++
			if _, ok := english[m[1]]; !ok {
				t.Errorf("%s says M(%q), which has no English text", f, m[1])
			}
		}
	}
	if n < 100 {
		t.Errorf("found %d M(...) calls; did the spelling change?", n)
	}
	for _, k := range append(Kinds, KindDataActions) {
		if EnglishText("kind."+k) == "" {
			t.Errorf("no text kind.%s", k)
		}
	}
	for _, need := range scopeNeeds {
		if EnglishText("scope."+need.why) == "" {
			t.Errorf("no text scope.%s", need.why)
		}
	}
	for _, code := range []string{"ruleNotFound", "ruleNotFoundStock"} {
		if EnglishText(code) == "" {
			t.Errorf("no text %s", code)
		}
	}
}

func TestMsgEnglish(t *testing.T) {
	m := M("kindProblem", "kind", M("kind.group"), "problem", M("problem.opensElsewhere", "got", "a", "want", "b"))
	if got, want := m.String(), "agents group: opens a instead of b"; got != want {
		t.Errorf("nested: %q, want %q", got, want)
	}
	l := M("appsMissing", "kinds", []Msg{M("kind.group"), M("kind.role")})
	if got, want := l.String(), "missing: agents group; agent role"; got != want {
		t.Errorf("list: %q, want %q", got, want)
	}
	if got := M("noSuchCode").String(); got != "noSuchCode" {
		t.Errorf("unknown code says %q", got)
	}
	if got := M("usersCount", "n", 3).String(); got != "3 user(s) in the organization" {
		t.Errorf("number param: %q", got)
	}
}
