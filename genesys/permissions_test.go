package genesys_test

import (
	"testing"

	"dcmconnect/genesys"
)

func TestPermissionGranted(t *testing.T) {
	cases := []struct {
		have, want string
		ok         bool
	}{
		{"*:*:*", "integrations:integration:view", true},
		{"*", "directory:group:add", true},
		{"integrations:*:*", "integrations:integration:add", true},
		{"integrations:integration:*", "integrations:integration:add", true},
		{"integrations:integration:view:div-1", "integrations:integration:view", true},
		{"integrations:integration:view", "integrations:integration:edit", false},
		{"integrations:integration", "integrations:integration:view", false},
		{"directory:*:*", "integrations:integration:view", false},
	}
	for _, c := range cases {
		if got := genesys.PermissionGranted(c.have, c.want); got != c.ok {
			t.Errorf("PermissionGranted(%q, %q) = %v", c.have, c.want, got)
		}
	}
}

func TestHasAnyPermission(t *testing.T) {
	held := []string{"directory:user:view", "analytics:*:view"}
	if !genesys.HasAnyPermission(held, []string{"integrations:integration:edit", "analytics:conversationDetail:view"}) {
		t.Error("a wildcard grant of the second wanted permission was not found")
	}
	if genesys.HasAnyPermission(held, []string{"integrations:integration:edit"}) || genesys.HasAnyPermission(held, nil) {
		t.Error("granted a permission not held")
	}
}
