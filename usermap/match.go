package usermap

// Internal codes keep a decision small; they become Status/ConflictKind strings
// only when entries are written.
type stCode uint8

const (
	stNone stCode = iota
	stExplicit
	stEmail
	stUnmatched
	stConflict
	stIgnored
)

type kindCode uint8

const (
	kNone kindCode = iota
	kDupSJEmail
	kDupGenesysEmail
	kDupExplicit
	kExplicitUnknown
	kMismatch
)

// whyCode picks the reason text where status and kind alone do not.
type whyCode uint8

const (
	whyNone         whyCode = iota
	whyGNoEmail             // Genesys user without e-mail
	whyGNoSJ                // no SJ user has the e-mail
	whyGSJInactive          // rel: inactive SJ users with the e-mail
	whyGEmailLinked         // rel: SJ users with the e-mail linked to a same-e-mail Genesys user
	whyGViaSJ               // conflict: rel SJ users with the e-mail whose explicit id names someone else / no one
	whySInactive
	whySNoEmail
	whySNoGenesys  // rel: other unresolved SJ users with the e-mail
	whySEmailTaken // rel: the Genesys users with the e-mail, all claimed explicitly
)

// decision is the outcome for one user, 12 bytes: most users are matched
// pairs and relate to nobody, so the users of a group live in index.rels,
// one entry a group, and a decision keeps its number (0: none).
type decision struct {
	st      stCode
	kind    kindCode
	why     whyCode
	partner int32
	rel     int32
}

// related are the users of a group (they may include the user itself).
// pinned: g[0] is the user claimed explicitly and stays first, the rest
// are sorted (an explicit_email_mismatch seen from its SJ user).
type related struct {
	g, s   []int32
	pinned bool
}

// related adds a group's users and returns its number.
func (x *index) related(g, s []int32) int32 {
	x.rels = append(x.rels, related{g: g, s: s})
	return int32(len(x.rels) - 1)
}

func (x *index) relG(d *decision) []int32 { return x.rels[d.rel].g }
func (x *index) relS(d *decision) []int32 { return x.rels[d.rel].s }

type matcher struct {
	*index
	gd, sd []decision
}

func (x *index) match() *matcher {
	m := &matcher{index: x, gd: make([]decision, len(x.g)), sd: make([]decision, len(x.s))}
	x.rels = []related{{}} // 0: nobody
	m.explicitClaims()
	m.explicitEmailCheck()
	for i := range x.s {
		if x.sActive[i] && x.sExpl[i] == "" && x.sEmail[i] != "" && m.sd[i].st == stNone {
			m.emailGroup(x.sEmail[i])
		}
	}
	m.leftovers()
	return m
}

// explicitClaims: rule 1, plus explicit_unknown and duplicate_explicit.
func (m *matcher) explicitClaims() {
	for _, h := range m.unknownHead {
		for c := h; c != none; c = m.claimNext[c] {
			m.sd[c] = decision{st: stConflict, kind: kExplicitUnknown}
		}
	}
	for gi, h := range m.claimHead {
		if h == none {
			continue
		}
		if m.claimNext[h] == none {
			m.gd[gi] = decision{st: stExplicit, partner: h}
			m.sd[h] = decision{st: stExplicit, partner: int32(gi)}
			continue
		}
		claimants := walk(h, m.claimNext)
		m.gd[gi] = decision{st: stConflict, kind: kDupExplicit, rel: m.related(nil, claimants)}
		rel := m.related([]int32{int32(gi)}, claimants)
		for _, c := range claimants {
			m.sd[c] = decision{st: stConflict, kind: kDupExplicit, rel: rel}
		}
	}
}

// explicitEmailCheck: an explicit link whose SJ e-mail belongs to a different
// Genesys user is explicit_email_mismatch. The owners of that e-mail are
// marked later (leftovers) unless something else settles them first.
func (m *matcher) explicitEmailCheck() {
	for gi := range m.gd {
		if m.gd[gi].st != stExplicit {
			continue
		}
		s := m.gd[gi].partner
		se := m.sEmail[s]
		if se == "" || se == m.gEmail[gi] {
			continue
		}
		owners := m.gWithEmail(se)
		if owners == nil {
			continue // the e-mail is nobody's: the explicit id stands
		}
		m.gd[gi] = decision{st: stConflict, kind: kMismatch, rel: m.related(owners, []int32{s})}
		rel := m.related(append([]int32{int32(gi)}, owners...), nil)
		m.rels[rel].pinned = true
		m.sd[s] = decision{st: stConflict, kind: kMismatch, rel: rel}
	}
}

// emailGroup: rule 2 for every active SJ user without explicit id whose
// e-mail is e, and every Genesys user with that e-mail not settled by rule 1.
func (m *matcher) emailGroup(e string) {
	sh := m.sEmailHead[e]
	gh, hasG := m.gEmailHead[e]
	// Fast path, by far the most common: one SJ user, one free Genesys user.
	if hasG && m.sEmailNext[sh] == none && m.gEmailNext[gh] == none && m.gd[gh].st == stNone {
		m.gd[gh] = decision{st: stEmail, partner: sh}
		m.sd[sh] = decision{st: stEmail, partner: gh}
		return
	}
	var cand, unresolved []int32
	for c := sh; c != none; c = m.sEmailNext[c] {
		if !m.sActive[c] {
			continue
		}
		if m.sExpl[c] == "" {
			cand = append(cand, c)
			unresolved = append(unresolved, c)
		} else if m.sd[c].st == stConflict {
			unresolved = append(unresolved, c)
		}
	}
	var gs, free []int32
	if hasG {
		gs = walk(gh, m.gEmailNext)
		for _, g := range gs {
			if m.gd[g].st == stNone {
				free = append(free, g)
			}
		}
	}
	switch {
	case len(gs) == 0:
		rel := m.related(nil, unresolved)
		for _, c := range cand {
			m.sd[c] = decision{st: stUnmatched, why: whySNoGenesys, rel: rel}
		}
	case len(free) == 0:
		rel := m.related(gs, nil)
		for _, c := range cand {
			m.sd[c] = decision{st: stUnmatched, why: whySEmailTaken, rel: rel}
		}
	case len(unresolved) >= 2:
		rel := m.related(free, unresolved)
		for _, c := range cand {
			m.sd[c] = decision{st: stConflict, kind: kDupSJEmail, rel: rel}
		}
		for _, g := range free {
			m.gd[g] = decision{st: stConflict, kind: kDupSJEmail, rel: rel}
		}
	case len(gs) >= 2:
		rel := m.related(gs, cand)
		for _, c := range cand {
			m.sd[c] = decision{st: stConflict, kind: kDupGenesysEmail, rel: rel}
		}
		for _, g := range free {
			m.gd[g] = decision{st: stConflict, kind: kDupGenesysEmail, rel: rel}
		}
	default:
		m.gd[gs[0]] = decision{st: stEmail, partner: cand[0]}
		m.sd[cand[0]] = decision{st: stEmail, partner: gs[0]}
	}
}

// leftovers gives every user not yet decided its unmatched (or, for Genesys
// users named by a conflicting explicit SJ user's e-mail, conflict) status.
func (m *matcher) leftovers() {
	for gi := range m.gd {
		if m.gd[gi].st != stNone {
			continue
		}
		e := m.gEmail[gi]
		if e == "" {
			m.gd[gi] = decision{st: stUnmatched, why: whyGNoEmail}
			continue
		}
		var wrong, linked, inactive []int32
		mismatch := false
		for _, c := range m.sWithEmail(e) {
			switch {
			case !m.sActive[c]:
				inactive = append(inactive, c)
			case m.sExpl[c] == "":
				// Cannot happen: emailGroup settled every such user with
				// this Genesys user. Listed as a conflict to stay honest.
				wrong = append(wrong, c)
			default:
				w, ok := m.gByID[m.sExpl[c]]
				switch {
				case !ok:
					wrong = append(wrong, c)
				case m.gEmail[w] != e:
					wrong = append(wrong, c)
					mismatch = true
				default:
					linked = append(linked, c)
				}
			}
		}
		switch {
		case len(wrong) > 0:
			k := kExplicitUnknown
			if mismatch {
				k = kMismatch
			}
			m.gd[gi] = decision{st: stConflict, kind: k, why: whyGViaSJ, rel: m.related(nil, wrong)}
		case len(linked) > 0:
			m.gd[gi] = decision{st: stUnmatched, why: whyGEmailLinked, rel: m.related(nil, linked)}
		case len(inactive) > 0:
			m.gd[gi] = decision{st: stUnmatched, why: whyGSJInactive, rel: m.related(nil, inactive)}
		default:
			m.gd[gi] = decision{st: stUnmatched, why: whyGNoSJ}
		}
	}
	for i := range m.sd {
		if m.sd[i].st != stNone {
			continue
		}
		switch {
		case ignored(&m.s[i]):
			m.sd[i] = decision{st: stIgnored}
		case !m.sActive[i]:
			m.sd[i] = decision{st: stUnmatched, why: whySInactive}
		case m.sEmail[i] == "":
			m.sd[i] = decision{st: stUnmatched, why: whySNoEmail}
		default:
			m.sd[i] = decision{st: stUnmatched, why: whySNoGenesys}
		}
	}
}
