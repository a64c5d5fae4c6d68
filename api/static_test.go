package api

import (
	"path"
	"strings"
	"testing"
)

// TestServersShareTheEmbeddedPagesAndKeepTheirOwnConfig: the embedded
// pages are read and compressed once per process (tests and the demo start
// many Servers), while each Server's generated config.js is its own.
func TestServersShareTheEmbeddedPagesAndKeepTheirOwnConfig(t *testing.T) {
	a, err := New(Options{PageConfig: PageConfig{PublicURL: "https://a.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{PageConfig: PageConfig{PublicURL: "https://b.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	ia, ib := a.static.files["/index.html"], b.static.files["/index.html"]
	if ia == nil || ia != ib {
		t.Fatalf("index.html read twice (%p, %p): the embedded tree is not shared", ia, ib)
	}
	ca, cb := a.static.files["/config/config.js"], b.static.files["/config/config.js"]
	if !strings.Contains(string(ca.body), "a.example.com") || !strings.Contains(string(cb.body), "b.example.com") || ca.etag == cb.etag {
		t.Fatalf("config.js is not each Server's own:\n%s\n%s", ca.body, cb.body)
	}
	a.static.files["/extra"] = &staticFile{}
	if _, ok := b.static.files["/extra"]; ok {
		t.Fatal("Servers share one file map: a change to one shows in the other")
	}
}

// Every file is kept under a clean path, and a path that is not clean (a dot
// segment, a doubled or trailing slash before a file's name) finds none, so
// nothing outside the tree or under a second name is served.
func TestStaticLookupFindsOnlyCleanPaths(t *testing.T) {
	s, _ := newTestServer(t, nil)
	if len(s.static.files) < 2 {
		t.Fatalf("only %d files", len(s.static.files))
	}
	for p, f := range s.static.files {
		if path.Clean(p) != p {
			t.Fatalf("%q is not clean", p)
		}
		if s.static.lookup(p) != f {
			t.Fatalf("%q: not found", p)
		}
		dir, name := path.Split(p)
		for _, q := range []string{"/." + p, "/x/.." + p, dir + "/" + name, dir + "./" + name, p + "/", "/../" + p[1:]} {
			if s.static.lookup(q) != nil {
				t.Errorf("%q found a file", q)
			}
		}
	}
	if s.static.lookup("/") == nil || s.static.lookup("/wizard/") == nil || s.static.lookup("/wizard") == nil {
		t.Fatal("a directory's index.html is not found")
	}
}
