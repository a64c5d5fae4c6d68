package appbase

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Interaction is one conversation's log record, keyed by ConversationID.
// Empty fields (zero times, zero duration without an end) are not sent, so
// an update at disconnect does not wipe what connect wrote, and the wrap-up
// written after after-call work completes the record.
type Interaction struct {
	ConversationID, Direction, MediaType, ANI, DNIS, QueueID, QueueName string
	// AgentUserID is the agent's ServiceJourney user id (via the user map).
	AgentUserID                         string
	Start, End                          time.Time
	DurationSeconds                     int
	WrapupCode, WrapupName, WrapupNotes string
	PartyID, CaseID                     string
	// ClearPartyID and ClearCaseID ask the rule to empty PARTYID / CASEID
	// (inputs CLEARPARTYID / CLEARCASEID = 1): the agent said "not this
	// customer" about a record an earlier write named. Only sent when the
	// same write carries no new value for the field (a value replaces it).
	ClearPartyID, ClearCaseID bool
	// Fields are further inputs by rule input name (the mapping,
	// interactions.fields); one named like a fixed input replaces it. Empty
	// values are not sent.
	Fields map[string]string
}

// TimeLayout is how STARTTIME/ENDTIME travel: ISO-8601 in UTC with milliseconds.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// Params is the UPSERTINTERACTION input set (upper snake names), dates in TimeLayout.
func (in Interaction) Params() map[string]string { return in.ParamsIn(TimeLayout) }

// ParamsIn is Params with dates in the Go layout given (Options.DateFormat).
func (in Interaction) ParamsIn(layout string) map[string]string {
	p := nonEmpty(map[string]string{
		"CONVERSATIONID": in.ConversationID,
		"DIRECTION":      in.Direction,
		"MEDIATYPE":      in.MediaType,
		"ANI":            in.ANI,
		"DNIS":           in.DNIS,
		"QUEUEID":        in.QueueID,
		"QUEUENAME":      in.QueueName,
		"AGENTUSERID":    in.AgentUserID,
		"WRAPUPCODE":     in.WrapupCode,
		"WRAPUPNAME":     in.WrapupName,
		"WRAPUPNOTES":    in.WrapupNotes,
		"PARTYID":        in.PartyID,
		"CASEID":         in.CaseID,
	})
	if in.ClearPartyID && in.PartyID == "" {
		p["CLEARPARTYID"] = "1"
	}
	if in.ClearCaseID && in.CaseID == "" {
		p["CLEARCASEID"] = "1"
	}
	if !in.Start.IsZero() {
		p["STARTTIME"] = in.Start.UTC().Format(layout)
	}
	if !in.End.IsZero() {
		p["ENDTIME"] = in.End.UTC().Format(layout)
	}
	if in.DurationSeconds > 0 || !in.End.IsZero() {
		p["DURATIONSECONDS"] = strconv.Itoa(in.DurationSeconds)
	}
	for k, v := range in.Fields {
		if v != "" {
			p[k] = v
		}
	}
	return p
}

// UpsertInteraction creates or updates the record for in.ConversationID
// (UPSERTINTERACTION). The rule is idempotent by conversation id, so a
// repeated call (a job run twice) updates rather than duplicates; for that
// reason it is still not retried automatically: callers re-run jobs instead.
func (c *Client) UpsertInteraction(ctx context.Context, in Interaction) (UpsertResult, error) {
	if strings.TrimSpace(in.ConversationID) == "" {
		return UpsertResult{}, fmt.Errorf("appbase: UpsertInteraction: ConversationID is empty; pass the Genesys conversation id")
	}
	if in.DurationSeconds < 0 {
		return UpsertResult{}, fmt.Errorf("appbase: UpsertInteraction: DurationSeconds is %d; pass 0 or more", in.DurationSeconds)
	}
	res, err := c.RunOp(ctx, OpUpsertInteraction, in.ParamsIn(c.dateLayout))
	if err != nil {
		return UpsertResult{}, err
	}
	row, _ := firstRow(res)
	out := UpsertResult{ID: row.String("ID")}
	out.Created, _ = row.Bool("CREATED")
	if out.ID == "" {
		return out, &Error{Kind: KindDecode, Rule: c.RuleName(OpUpsertInteraction), Status: 200, Message: "no ID in the reply; the rule must return a row with ID and CREATED (README, rule contract)"}
	}
	return out, nil
}
