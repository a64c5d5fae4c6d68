package usermap

import "strings"

// key normalises ids and e-mails for comparison. ToLower and TrimSpace return
// their input without allocating when nothing changes, which is the common case.
func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// genesysEmail is the address a Genesys user is matched by: the e-mail, else
// the username when it looks like one.
func genesysEmail(u *GenesysUser) string {
	if e := key(u.Email); e != "" {
		return e
	}
	if n := key(u.Username); strings.Contains(n, "@") {
		return n
	}
	return ""
}

func genesysActive(u *GenesysUser) bool {
	s := strings.TrimSpace(u.State)
	return s == "" || strings.EqualFold(s, "active")
}

var sjInactiveStatuses = []string{"inactive", "disabled", "deleted", "locked", "0"}

func sjActive(u *SJUser) bool {
	st := strings.TrimSpace(u.Status)
	for _, v := range sjInactiveStatuses {
		if strings.EqualFold(st, v) { // no allocation, unlike lower-casing "Active"
			return false
		}
	}
	return true
}
