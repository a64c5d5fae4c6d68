package usermap

import (
	"context"
	"strings"
)

// A ServiceJourney user who needs no Genesys user (a back-office account, a
// service user) is ignored: its explicit mapping field holds IgnoreValue.
// The mark lives in ServiceJourney like any mapping, so it survives syncs,
// restarts and replicas, and whoever reads the field sees what it means. It
// carries the user's own id because the standard profile keeps the mapping
// in the case worker's external id, which must be unique.
const ignorePrefix = "ignore:"

// IgnoreValue is the mapping value that marks sjUserID ignored.
func IgnoreValue(sjUserID string) string { return ignorePrefix + strings.TrimSpace(sjUserID) }

// ignored says whether u carries the mark. Ignored users take no part in
// matching and are reported with StatusIgnored.
func ignored(u *SJUser) bool {
	v := strings.TrimSpace(u.PureCloudUserID)
	return len(v) > len(ignorePrefix) && strings.EqualFold(v[:len(ignorePrefix)], ignorePrefix)
}

// Ignore marks ServiceJourney user sjUserID as needing no Genesys user:
// written to ServiceJourney, then the map in service shows it "ignored". A
// user who serves a Genesys user now is a take-over, refused with
// *TakeOverError unless that Genesys user's id is in confirmed.
func (s *Store) Ignore(ctx context.Context, sj SJDirectory, sjUserID string, confirmed []string) error {
	s.change.Lock()
	defer s.change.Unlock()
	snap := s.cur.Load()
	if snap == nil {
		return ErrNoSnapshot
	}
	o, err := s.validate(snap, sjUserID, "")
	if err != nil {
		return err
	}
	if e, _ := snap.report.BySJID(o.sjID); e.Status == StatusIgnored {
		return nil
	}
	value := IgnoreValue(o.sjID)
	if err := s.confirmTakeOver(takesOver(snap.report, o.sjID, value), confirmed); err != nil {
		return err
	}
	return s.setExplicit(ctx, sj, o.sjID, value)
}

// Unignore undoes Ignore: the mark is cleared and the user is matched as
// any other again. A user who is not ignored is left as is, so a late undo
// never clears a real mapping.
func (s *Store) Unignore(ctx context.Context, sj SJDirectory, sjUserID string) error {
	s.change.Lock()
	defer s.change.Unlock()
	snap := s.cur.Load()
	if snap == nil {
		return ErrNoSnapshot
	}
	o, err := s.validate(snap, sjUserID, "")
	if err != nil {
		return err
	}
	if e, _ := snap.report.BySJID(o.sjID); e.Status != StatusIgnored {
		return nil
	}
	return s.setExplicit(ctx, sj, o.sjID, "")
}
