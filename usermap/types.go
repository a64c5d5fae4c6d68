package usermap

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// GenesysUser is the part of a Genesys Cloud user the map needs.
type GenesysUser struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
	Username string `json:"username,omitempty"`
	// State is "active", "inactive" or "deleted"; empty counts as active.
	State string `json:"state,omitempty"`
}

// SJUser is one row of the GETUSERS rule (DESIGN §4).
type SJUser struct {
	ID              string `json:"id"`
	Code            string `json:"code,omitempty"`
	Login           string `json:"login,omitempty"`
	Name            string `json:"name,omitempty"`
	Email           string `json:"email,omitempty"`
	Status          string `json:"status,omitempty"`
	PureCloudUserID string `json:"pureCloudUserId,omitempty"`
}

// GenesysDirectory is what usermap needs from Genesys Cloud. The wiring adapts
// the genesys client to it.
type GenesysDirectory interface {
	// ActiveUsers lists every active user (all pages).
	ActiveUsers(ctx context.Context) ([]GenesysUser, error)
	// User fetches one user by id. An unknown id returns an error wrapping
	// ErrNotFound.
	User(ctx context.Context, id string) (GenesysUser, error)
}

// SJDirectory is what usermap needs from ServiceJourney (GETUSERS and
// SETUSERMAPPING rules).
type SJDirectory interface {
	Users(ctx context.Context) ([]SJUser, error)
	// SetMapping stores genesysUserID in the user's PureCloud_UserId; an empty
	// genesysUserID clears it.
	SetMapping(ctx context.Context, sjUserID, genesysUserID string) error
}

// Status is how a user was (or was not) matched.
type Status string

const (
	StatusExplicit  Status = "explicit"
	StatusEmail     Status = "email"
	StatusUnmatched Status = "unmatched"
	StatusConflict  Status = "conflict"
	// StatusIgnored: a supervisor said this ServiceJourney user needs no
	// Genesys user (ignore.go); it is no problem to fix. Only ServiceJourney
	// users have it, so it is not in Statuses.
	StatusIgnored Status = "ignored"
)

// Statuses lists every Status a Genesys user can have, in report order (most
// actionable first). ServiceJourney users may also be StatusIgnored.
var Statuses = []Status{StatusConflict, StatusUnmatched, StatusEmail, StatusExplicit}

// ConflictKind says which ambiguity made an entry a conflict.
type ConflictKind string

const (
	ConflictDuplicateSJEmail      ConflictKind = "duplicate_sj_email"
	ConflictDuplicateGenesysEmail ConflictKind = "duplicate_genesys_email"
	ConflictDuplicateExplicit     ConflictKind = "duplicate_explicit"
	ConflictExplicitUnknown       ConflictKind = "explicit_unknown"
	ConflictExplicitEmailMismatch ConflictKind = "explicit_email_mismatch"
)

// Entry is one line of the report: a matched pair, or one user on its own.
// The pointers refer into the Report's snapshot; treat them as read-only.
//
// Why a user ended as they did is kept as the matcher's decision and said
// on demand (reasontext.go): Reason() in English, ReasonCode with
// ReasonParams() for pages in other languages. The JSON form carries all
// three ("reason", "reasonCode", "reasonParams").
type Entry struct {
	GenesysUser *GenesysUser `json:"genesysUser,omitempty"`
	SJUser      *SJUser      `json:"serviceJourneyUser,omitempty"`
	Status      Status       `json:"status"`
	// ReasonCode says the reason as a code (reasoncode.go).
	ReasonCode   string       `json:"reasonCode"`
	ConflictKind ConflictKind `json:"conflictKind,omitempty"`
	// Related are the other users involved in a conflict or named by the reason.
	RelatedGenesysIDs []string `json:"relatedGenesysUserIds,omitempty"`
	RelatedSJIDs      []string `json:"relatedServiceJourneyUserIds,omitempty"`

	// why is the decision behind an unmatched or conflicting entry (nil for
	// a matched pair, whose reason is a constant).
	why *why
}

// Report is the whole map as built by one sync.
type Report struct {
	// Entries: conflicts first, then unmatched, email, explicit; related
	// entries next to each other.
	Entries []Entry `json:"entries"`
	// Counts counts entries; GenesysCounts and SJCounts count users per side.
	Counts        map[Status]int `json:"counts"`
	GenesysCounts map[Status]int `json:"genesysCounts"`
	SJCounts      map[Status]int `json:"serviceJourneyCounts"`
	GenesysUsers  int            `json:"genesysUsers"`
	SJUsers       int            `json:"serviceJourneyUsers"`
	// ConflictGroups counts the groups of users in conflict with each other
	// (the supervisor page's rows); ToFix is what needs a person: those
	// groups plus the unmatched entries.
	ConflictGroups int `json:"conflictGroups"`
	ToFix          int `json:"toFix"`
	// Ignored counts input records skipped for an empty or repeated id.
	Ignored int `json:"ignored"`
	// GeneratedAt is when reading the directories began (zero from Build,
	// which is pure; the Syncer sets it). Store uses it to order updates.
	GeneratedAt time.Time `json:"generatedAt,omitzero"`

	idx *index
}

// ErrNotFound marks an unknown user. GenesysDirectory.User adapters wrap a 404
// in it; Store.SetExplicit returns it (as *UnknownUserError) for ids that are
// not in the last sync.
var ErrNotFound = errors.New("usermap: user not found")

// ErrNoSnapshot means no user sync has succeeded yet.
var ErrNoSnapshot = errors.New("usermap: no user sync has succeeded yet; run `dcmconnect sync users` or wait for the first sync")

// ErrEmptyListing: a directory listed no users although the map in service
// has some; the sync fails and that map stays in service.
var ErrEmptyListing = errors.New("usermap: empty user listing")

// UnknownUserError names an id that is not in the last successful sync.
type UnknownUserError struct {
	System string // "Genesys" or "ServiceJourney"
	ID     string
}

func (e *UnknownUserError) Error() string {
	return fmt.Sprintf("usermap: %s user id %q is not an active user in the last user sync; check the id, or run a sync if the user is new", e.System, e.ID)
}

func (e *UnknownUserError) Is(target error) bool { return target == ErrNotFound }

// SyncError says which stage of a sync failed.
type SyncError struct {
	Stage string // "genesys", "servicejourney" or "writeback"
	Err   error
}

func (e *SyncError) Error() string {
	switch e.Stage {
	case "writeback":
		return "usermap: write-back of e-mail matches failed (the new map is in service): " + e.Err.Error()
	default:
		return "usermap: reading " + e.Stage + " users failed (the previous map stays in service): " + e.Err.Error()
	}
}

func (e *SyncError) Unwrap() error { return e.Err }
