package usermap

import "strings"

// conflictGroups counts the groups of conflicting users: conflict entries
// joined through the ids each names as related (only ids that are in
// conflict themselves), as the supervisor page shows them, one row a group
// (core.js conflictGroups does the same join).
func (r *Report) conflictGroups() int {
	parent := map[string]string{}
	var find func(string) string
	find = func(x string) string {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	self := func(e *Entry) string {
		if e.GenesysUser != nil {
			return "g:" + strings.ToLower(e.GenesysUser.ID)
		}
		return "s:" + strings.ToLower(e.SJUser.ID)
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Status != StatusConflict {
			continue
		}
		if e.GenesysUser != nil {
			n := "g:" + strings.ToLower(e.GenesysUser.ID)
			parent[n] = n
		}
		if e.SJUser != nil {
			n := "s:" + strings.ToLower(e.SJUser.ID)
			parent[n] = n
		}
	}
	union := func(a, b string) {
		if ra, rb := find(a), find(b); ra != rb {
			parent[rb] = ra
		}
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		if e.Status != StatusConflict {
			continue
		}
		me := self(e)
		for _, id := range e.RelatedGenesysIDs {
			if n := "g:" + strings.ToLower(id); parent[n] != "" {
				union(me, n)
			}
		}
		for _, id := range e.RelatedSJIDs {
			if n := "s:" + strings.ToLower(id); parent[n] != "" {
				union(me, n)
			}
		}
	}
	roots := map[string]bool{}
	for i := range r.Entries {
		if e := &r.Entries[i]; e.Status == StatusConflict {
			roots[find(self(e))] = true
		}
	}
	return len(roots)
}
