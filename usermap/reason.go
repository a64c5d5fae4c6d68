package usermap

import (
	"fmt"
	"slices"
	"strings"
)

// Reasons for matched pairs are constants: no allocation for the common case.
const (
	reasonExplicit = "linked by PureCloud_UserId on the ServiceJourney user"
	reasonEmail    = "matched by e-mail; PureCloud_UserId is not set, so a later e-mail change would break the link (write-back or the fix action sets it)"
)

func (m *index) gRef(g int32) string {
	u := &m.g[g]
	if u.Name == "" {
		return fmt.Sprintf("Genesys user %s", u.ID)
	}
	return fmt.Sprintf("Genesys user %q (%s)", u.Name, u.ID)
}

func (m *index) sRef(s int32) string {
	u := &m.s[s]
	if u.Name == "" {
		return fmt.Sprintf("ServiceJourney user %s", u.ID)
	}
	return fmt.Sprintf("ServiceJourney user %q (id %s)", u.Name, u.ID)
}

// refs renders "X", "X and Y", "X, Y and Z" with the plural noun once:
// `ServiceJourney users "A" (id 1) and "B" (id 2)`.
func refs(list []int32, one func(int32) string, noun string) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = one(v)
		if len(list) > 1 {
			parts[i] = strings.TrimPrefix(parts[i], noun+" ")
		}
	}
	if len(list) == 1 {
		return parts[0]
	}
	return noun + "s " + strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

func (m *index) gRefs(list []int32) string { return refs(list, m.gRef, "Genesys user") }
func (m *index) sRefs(list []int32) string { return refs(list, m.sRef, "ServiceJourney user") }

// claimants lists, by id, the SJ users whose explicit id names g.
func (m *index) claimants(g int32) []int32 {
	c := walk(m.claimHead[g], m.claimNext)
	slices.SortFunc(c, func(a, b int32) int { return compareID(m.s[a].ID, m.s[b].ID) })
	return c
}

func without(list []int32, self int32) []int32 {
	out := make([]int32, 0, len(list))
	for _, v := range list {
		if v != self {
			out = append(out, v)
		}
	}
	return out
}

func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (m *index) genesysReason(gi int32, d *decision) string {
	u := &m.g[gi]
	e := m.gEmail[gi]
	switch d.st {
	case stExplicit:
		return reasonExplicit
	case stEmail:
		return reasonEmail
	}
	switch {
	case d.why == whyGNoEmail:
		return fmt.Sprintf("the Genesys user has no e-mail and no e-mail username; set PureCloud_UserId to %s on their ServiceJourney user", u.ID)
	case d.why == whyGNoSJ:
		return fmt.Sprintf("no active ServiceJourney user has e-mail %s; give their ServiceJourney user this e-mail or set its PureCloud_UserId to %s", e, u.ID)
	case d.why == whyGSJInactive:
		return fmt.Sprintf("%s with e-mail %s %s inactive; reactivate the right one, or set PureCloud_UserId to %s on their active ServiceJourney user",
			m.sRefs(m.relS(d)), e, verb(len(m.relS(d)), "is", "are"), u.ID)
	case d.why == whyGEmailLinked:
		return fmt.Sprintf("e-mail %s is shared with another Genesys user, to whom %s %s linked by PureCloud_UserId; set PureCloud_UserId to %s on this person's ServiceJourney user, or give one of the Genesys users another e-mail",
			e, m.sRefs(m.relS(d)), verb(len(m.relS(d)), "is", "are"), u.ID)
	case d.why == whyGViaSJ:
		parts := make([]string, len(m.relS(d)))
		for i, c := range m.relS(d) {
			if w, ok := m.gByID[m.sExpl[c]]; ok {
				parts[i] = fmt.Sprintf("%s has this user's e-mail %s but its PureCloud_UserId names %s", m.sRef(c), e, m.gRef(w))
			} else {
				parts[i] = fmt.Sprintf("%s has this user's e-mail %s but its PureCloud_UserId %q names no active Genesys user", m.sRef(c), e, m.s[c].PureCloudUserID)
			}
		}
		return strings.Join(parts, "; ") + fmt.Sprintf("; if that is this person set its PureCloud_UserId to %s, otherwise correct its e-mail", u.ID)
	case d.kind == kDupExplicit:
		return fmt.Sprintf("%s all have PureCloud_UserId %s (this user); clear it on all but the right one", m.sRefs(m.relS(d)), u.ID)
	case d.kind == kMismatch:
		s := m.relS(d)[0]
		return fmt.Sprintf("%s has PureCloud_UserId %s (this user) but its e-mail %s belongs to %s; correct that PureCloud_UserId or that e-mail",
			m.sRef(s), u.ID, m.sEmail[s], m.gRefs(m.relG(d)))
	case d.kind == kDupSJEmail:
		r := fmt.Sprintf("%s share e-mail %s; give all but one a different e-mail, or set PureCloud_UserId to %s on the right one", m.sRefs(m.relS(d)), e, u.ID)
		if others := without(m.relG(d), gi); len(others) > 0 {
			r += fmt.Sprintf(" (the e-mail also belongs to %s)", m.gRefs(others))
		}
		return r
	case d.kind == kDupGenesysEmail:
		return fmt.Sprintf("%s share e-mail %s, which %s also has; set PureCloud_UserId on the ServiceJourney user to the right Genesys user id (%s if it is this person)",
			m.gRefs(m.relG(d)), e, m.sRefs(m.relS(d)), u.ID)
	}
	return "no rule matched" // unreachable: every decision path is covered above
}

func (m *index) sjReason(si int32, d *decision) string {
	u := &m.s[si]
	e := m.sEmail[si]
	switch d.st {
	case stExplicit:
		return reasonExplicit
	case stEmail:
		return reasonEmail
	case stIgnored:
		return "ignored: a supervisor marked this ServiceJourney user as needing no Genesys user (PureCloud_UserId " + u.PureCloudUserID + "); undo to map it again"
	}
	switch {
	case d.why == whySInactive:
		return fmt.Sprintf("the ServiceJourney user is inactive (status %q); inactive users are not mapped", u.Status)
	case d.why == whySNoEmail:
		return "the ServiceJourney user has no e-mail and no PureCloud_UserId; set its e-mail to the Genesys user's e-mail or set PureCloud_UserId to the Genesys user id"
	case d.why == whySNoGenesys:
		r := fmt.Sprintf("no active Genesys user has e-mail %s; correct the e-mail or set PureCloud_UserId to the Genesys user id", e)
		if others := without(m.relS(d), si); len(others) > 0 {
			r += fmt.Sprintf(" (%s %s the same e-mail)", m.sRefs(others), verb(len(others), "has", "have"))
		}
		return r
	case d.why == whySEmailTaken:
		parts := make([]string, len(m.relG(d)))
		for i, g := range m.relG(d) {
			parts[i] = fmt.Sprintf("%s (named by PureCloud_UserId on %s)", m.gRef(g), m.sRefs(m.claimants(g)))
		}
		return fmt.Sprintf("e-mail %s belongs to %s, already linked explicitly to another ServiceJourney user; if this user is the right one, move PureCloud_UserId here, otherwise change its e-mail",
			e, strings.Join(parts, " and "))
	case d.kind == kExplicitUnknown:
		id := u.PureCloudUserID
		if in, ok := m.gInactive[m.sExpl[si]]; ok {
			return fmt.Sprintf("PureCloud_UserId %q is Genesys user %q, whose state is %q; set it to the right active Genesys user id or clear it", id, in.Name, in.State)
		}
		return fmt.Sprintf("PureCloud_UserId %q matches no active Genesys user; set it to the right Genesys user id or clear it", id)
	case d.kind == kDupExplicit:
		return fmt.Sprintf("%s all have PureCloud_UserId %s (%s); clear it on all but the right one", m.sRefs(m.relS(d)), m.g[m.relG(d)[0]].ID, m.gRef(m.relG(d)[0]))
	case d.kind == kMismatch:
		return fmt.Sprintf("PureCloud_UserId names %s but the e-mail %s belongs to %s; correct the PureCloud_UserId or the e-mail",
			m.gRef(m.relG(d)[0]), e, m.gRefs(m.relG(d)[1:]))
	case d.kind == kDupSJEmail:
		return fmt.Sprintf("%s share e-mail %s, which belongs to %s; give all but one a different e-mail, or set PureCloud_UserId on the right one",
			m.sRefs(m.relS(d)), e, m.gRefs(m.relG(d)))
	case d.kind == kDupGenesysEmail:
		return fmt.Sprintf("e-mail %s belongs to %s; set PureCloud_UserId on this user to the right one's id", e, m.gRefs(m.relG(d)))
	}
	return "no rule matched" // unreachable
}
