package usermap

import (
	"cmp"
	"slices"
)

// Build maps Genesys users to ServiceJourney users (rules in the package
// doc). It is pure and deterministic: the same users in any order give the
// same report. GeneratedAt is left zero.
func Build(genesys []GenesysUser, sj []SJUser) *Report {
	x := newIndex(genesys, sj)
	return x.match().report()
}

var statusOf = [...]Status{stExplicit: StatusExplicit, stEmail: StatusEmail, stUnmatched: StatusUnmatched, stConflict: StatusConflict, stIgnored: StatusIgnored}

var kindOf = [...]ConflictKind{
	kDupSJEmail: ConflictDuplicateSJEmail, kDupGenesysEmail: ConflictDuplicateGenesysEmail,
	kDupExplicit: ConflictDuplicateExplicit, kExplicitUnknown: ConflictExplicitUnknown, kMismatch: ConflictExplicitEmailMismatch,
}

// rank orders statuses in the report: most actionable first.
var rank = [...]uint8{stConflict: 0, stUnmatched: 1, stEmail: 2, stExplicit: 3, stIgnored: 4}

// sortKey places entries of one conflict next to each other (same group).
// Keys are sorted before any Entry exists, so entries are built once, in
// place. A key is 8 bytes: the group and id it sorts by are read from the
// index when two keys tie on rank and kind.
type sortKey struct {
	rank uint8
	kind kindCode
	side uint8 // 0 Genesys, 1 ServiceJourney
	who  int32 // Genesys or SJ index, by side
}

// group and id are what a key sorts by after rank and kind.
func (m *matcher) group(k sortKey) string {
	if k.side == 0 {
		return m.gGroup(k.who, &m.gd[k.who])
	}
	return m.sGroup(k.who, &m.sd[k.who])
}

func (m *matcher) id(k sortKey) string {
	if k.side == 0 {
		return m.gKey[k.who]
	}
	return m.s[k.who].ID
}

func (m *matcher) report() *Report {
	x := m.index
	m.sortRelated()
	r := &Report{
		Counts: zeroCounts(), GenesysCounts: zeroCounts(), SJCounts: zeroCounts(),
		GenesysUsers: len(x.g), SJUsers: len(x.s), Ignored: x.ignored, idx: x,
	}
	keys := make([]sortKey, 0, len(x.g)+len(x.s))
	for gi := range x.g {
		d := &m.gd[gi]
		r.GenesysCounts[statusOf[d.st]]++
		keys = append(keys, sortKey{rank: rank[d.st], kind: d.kind, who: int32(gi)})
	}
	for si := range x.s {
		d := &m.sd[si]
		r.SJCounts[statusOf[d.st]]++
		if d.st == stExplicit || d.st == stEmail {
			continue // in its Genesys user's entry
		}
		keys = append(keys, sortKey{rank: rank[d.st], kind: d.kind, side: 1, who: int32(si)})
	}
	slices.SortFunc(keys, func(a, b sortKey) int {
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		if c := cmp.Compare(a.kind, b.kind); c != 0 {
			return c
		}
		if c := cmp.Compare(m.group(a), m.group(b)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.side, b.side); c != 0 {
			return c
		}
		return compareID(m.id(a), m.id(b))
	})

	r.Entries = make([]Entry, len(keys))
	// One slab holds the decisions behind every unmatched or conflicting
	// entry; their text is rendered only when asked for (reasontext.go).
	whys := make([]why, 0, len(keys)-r.GenesysCounts[StatusExplicit]-r.GenesysCounts[StatusEmail])
	whyOf := func(side uint8, who int32, d *decision) *why {
		if d.st == stExplicit || d.st == stEmail {
			return nil
		}
		whys = append(whys, why{x: x, side: side, who: who, d: *d})
		return &whys[len(whys)-1]
	}
	x.entryOfG = filled(len(x.g))
	x.entryOfS = filled(len(x.s))
	for i, k := range keys {
		e := &r.Entries[i]
		if k.side == 0 {
			d := &m.gd[k.who]
			*e = Entry{GenesysUser: &x.g[k.who], Status: statusOf[d.st], ReasonCode: genesysCode(d), ConflictKind: kindOf[d.kind], why: whyOf(0, k.who, d)}
			x.entryOfG[k.who] = int32(i)
			if d.st == stExplicit || d.st == stEmail {
				e.SJUser = &x.s[d.partner]
				x.entryOfS[d.partner] = int32(i)
			} else {
				e.RelatedGenesysIDs = m.gIDs(m.relG(d), k.who)
				e.RelatedSJIDs = m.sIDs(m.relS(d), none)
			}
		} else {
			d := &m.sd[k.who]
			*e = Entry{SJUser: &x.s[k.who], Status: statusOf[d.st], ReasonCode: m.sjCode(k.who, d), ConflictKind: kindOf[d.kind],
				RelatedGenesysIDs: m.gIDs(m.relG(d), none), RelatedSJIDs: m.sIDs(m.relS(d), k.who), why: whyOf(1, k.who, d)}
			x.entryOfS[k.who] = int32(i)
		}
		r.Counts[e.Status]++
	}
	r.ConflictGroups = r.conflictGroups()
	r.ToFix = r.ConflictGroups + r.Counts[StatusUnmatched]
	return r
}

// gGroup/sGroup: the value a conflict's users share (its e-mail or the
// claimed Genesys id); for everything else the user's own e-mail or id, so
// lists read alphabetically.
func (m *matcher) gGroup(g int32, d *decision) string {
	switch d.kind {
	case kDupExplicit, kMismatch:
		if d.why != whyGViaSJ {
			return m.gKey[g]
		}
	}
	if e := m.gEmail[g]; e != "" {
		return e
	}
	return m.gKey[g]
}

func (m *matcher) sGroup(s int32, d *decision) string {
	switch d.kind {
	case kDupExplicit, kMismatch, kExplicitUnknown:
		return m.sExpl[s]
	}
	if e := m.sEmail[s]; e != "" {
		return e
	}
	return key(m.s[s].ID)
}

func (m *matcher) gIDs(list []int32, self int32) []string {
	var out []string
	for _, g := range list {
		if g != self {
			out = append(out, m.g[g].ID)
		}
	}
	return out
}

func (m *matcher) sIDs(list []int32, self int32) []string {
	var out []string
	for _, s := range list {
		if s != self {
			out = append(out, m.s[s].ID)
		}
	}
	return out
}

// sortRelated orders every group's users by id so reasons do not depend on
// input order. Groups may share a list; sorting a sorted list is cheap.
func (m *matcher) sortRelated() {
	byG := func(a, b int32) int { return compareID(m.gKey[a], m.gKey[b]) }
	byS := func(a, b int32) int { return compareID(m.s[a].ID, m.s[b].ID) }
	for i := range m.rels {
		r := &m.rels[i]
		if len(r.g) > 1 {
			if r.pinned {
				slices.SortFunc(r.g[1:], byG)
			} else {
				slices.SortFunc(r.g, byG)
			}
		}
		if len(r.s) > 1 {
			slices.SortFunc(r.s, byS)
		}
	}
}

// compareID orders ids naturally when both are decimal numbers (ServiceJourney
// ids are), otherwise as strings.
func compareID(a, b string) int {
	if len(a) != len(b) && digits(a) && digits(b) {
		return cmp.Compare(len(a), len(b))
	}
	return cmp.Compare(a, b)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func zeroCounts() map[Status]int {
	return map[Status]int{StatusExplicit: 0, StatusEmail: 0, StatusUnmatched: 0, StatusConflict: 0, StatusIgnored: 0}
}

// ByGenesysID returns the entry of an active Genesys user in this report.
func (r *Report) ByGenesysID(id string) (Entry, bool) {
	if r == nil || r.idx == nil {
		return Entry{}, false
	}
	// Ids arrive canonical (lower-case) almost always: try them as given
	// before paying for normalisation. A stored key is normalised, so an
	// exact hit is also the normalised hit.
	gi, ok := r.idx.gByID[id]
	if !ok {
		if gi, ok = r.idx.gByID[key(id)]; !ok {
			return Entry{}, false
		}
	}
	return r.Entries[r.idx.entryOfG[gi]], true
}

// BySJID returns the entry of a ServiceJourney user in this report.
func (r *Report) BySJID(id string) (Entry, bool) {
	if r == nil || r.idx == nil {
		return Entry{}, false
	}
	si, ok := r.idx.sByID[key(id)]
	if !ok {
		return Entry{}, false
	}
	return r.Entries[r.idx.entryOfS[si]], true
}

// EntriesWith returns the entries with any of the given statuses, in report
// order (e.g. conflicts and unmatched for the supervisor page). The slice
// shares the report's entries; treat it as read-only.
func (r *Report) EntriesWith(statuses ...Status) []Entry {
	var out []Entry
	for _, e := range r.Entries {
		for _, st := range statuses {
			if e.Status == st {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
