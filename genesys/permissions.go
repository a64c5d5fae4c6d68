package genesys

import (
	"slices"
	"strings"
)

// PermissionGranted reports whether a held Genesys permission string
// ("domain:entity:action", as users/me?expand=authorization lists them)
// covers want: "*" in a segment matches anything ("*:*:*",
// "integrations:*:*"), a bare "*" matches everything, and a longer held
// string is a division-scoped grant of the same permission.
func PermissionGranted(have, want string) bool {
	if have == "*" {
		return true
	}
	h, w := strings.Split(have, ":"), strings.Split(want, ":")
	if len(h) < len(w) {
		return false
	}
	for i := range w {
		if h[i] != "*" && h[i] != w[i] {
			return false
		}
	}
	return true
}

// HasAnyPermission reports whether held grants any of want (PermissionGranted).
func HasAnyPermission(held, want []string) bool {
	return slices.ContainsFunc(want, func(w string) bool {
		return slices.ContainsFunc(held, func(h string) bool { return PermissionGranted(h, w) })
	})
}
