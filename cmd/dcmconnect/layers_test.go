package main

import (
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// layers ranks the module's packages by top-level directory: a package may
// import only packages of a lower rank (or its own directory's, such as
// genesys/genesystest importing genesys). docs/architecture.md explains them.
var layers = map[string]int{
	"internal": 0, "web": 0,
	"genesys": 1, "appbase": 1, "config": 1,
	"usermap":      2,
	"interactions": 3, "supervisor": 3, "setup": 3, "migrate": 3,
	"api": 4,
	"cmd": 5,
}

// TestImportsGoDownTheLayers fails on an import against the dependency
// direction cmd -> api -> {setup, supervisor, interactions, usermap} ->
// {genesys, appbase}, and on a new top-level package not yet ranked above.
func TestImportsGoDownTheLayers(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		rel, _ := filepath.Rel(root, filepath.Dir(p))
		from := filepath.ToSlash(rel)
		f, err := parser.ParseFile(fset, p, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, im := range f.Imports {
			ip, _ := strconv.Unquote(im.Path.Value)
			to, ours := strings.CutPrefix(ip, "dcmconnect/")
			if !ours {
				continue
			}
			if msg := checkImport(from, to); msg != "" {
				t.Errorf("%s imports %s: %s", filepath.ToSlash(p[len(root)+1:]), ip, msg)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func checkImport(from, to string) string {
	top := func(p string) string { s, _, _ := strings.Cut(p, "/"); return s }
	if top(from) == top(to) {
		return ""
	}
	lf, okf := layers[top(from)]
	lt, okt := layers[top(to)]
	switch {
	case !okf:
		return "package " + top(from) + " has no layer: add it to layers and docs/architecture.md"
	case !okt:
		return "package " + top(to) + " has no layer: add it to layers and docs/architecture.md"
	case lt >= lf:
		return "imports must point down the layers (" + top(from) + " is layer " + strconv.Itoa(lf) + ", " + top(to) + " layer " + strconv.Itoa(lt) + ")"
	}
	return ""
}

func TestCheckImportRejectsUpwardImports(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		from, to string
		ok       bool
	}{
		{"cmd/dcmconnect", "api", true},
		{"api", "setup", true},
		{"genesys/genesystest", "genesys", true},
		{"interactions", "usermap", true},
		{"setup", "internal/fakehttp", true},
		{"genesys", "appbase", false},
		{"setup", "api", false},
		{"usermap", "interactions", false},
		{"internal/cache", "genesys", false},
		{"newpkg", "genesys", false},
	} {
		if got := checkImport(c.from, c.to) == ""; got != c.ok {
			t.Errorf("checkImport(%q, %q) allowed = %v", c.from, c.to, got)
		}
	}
}
