package genesys

import (
	"context"
	"time"
)

// ConversationSummaries is GET /api/v2/conversations/{id}/summaries: the
// AI (Copilot) summaries of a conversation, one per session, which appear
// some seconds after after-call work starts (docs/upstreams.md).
// Model: platformclientv2.Conversationsummariesgetresponse.
type ConversationSummaries struct {
	Conversation     *NamedEntity     `json:"conversation,omitempty"`
	Summary          *SessionSummary  `json:"summary,omitempty"` // Model: platformclientv2.Conversationsummary
	SessionSummaries []SessionSummary `json:"sessionSummaries,omitempty"`
}

// SessionSummary is one summary. EditedSummary is the agent's correction,
// when they made one. Model: platformclientv2.Conversationsessionsummary.
type SessionSummary struct {
	ID            string              `json:"id,omitempty"`
	Text          string              `json:"text,omitempty"`
	Confidence    float64             `json:"confidence,omitempty"`
	Status        string              `json:"status,omitempty"`
	MediaType     string              `json:"mediaType,omitempty"`
	Language      string              `json:"language,omitempty"`
	EditedSummary *SummaryEditedInput `json:"editedSummary,omitempty"` // Model: platformclientv2.Conversationeditedinput
	Reason        *SummaryPart        `json:"reason,omitempty"`        // Model: platformclientv2.Conversationsummaryreason
	Followup      *SummaryPart        `json:"followup,omitempty"`      // Model: platformclientv2.Conversationsummaryfollowup
	Resolution    *SummaryPart        `json:"resolution,omitempty"`    // Model: platformclientv2.Conversationsummaryresolution
	DateCreated   time.Time           `json:"dateCreated,omitzero"`
	Communication *NamedEntity        `json:"communication,omitempty"`
	Participants  []NamedEntity       `json:"participants,omitempty"`
}

// SummaryEditedInput is an agent's edit of a summary.
type SummaryEditedInput struct {
	Text         string    `json:"text,omitempty"`
	DateModified time.Time `json:"dateModified,omitzero"`
}

// SummaryPart is the reason, follow-up or resolution of a summary
// (Outcome only on the resolution).
type SummaryPart struct {
	Confidence  float64 `json:"confidence,omitempty"`
	Text        string  `json:"text,omitempty"`
	Description string  `json:"description,omitempty"`
	Outcome     string  `json:"outcome,omitempty"`
}

// Summaries returns the AI summaries of a conversation; ErrNotFound when
// the conversation has none (yet).
func (s *ConversationsService) Summaries(ctx context.Context, conversationID string) (*ConversationSummaries, error) {
	cid, err := pathID("conversation id", conversationID)
	if err != nil {
		return nil, err
	}
	var out ConversationSummaries
	if err := s.client.do(ctx, get("conversations", "/api/v2/conversations/{id}/summaries", "/api/v2/conversations/"+cid+"/summaries", nil), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
