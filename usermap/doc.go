// Package usermap maps Genesys Cloud users to ServiceJourney (AppBase) users,
// serves that map from memory, and runs the user sync job.
//
// # Rules
//
// Build applies, in order:
//
//  1. explicit: the ServiceJourney user's PURECLOUD_USERID equals the id of an
//     active Genesys user (trimmed, case-insensitive).
//  2. email: the e-mail addresses are equal after trimming and lower-casing.
//
// Anything ambiguous is a conflict, never a guess (ConflictKind):
//
//   - duplicate_sj_email: two or more active ServiceJourney users without a
//     usable explicit id share the e-mail of a Genesys user. An explicit user
//     whose own id is in conflict also counts as one of them.
//   - duplicate_genesys_email: one ServiceJourney user's e-mail belongs to two
//     or more active Genesys users. Elimination is a guess too: if one of them
//     is already linked explicitly, the others still conflict.
//   - duplicate_explicit: two or more ServiceJourney users carry the same
//     PURECLOUD_USERID.
//   - explicit_unknown: a PURECLOUD_USERID names no active Genesys user. The
//     ServiceJourney user is not matched by e-mail instead, and a Genesys user
//     with that user's e-mail is a conflict too (the fix is the same edit).
//   - explicit_email_mismatch: a ServiceJourney user's PURECLOUD_USERID names
//     one Genesys user while its e-mail belongs to another. The ServiceJourney
//     user, the Genesys user it names and the Genesys user(s) owning the e-mail
//     are all conflicts.
//
// An explicit link settles its Genesys user: another ServiceJourney user with
// the same e-mail is then "unmatched" (the reason names the linked user), which
// is how a supervisor resolves duplicate_sj_email by setting PURECLOUD_USERID
// on the right user.
//
// # Edge decisions
//
//   - Genesys users whose State is not "active" (case-insensitive; empty counts
//     as active, so adapters need not fill it) are left out of the map; they
//     appear only in reasons ("... is inactive").
//   - Genesys e-mail falls back to the username when the e-mail is empty and the
//     username contains "@" (Genesys usernames are normally the login e-mail).
//     A Genesys user with neither can only be matched explicitly.
//   - ServiceJourney users whose STATUS is inactive ("inactive", "disabled",
//     "deleted", "locked" or "0", case-insensitive; anything else, including
//     empty, is active) are reported "unmatched" with that reason and take no
//     part in matching, so an old inactive account never blocks a new one.
//     ServiceJourney LOGIN is not used as an e-mail: EMAIL is authoritative.
//   - Two Genesys users sharing an e-mail that no ServiceJourney user has are
//     each plain "unmatched"; once a ServiceJourney user has it, see
//     duplicate_genesys_email.
//   - Records with an empty id, or repeating an id already seen, are skipped
//     and counted in Report.Ignored.
//
// Each Genesys user and each ServiceJourney user appears in exactly one Entry:
// a matched pair shares one entry, every other user has its own. Reasons name
// the users involved and the edit that fixes the problem.
//
// # Serving and syncing
//
// Store holds the current Report and answers Lookup from memory; it is swapped
// whole, so a failed sync never serves a half map. A Genesys user missing
// from the map (created since the last sync) gets one targeted lookup, matched
// against the map's ServiceJourney users exactly as a full Build would, then
// cached until the next map; unknown ids are remembered briefly. The published
// Report itself only changes on Replace (a sync) or Set (a supervisor's fix).
//
// Syncer runs Build against both directories, optionally writes e-mail
// matches back as explicit ids (WriteBack), and publishes the result into the
// Store. Store.SetExplicit is the supervisor's fix: validate, write through
// SJDirectory.SetMapping, update the map at once.
package usermap
