package usermap

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// LostLink is a working link a change would break: Genesys user Genesys
// could no longer act as ServiceJourney user SJ.
type LostLink struct {
	Genesys GenesysUser
	SJ      SJUser
}

// TakeOverError refuses a change that takes a link away from someone the
// request did not name as confirmed. Nothing was written. Clear is set when
// the change clears an explicit link rather than moving it.
type TakeOverError struct {
	Lost  []LostLink
	Clear bool
}

func (e *TakeOverError) Error() string {
	parts := make([]string, len(e.Lost))
	for i, l := range e.Lost {
		parts[i] = fmt.Sprintf("Genesys user %q (%s) loses ServiceJourney user %q (%s)", l.Genesys.Name, l.Genesys.ID, l.SJ.Name, l.SJ.ID)
	}
	what := "the change takes a link away"
	if e.Clear {
		what = "clearing the explicit link takes it away"
	}
	return "usermap: " + what + ": " + strings.Join(parts, "; ") + "; confirm with the Genesys user ids that lose it"
}

// GenesysIDs are the ids that confirm the take-over.
func (e *TakeOverError) GenesysIDs() []string {
	out := make([]string, len(e.Lost))
	for i, l := range e.Lost {
		out[i] = l.Genesys.ID
	}
	return out
}

// TakesOver lists the links that linking ServiceJourney user sjUserID to
// Genesys user genesysUserID would break, on the map in service:
//   - the Genesys user the ServiceJourney user serves now (explicitly or by
//     e-mail) loses it;
//   - a ServiceJourney user that names the Genesys user explicitly would then
//     share the id with this one: a duplicate that locks the Genesys user out.
//
// Clearing a link (genesysUserID "") takes it from the Genesys user it
// links explicitly (they may still match by e-mail afterwards, or not).
func (s *Store) TakesOver(sjUserID, genesysUserID string) []LostLink {
	snap := s.cur.Load()
	if snap == nil {
		return nil
	}
	return takesOver(snap.report, sjUserID, genesysUserID)
}

func takesOver(r *Report, sjUserID, genesysUserID string) []LostLink {
	var lost []LostLink
	if key(genesysUserID) == "" {
		if e, ok := r.BySJID(sjUserID); ok && e.Status == StatusExplicit && e.GenesysUser != nil && e.SJUser != nil {
			lost = append(lost, LostLink{Genesys: *e.GenesysUser, SJ: *e.SJUser})
		}
		return lost
	}
	if e, ok := r.BySJID(sjUserID); ok && e.GenesysUser != nil && e.SJUser != nil &&
		(e.Status == StatusExplicit || e.Status == StatusEmail) && key(e.GenesysUser.ID) != key(genesysUserID) {
		lost = append(lost, LostLink{Genesys: *e.GenesysUser, SJ: *e.SJUser})
	}
	if e, ok := r.ByGenesysID(genesysUserID); ok && e.SJUser != nil &&
		e.Status == StatusExplicit && key(e.SJUser.ID) != key(sjUserID) {
		lost = append(lost, LostLink{Genesys: *e.GenesysUser, SJ: *e.SJUser})
	}
	return lost
}

// SetExplicitConfirmed is SetExplicit for a person's request: it refuses
// with *TakeOverError, writing nothing, when the change would break a link
// whose Genesys user id is not in confirmed (the ids a previous refusal
// named, once the person agreed). The check reads the map in service, so
// a confirmation given for an older state of the map does not stretch to a
// link made since; check and write are one step (s.change), so a change
// made at the same instant is either seen by the check or made after it.
// Clearing an explicit link (genesysUserID "") needs the same confirmation.
func (s *Store) SetExplicitConfirmed(ctx context.Context, sj SJDirectory, sjUserID, genesysUserID string, confirmed []string) error {
	if s.changeWaits != nil {
		s.changeWaits()
	}
	s.change.Lock()
	defer s.change.Unlock()
	if err := s.confirmTakeOver(s.TakesOver(sjUserID, genesysUserID), confirmed); err != nil {
		var te *TakeOverError
		if errors.As(err, &te) {
			te.Clear = key(genesysUserID) == ""
		}
		return err
	}
	return s.setExplicit(ctx, sj, sjUserID, genesysUserID)
}

// confirmTakeOver refuses the lost links whose Genesys user is not confirmed.
func (s *Store) confirmTakeOver(lost []LostLink, confirmed []string) error {
	var missing []LostLink
	for _, l := range lost {
		if !slices.ContainsFunc(confirmed, func(id string) bool { return key(id) == key(l.Genesys.ID) }) {
			missing = append(missing, l)
		}
	}
	if len(missing) > 0 {
		return &TakeOverError{Lost: missing}
	}
	return nil
}
