package main

import (
	"os"
	"regexp"
	"slices"
	"testing"

	"dcmconnect/setup"
)

// The README's table of the server role is the one Install creates.
func TestREADMEListsTheServerRole(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, m := range regexp.MustCompile("(?m)^   \\| `([a-zA-Z]+:[a-zA-Z]+:[a-zA-Z]+)` \\|").FindAllStringSubmatch(string(src), -1) {
		listed = append(listed, m[1])
	}
	var want []string
	for _, p := range setup.ServerPermissions {
		want = append(want, p.Permission)
	}
	if !slices.Equal(listed, want) {
		t.Errorf("README lists %v, Install creates %v", listed, want)
	}
}
