package usermap

import (
	"fmt"
	"strings"
)

// Reason codes: the same decision as Entry.Reason(), as a code and its
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

func (m *index) gName(g int32) string { return fmt.Sprintf("%q (%s)", m.g[g].Name, m.g[g].ID) }
func (m *index) sName(s int32) string { return fmt.Sprintf("%q (%s)", m.s[s].Name, m.s[s].ID) }

func names(list []int32, one func(int32) string) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = one(v)
	}
	return strings.Join(parts, ", ")
}

// genesysCode is genesysReason as a code: a constant, no allocation.
func genesysCode(d *decision) string {
	switch d.st {
	case stExplicit:
		return ReasonExplicit
	case stEmail:
		return ReasonEmail
	}
	switch {
	case d.why == whyGNoEmail:
		return ReasonGNoEmail
	case d.why == whyGNoSJ:
		return ReasonGNoSJ
	case d.why == whyGSJInactive:
		return ReasonGSJInactive
	case d.why == whyGEmailLinked:
		return ReasonGEmailLinked
	case d.why == whyGViaSJ:
		return ReasonGViaSJ
	case d.kind == kDupExplicit:
		return ReasonGDupExplicit
	case d.kind == kMismatch:
		return ReasonGMismatch
	case d.kind == kDupSJEmail:
		return ReasonGDupSJEmail
	case d.kind == kDupGenesysEmail:
		return ReasonGDupGenesysEmail
	}
	return reasonUnknown
}

// genesysParams are the data genesysCode's sentence names.
func (m *index) genesysParams(gi int32, d *decision) map[string]string {
	u := &m.g[gi]
	e := m.gEmail[gi]
	sj := func() string { return names(m.relS(d), m.sName) }
	switch genesysCode(d) {
	case ReasonGNoEmail:
		return map[string]string{"id": u.ID}
	case ReasonGNoSJ:
		return map[string]string{"email": e, "id": u.ID}
	case ReasonGSJInactive, ReasonGEmailLinked, ReasonGViaSJ:
		return map[string]string{"sjUsers": sj(), "email": e, "id": u.ID}
	case ReasonGDupExplicit:
		return map[string]string{"sjUsers": sj(), "id": u.ID}
	case ReasonGMismatch:
		s := m.relS(d)[0]
		return map[string]string{"sjUsers": m.sName(s), "id": u.ID, "sjEmail": m.sEmail[s], "genesysUsers": names(m.relG(d), m.gName)}
	case ReasonGDupSJEmail:
		return map[string]string{"sjUsers": sj(), "email": e, "id": u.ID, "genesysUsers": names(without(m.relG(d), gi), m.gName)}
	case ReasonGDupGenesysEmail:
		return map[string]string{"genesysUsers": names(m.relG(d), m.gName), "email": e, "sjUsers": sj(), "id": u.ID}
	}
	return nil
}

// sjCode is sjReason as a code.
func (m *index) sjCode(si int32, d *decision) string {
	switch d.st {
	case stExplicit:
		return ReasonExplicit
	case stEmail:
		return ReasonEmail
	case stIgnored:
		return ReasonSIgnored
	}
	switch {
	case d.why == whySInactive:
		return ReasonSInactive
	case d.why == whySNoEmail:
		return ReasonSNoEmail
	case d.why == whySNoGenesys:
		return ReasonSNoGenesys
	case d.why == whySEmailTaken:
		return ReasonSEmailTaken
	case d.kind == kExplicitUnknown:
		if _, ok := m.gInactive[m.sExpl[si]]; ok {
			return ReasonSExplicitInactive
		}
		return ReasonSExplicitUnknown
	case d.kind == kDupExplicit:
		return ReasonSDupExplicit
	case d.kind == kMismatch:
		return ReasonSMismatch
	case d.kind == kDupSJEmail:
		return ReasonSDupSJEmail
	case d.kind == kDupGenesysEmail:
		return ReasonSDupGenesysEmail
	}
	return reasonUnknown
}

// sjParams are the data sjCode's sentence names.
func (m *index) sjParams(si int32, d *decision) map[string]string {
	u := &m.s[si]
	e := m.sEmail[si]
	switch m.sjCode(si, d) {
	case ReasonSInactive:
		return map[string]string{"status": u.Status}
	case ReasonSNoGenesys:
		return map[string]string{"email": e, "sjUsers": names(without(m.relS(d), si), m.sName)}
	case ReasonSEmailTaken:
		return map[string]string{"email": e, "genesysUsers": names(m.relG(d), m.gName)}
	case ReasonSExplicitInactive:
		in := m.gInactive[m.sExpl[si]]
		return map[string]string{"pureCloudUserId": u.PureCloudUserID, "name": in.Name, "state": in.State}
	case ReasonSExplicitUnknown:
		return map[string]string{"pureCloudUserId": u.PureCloudUserID}
	case ReasonSDupExplicit:
		return map[string]string{"sjUsers": names(m.relS(d), m.sName), "id": m.g[m.relG(d)[0]].ID, "genesysUsers": m.gName(m.relG(d)[0])}
	case ReasonSMismatch:
		return map[string]string{"genesysUser": m.gName(m.relG(d)[0]), "email": e, "genesysUsers": names(m.relG(d)[1:], m.gName)}
	case ReasonSDupSJEmail:
		return map[string]string{"sjUsers": names(m.relS(d), m.sName), "email": e, "genesysUsers": names(m.relG(d), m.gName)}
	case ReasonSDupGenesysEmail:
		return map[string]string{"email": e, "genesysUsers": names(m.relG(d), m.gName)}
	}
	return nil
}
