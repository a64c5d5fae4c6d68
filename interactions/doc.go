// Package interactions joins Genesys Cloud and ServiceJourney for the agent
// page: screen pop, the interaction log, click-to-dial, and the interaction
// sync job. It belongs to neither system (DESIGN §1, §5) and knows nothing
// of HTTP handlers; package api exposes it as DCMServices methods.
//
// # Screen pop
//
// Service.ScreenPop fetches the conversation with the background
// (client-credentials) token, checks that the caller takes part in it and has
// a ServiceJourney user, and picks the customer-side participant
// (CustomerParticipant: the earliest "customer", else the earliest
// "external"; for an outbound call that is the dialled party). A transfer
// adds agents and a conference adds later parties, so both resolve to the
// same record as the original call. Pop keys are tried in order until one
// finds records:
//
//  1. a CaseId participant attribute (FINDCASES by CASEID),
//  2. a PartyId participant attribute (FINDPARTIES by PARTYID),
//  3. the customer's number normalised to E.164 (NormalizePhone: tel:/sip:
//     stripped, national numbers read in the default country; FINDPARTIES by PHONE),
//  4. the customer's e-mail address (FINDPARTIES by EMAIL).
//
// One match gives the Ecx.Web page URL to open
// (<SJ>/Ecx.Web/do/<page>?d=<domain>&appid=<appId>&Party_Id=<id> or
// &Case_Id=<id>), several a picker list (each with its URL), none the
// "create new" URL prefilled with Phone, Email and ConversationId. No
// ServiceJourney token is ever put in a URL.
//
// # Interaction log
//
// One record per conversation, written with UPSERTINTERACTION keyed by the
// conversation id: by the page at connect (Service.LogInteraction), updated
// at disconnect and after wrap-up (codes exist only after after-call work).
// Empty fields are not sent, so later writes complete a record and never
// wipe it. Queue and wrap-up code names come from the routing APIs, cached.
//
// # Interaction sync job
//
// The page cannot be trusted to be open when a conversation ends, so
// Syncer logs every finished conversation from the analytics conversation
// details query. Its state lives in ServiceJourney (GETSYNCSTATE /
// SETSYNCSTATE, NAME "interactions"), never in local files, so any replica or
// CronJob run continues where the last one stopped. The state is
//
//	{"v":1,"watermark":"<T>","pending":{"<conversationId>":"<start>",...}}
//
// meaning: every conversation that started before T is logged as final,
// except the pending ones. A run works through [T, now-Lag) window by
// window (QueryWindow, 24h by default), so a long catch-up after an outage
// holds one window's conversations at a time and a failure costs at most
// the window in progress. The first window starts Overlap (10m by default)
// before T: analytics may show a conversation only after the watermark passed
// its start; found there, it is logged (upserts make the overlap harmless,
// and a record this process wrote unchanged is skipped), and one this
// process did not see when it queried that start is counted as late
// (SyncSummary.Late). For each window [lo, hi) it
//
//  1. queries the conversations started in it (results outside it are
//     ignored, as the API may return whole days) and, with the first window
//     only, the pending ones by id;
//  2. writes every ended conversation whose ACD agents have wrapped up (or
//     whose WrapupGrace has passed) as final; writes an ended one still
//     waiting for a wrap-up and keeps it pending; leaves a still-open one
//     unwritten (it is never logged as final) and pending, unless it has
//     been open for MaxOpenAge (Genesys leaves a few without an end): then
//     it is written as it stands, not final, and no longer pending, so it
//     cannot hold the watermark back for ever; a pending one the window
//     covers but analytics no longer returns stays pending until
//     MaxPendingAge;
//  3. keeps every conversation whose write failed pending; after
//     MaxWriteFailures failures in a row (across windows) it stops writing,
//     keeps the rest of the window pending, and ends the run after step 4;
//  4. stores T = hi and the pending set. If the state cannot be saved
//     (ServiceJourney down) the run ends and the last stored state stays, so
//     the next run redoes this window, and only this window.
//
// A run stops after MaxWindowsPerRun windows (SyncSummary.More) or when ctx
// is done between windows; the next run goes on from the stored state.
//
// So no conversation is missed, however long it lasts: it stays pending (by
// id) until it is final. The pending list is capped (MaxPending) to keep the
// stored value small; beyond it the watermark stays at the start of the
// oldest conversation left out, which is then queried by time again (later
// windows of the run are still logged but cannot move it past there). Re-runs
// are harmless: the upsert is idempotent by conversation id, and a process
// skips records it already wrote unchanged. `dcmconnect sync interactions
// --since 2h` re-logs a window; when that window starts after the watermark
// the watermark is left alone (no state is stored), and when it starts
// before, the watermark only moves once the windows pass it.
package interactions
