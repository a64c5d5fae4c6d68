package interactions

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/internal/fieldmap"
)

// Caps on what a transcript reads: messages and e-mails fetched, and the
// text written (Options.TranscriptMaxChars).
const (
	maxTranscriptMessages = 500
	maxTranscriptEmails   = 20
	messagesPerBulk       = 100
)

// contentInputs says whether any mapped input reads the given fields.
func (s *Service) mapsAny(names ...string) bool {
	for _, src := range s.fields {
		if src.Kind == fieldmap.Field && slices.Contains(names, src.Name) {
			return true
		}
	}
	return false
}

// writeContent reads, once the interaction is over, what it said
// (messaging and e-mail bodies) and whether it was recorded, and upserts
// those inputs only. Text is never logged: errors name the conversation
// and the upstream error only.
func (s *Service) writeContent(gc *genesys.Client, conversationID, media string) {
	if !s.mapsAny("transcript", "recording.url") {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
	defer cancel()
	vals := map[string]string{}
	if s.mapsAny("transcript") && (media == "message" || media == "email") {
		t, err := s.transcript(ctx, gc, conversationID, media)
		if err != nil {
			s.opts.Logger.Warn("interactions: could not read the transcript", "conversation", conversationID, "media", media, "err", err)
		}
		if t != "" {
			vals["transcript"] = t
		}
	}
	if s.mapsAny("recording.url") && s.opts.GenesysAppsURL != "" {
		recs, err := gc.Conversations.RecordingMetadata(ctx, conversationID)
		s.count(SystemGenesys, "get_recording_metadata", err)
		if err != nil && !errors.Is(err, genesys.ErrNotFound) {
			s.opts.Logger.Warn("interactions: could not read the recording metadata", "conversation", conversationID, "err", err)
		}
		if len(recs) > 0 {
			vals["recording.url"] = s.interactionURL(conversationID)
		}
	}
	if len(vals) == 0 {
		return
	}
	in := appbase.Interaction{ConversationID: conversationID}
	in.Fields = s.mapFields(in, fieldSource{extra: vals})
	delete(in.Fields, "CONVERSATIONID")
	_, err := s.opts.SJ.UpsertInteraction(ctx, in)
	s.count(SystemServiceJourney, appbase.OpUpsertInteraction, err)
	if err != nil {
		s.m.writes.WithLabelValues("content", "content", "error").Inc()
		s.opts.Logger.Warn("interactions: could not write the transcript or recording link", "conversation", conversationID, "err", err)
		return
	}
	s.m.writes.WithLabelValues("content", "content", "ok").Inc()
}

// interactionURL is the interaction's page in Genesys Cloud (its
// recordings play there, for users allowed to hear them).
func (s *Service) interactionURL(conversationID string) string {
	return strings.TrimRight(s.opts.GenesysAppsURL, "/") + "/directory/#/analytics/interactions/" + conversationID + "/admin"
}

// transcript is the conversation's text, oldest first, one entry per
// message or e-mail, capped at TranscriptMaxChars with a marker.
func (s *Service) transcript(ctx context.Context, gc *genesys.Client, conversationID, media string) (string, error) {
	var b strings.Builder
	stamp := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return "[" + t.UTC().Format(time.RFC3339) + "] "
	}
	full := func() bool { return b.Len() > 4*s.opts.TranscriptMaxChars } // bytes >= runes: enough to cut
	if media == "message" {
		mc, err := gc.Conversations.MessageConversation(ctx, conversationID)
		s.count(SystemGenesys, "get_message_conversation", err)
		if err != nil {
			return "", err
		}
		var ids []string
		for _, p := range mc.Participants {
			for _, m := range p.Messages {
				if m.MessageID != "" && !slices.Contains(ids, m.MessageID) && len(ids) < maxTranscriptMessages {
					ids = append(ids, m.MessageID)
				}
			}
		}
		var msgs []genesys.MessageData
		for from := 0; from < len(ids); from += messagesPerBulk {
			part, err := gc.Conversations.Messages(ctx, conversationID, ids[from:min(from+messagesPerBulk, len(ids))])
			s.count(SystemGenesys, "get_messages", err)
			if err != nil {
				return "", err
			}
			msgs = append(msgs, part...)
		}
		slices.SortStableFunc(msgs, func(a, b genesys.MessageData) int { return a.Timestamp.Compare(b.Timestamp) })
		for _, m := range msgs {
			if strings.TrimSpace(m.TextBody) == "" {
				continue
			}
			who := "customer"
			if strings.EqualFold(m.Direction, "outbound") {
				who = "agent"
			}
			fmt.Fprintf(&b, "%s%s: %s\n", stamp(m.Timestamp), who, strings.TrimSpace(m.TextBody))
			if full() {
				break
			}
		}
	} else {
		list, err := gc.Conversations.EmailMessages(ctx, conversationID)
		s.count(SystemGenesys, "get_email_messages", err)
		if err != nil {
			return "", err
		}
		slices.SortStableFunc(list, func(a, b genesys.EmailMessage) int { return a.Time.Compare(b.Time) })
		for i, e := range list {
			if i >= maxTranscriptEmails || full() {
				break
			}
			em, err := gc.Conversations.EmailMessage(ctx, conversationID, e.ID)
			s.count(SystemGenesys, "get_email_message", err)
			if err != nil {
				return "", err
			}
			from := ""
			if em.From != nil {
				from = em.From.Email
			}
			fmt.Fprintf(&b, "%sFrom %s, subject %q:\n%s\n\n", stamp(em.Time), from, em.Subject, strings.TrimSpace(em.TextBody))
		}
	}
	return clipText(strings.TrimSpace(b.String()), s.opts.TranscriptMaxChars), nil
}
