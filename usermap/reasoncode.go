package usermap

import (
	"fmt"
	"strings"
)

// Reason codes: the same decision as Entry.Reason, as a code and its
// parameters, so a page can say it in its own language. Parameters hold
// only data (ids, e-mails, names); lists of users read `"Name" (id), ...`.
const (
	ReasonExplicit          = "explicit"
	ReasonEmail             = "email"
	ReasonGNoEmail          = "g.noEmail"          // id
	ReasonGNoSJ             = "g.noSJ"             // email, id
	ReasonGSJInactive       = "g.sjInactive"       // sjUsers, email, id
	ReasonGEmailLinked      = "g.emailLinked"      // email, sjUsers, id
	ReasonGViaSJ            = "g.viaSJ"            // sjUsers, email, id
	ReasonGDupExplicit      = "g.dupExplicit"      // sjUsers, id
	ReasonGMismatch         = "g.mismatch"         // sjUsers, id, sjEmail, genesysUsers
	ReasonGDupSJEmail       = "g.dupSJEmail"       // sjUsers, email, id, [genesysUsers]
	ReasonGDupGenesysEmail  = "g.dupGenesysEmail"  // genesysUsers, email, sjUsers, id
	ReasonSInactive         = "s.inactive"         // status
	ReasonSNoEmail          = "s.noEmail"          // -
	ReasonSNoGenesys        = "s.noGenesys"        // email, [sjUsers]
	ReasonSEmailTaken       = "s.emailTaken"       // email, genesysUsers
	ReasonSExplicitInactive = "s.explicitInactive" // pureCloudUserId, name, state
	ReasonSExplicitUnknown  = "s.explicitUnknown"  // pureCloudUserId
	ReasonSDupExplicit      = "s.dupExplicit"      // sjUsers, id, genesysUsers
	ReasonSMismatch         = "s.mismatch"         // genesysUser, email, genesysUsers
	ReasonSDupSJEmail       = "s.dupSJEmail"       // sjUsers, email, genesysUsers
	ReasonSDupGenesysEmail  = "s.dupGenesysEmail"  // email, genesysUsers
	ReasonSIgnored          = "s.ignored"          // -
	reasonUnknown           = "unknown"
)

// ReasonCodes lists every code an entry may carry, for the pages' text test.
func ReasonCodes() []string {
	return []string{ReasonExplicit, ReasonEmail, ReasonGNoEmail, ReasonGNoSJ, ReasonGSJInactive, ReasonGEmailLinked,
		ReasonGViaSJ, ReasonGDupExplicit, ReasonGMismatch, ReasonGDupSJEmail, ReasonGDupGenesysEmail,
		ReasonSInactive, ReasonSNoEmail, ReasonSNoGenesys, ReasonSEmailTaken, ReasonSExplicitInactive,
		ReasonSExplicitUnknown, ReasonSDupExplicit, ReasonSMismatch, ReasonSDupSJEmail, ReasonSDupGenesysEmail, ReasonSIgnored, reasonUnknown}
}

func (m *matcher) gName(g int32) string { return fmt.Sprintf("%q (%s)", m.g[g].Name, m.g[g].ID) }
func (m *matcher) sName(s int32) string { return fmt.Sprintf("%q (%s)", m.s[s].Name, m.s[s].ID) }

func names(list []int32, one func(int32) string) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = one(v)
	}
	return strings.Join(parts, ", ")
}

// genesysReasonCode is genesysReason as a code. Matched users (the common
// case) get a constant and no parameters: no allocation.
func (m *matcher) genesysReasonCode(gi int32, d *decision) (string, map[string]string) {
	u := &m.g[gi]
	e := m.gEmail[gi]
	switch d.st {
	case stExplicit:
		return ReasonExplicit, nil
	case stEmail:
		return ReasonEmail, nil
	}
	sj := func() string { return names(d.relS, m.sName) }
	switch {
	case d.why == whyGNoEmail:
		return ReasonGNoEmail, map[string]string{"id": u.ID}
	case d.why == whyGNoSJ:
		return ReasonGNoSJ, map[string]string{"email": e, "id": u.ID}
	case d.why == whyGSJInactive:
		return ReasonGSJInactive, map[string]string{"sjUsers": sj(), "email": e, "id": u.ID}
	case d.why == whyGEmailLinked:
		return ReasonGEmailLinked, map[string]string{"sjUsers": sj(), "email": e, "id": u.ID}
	case d.why == whyGViaSJ:
		return ReasonGViaSJ, map[string]string{"sjUsers": sj(), "email": e, "id": u.ID}
	case d.kind == kDupExplicit:
		return ReasonGDupExplicit, map[string]string{"sjUsers": sj(), "id": u.ID}
	case d.kind == kMismatch:
		s := d.relS[0]
		return ReasonGMismatch, map[string]string{"sjUsers": m.sName(s), "id": u.ID, "sjEmail": m.sEmail[s], "genesysUsers": names(d.relG, m.gName)}
	case d.kind == kDupSJEmail:
		p := map[string]string{"sjUsers": sj(), "email": e, "id": u.ID, "genesysUsers": names(without(d.relG, gi), m.gName)}
		return ReasonGDupSJEmail, p
	case d.kind == kDupGenesysEmail:
		return ReasonGDupGenesysEmail, map[string]string{"genesysUsers": names(d.relG, m.gName), "email": e, "sjUsers": sj(), "id": u.ID}
	}
	return reasonUnknown, nil
}

// sjReasonCode is sjReason as a code.
func (m *matcher) sjReasonCode(si int32, d *decision) (string, map[string]string) {
	u := &m.s[si]
	e := m.sEmail[si]
	switch d.st {
	case stExplicit:
		return ReasonExplicit, nil
	case stEmail:
		return ReasonEmail, nil
	case stIgnored:
		return ReasonSIgnored, nil
	}
	switch {
	case d.why == whySInactive:
		return ReasonSInactive, map[string]string{"status": u.Status}
	case d.why == whySNoEmail:
		return ReasonSNoEmail, nil
	case d.why == whySNoGenesys:
		return ReasonSNoGenesys, map[string]string{"email": e, "sjUsers": names(without(d.relS, si), m.sName)}
	case d.why == whySEmailTaken:
		return ReasonSEmailTaken, map[string]string{"email": e, "genesysUsers": names(d.relG, m.gName)}
	case d.kind == kExplicitUnknown:
		if in, ok := m.gInactive[m.sExpl[si]]; ok {
			return ReasonSExplicitInactive, map[string]string{"pureCloudUserId": u.PureCloudUserID, "name": in.Name, "state": in.State}
		}
		return ReasonSExplicitUnknown, map[string]string{"pureCloudUserId": u.PureCloudUserID}
	case d.kind == kDupExplicit:
		return ReasonSDupExplicit, map[string]string{"sjUsers": names(d.relS, m.sName), "id": m.g[d.relG[0]].ID, "genesysUsers": m.gName(d.relG[0])}
	case d.kind == kMismatch:
		return ReasonSMismatch, map[string]string{"genesysUser": m.gName(d.relG[0]), "email": e, "genesysUsers": names(d.relG[1:], m.gName)}
	case d.kind == kDupSJEmail:
		return ReasonSDupSJEmail, map[string]string{"sjUsers": names(d.relS, m.sName), "email": e, "genesysUsers": names(d.relG, m.gName)}
	case d.kind == kDupGenesysEmail:
		return ReasonSDupGenesysEmail, map[string]string{"email": e, "genesysUsers": names(d.relG, m.gName)}
	}
	return reasonUnknown, nil
}
