package usermap

import "encoding/json"

// why is what an unmatched or conflicting entry's reason is said from: the
// matcher's decision for one user, over the report's index. Building a
// report renders no text; Reason and ReasonParams do, when asked (the
// supervisor page asks for a page of entries, the agent page for one).
type why struct {
	x    *index
	side uint8 // 0 Genesys, 1 ServiceJourney
	who  int32
	d    decision
}

// Reason says in English why the entry is as it is (what to fix, for an
// unmatched or conflicting user).
func (e Entry) Reason() string {
	if w := e.why; w != nil {
		if w.side == 0 {
			return w.x.genesysReason(w.who, &w.d)
		}
		return w.x.sjReason(w.who, &w.d)
	}
	switch e.ReasonCode {
	case ReasonExplicit:
		return reasonExplicit
	case ReasonEmail:
		return reasonEmail
	}
	return ""
}

// ReasonParams are the data Reason names, by name, for ReasonCode (nil for
// a matched pair). Lists of users read `"Name" (id), ...`.
func (e Entry) ReasonParams() map[string]string {
	w := e.why
	if w == nil {
		return nil
	}
	if w.side == 0 {
		return w.x.genesysParams(w.who, &w.d)
	}
	return w.x.sjParams(w.who, &w.d)
}

// entryJSON is Entry as the pages see it, reason text and parameters
// included; the field order is the JSON's.
type entryJSON struct {
	GenesysUser       *GenesysUser      `json:"genesysUser,omitempty"`
	SJUser            *SJUser           `json:"serviceJourneyUser,omitempty"`
	Status            Status            `json:"status"`
	Reason            string            `json:"reason"`
	ReasonCode        string            `json:"reasonCode"`
	ReasonParams      map[string]string `json:"reasonParams,omitempty"`
	ConflictKind      ConflictKind      `json:"conflictKind,omitempty"`
	RelatedGenesysIDs []string          `json:"relatedGenesysUserIds,omitempty"`
	RelatedSJIDs      []string          `json:"relatedServiceJourneyUserIds,omitempty"`
}

// MarshalJSON renders the reason and its parameters.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{GenesysUser: e.GenesysUser, SJUser: e.SJUser, Status: e.Status,
		Reason: e.Reason(), ReasonCode: e.ReasonCode, ReasonParams: e.ReasonParams(), ConflictKind: e.ConflictKind,
		RelatedGenesysIDs: e.RelatedGenesysIDs, RelatedSJIDs: e.RelatedSJIDs})
}
