package interactions

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/internal/fieldmap"
)

// maxSummaryWaits bounds the follow-ups waiting at once; beyond it a
// wrap-up is logged without waiting (counted as busy).
const maxSummaryWaits = 512

// maxSummaryChars caps each summary value written.
const maxSummaryChars = 4000

// summaryInputs are the mapped inputs that read the AI summary.
func (s *Service) summaryInputs() bool {
	for _, src := range s.fields {
		if src.Kind == fieldmap.Field && strings.HasPrefix(src.Name, "summary.") {
			return true
		}
	}
	return false
}

// afterWrapup runs once an interaction is over (wrapped up, or ended with
// no wrap-up to come), in the background: it writes the transcript and
// recording link (content.go), then waits, within SummaryWait, for the AI
// summary Genesys writes some seconds after after-call work, and adds it
// (upserts of those inputs only, so they blank nothing). One follow-up per
// conversation: the page's log and the event listener may both ask. The
// reads use the caller's token when ctx has one (WithCallerToken), so each
// agent's follow-ups spend their own rate budget, not the background one.
func (s *Service) afterWrapup(ctx context.Context, conversationID, media string) {
	summary := s.opts.SummaryWait >= 0 && s.summaryInputs()
	if !summary && !s.mapsAny("transcript", "recording.url") {
		return
	}
	s.sumMu.Lock()
	_, done := s.sumDone.Get(conversationID)
	if done || s.sumWaiting[conversationID] {
		s.sumMu.Unlock()
		return
	}
	if len(s.sumWaiting) >= maxSummaryWaits {
		s.sumMu.Unlock()
		s.m.summaries.WithLabelValues("busy").Inc()
		return
	}
	s.sumWaiting[conversationID] = true
	s.sumMu.Unlock()
	gc := s.opts.Genesys
	if t := callerToken(ctx); t != "" {
		gc = gc.WithToken(t)
	}
	go func() {
		s.writeContent(gc, conversationID, media)
		outcome := "off"
		if summary {
			outcome = s.awaitSummary(gc, conversationID)
			s.m.summaries.WithLabelValues(outcome).Inc()
		}
		s.sumMu.Lock()
		delete(s.sumWaiting, conversationID)
		if outcome != "error" {
			s.sumDone.SetDefault(conversationID, true)
		}
		s.sumMu.Unlock()
		if s.onSummary != nil {
			s.onSummary(conversationID, outcome)
		}
	}()
}

func (s *Service) awaitSummary(gc *genesys.Client, conversationID string) string {
	deadline := s.now().Add(s.opts.SummaryWait)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
		sums, err := gc.Conversations.Summaries(ctx, conversationID)
		cancel()
		s.count(SystemGenesys, "get_summaries", err)
		if err != nil && !errors.Is(err, genesys.ErrNotFound) {
			s.opts.Logger.Warn("interactions: could not read the AI summary; trying again", "conversation", conversationID, "err", err)
		}
		if vals := summaryValues(sums); len(vals) > 0 {
			in := appbase.Interaction{ConversationID: conversationID}
			in.Fields = s.mapFields(in, fieldSource{extra: vals})
			delete(in.Fields, "CONVERSATIONID")
			wctx, cancel := context.WithTimeout(context.Background(), s.opts.Timeout)
			_, err := s.opts.SJ.UpsertInteraction(wctx, in)
			cancel()
			s.count(SystemServiceJourney, appbase.OpUpsertInteraction, err)
			if err != nil {
				s.m.writes.WithLabelValues("summary", "summary", "error").Inc()
				s.opts.Logger.Warn("interactions: could not write the AI summary", "conversation", conversationID, "err", err)
				return "error"
			}
			s.m.writes.WithLabelValues("summary", "summary", "ok").Inc()
			return "written"
		}
		wait := s.opts.SummaryRetry
		if left := deadline.Sub(s.now()); left <= 0 {
			return "none"
		} else if left < wait {
			wait = left
		}
		<-s.after(wait)
	}
}

// summaryValues reads the summary fields: every session's text (the agent's
// edit first) in creation order, the reason, resolution and follow-up of
// the latest session that has them. Nil when there is no text yet.
func summaryValues(sums *genesys.ConversationSummaries) map[string]string {
	if sums == nil {
		return nil
	}
	ss := slices.Clone(sums.SessionSummaries)
	if len(ss) == 0 && sums.Summary != nil {
		ss = append(ss, *sums.Summary)
	}
	slices.SortStableFunc(ss, func(a, b genesys.SessionSummary) int { return a.DateCreated.Compare(b.DateCreated) })
	var texts []string
	out := map[string]string{}
	for _, x := range ss {
		if strings.EqualFold(x.Status, "failed") {
			continue
		}
		t := x.Text
		if x.EditedSummary != nil && strings.TrimSpace(x.EditedSummary.Text) != "" {
			t = x.EditedSummary.Text
		}
		if t = strings.TrimSpace(t); t != "" {
			texts = append(texts, t)
		}
		for name, p := range map[string]*genesys.SummaryPart{"summary.reason": x.Reason, "summary.resolution": x.Resolution, "summary.followup": x.Followup} {
			if p != nil && strings.TrimSpace(p.Text) != "" {
				out[name] = clipText(strings.TrimSpace(p.Text), maxSummaryChars)
			}
		}
	}
	if len(texts) == 0 {
		return nil
	}
	out["summary.text"] = clipText(strings.Join(texts, "\n\n"), maxSummaryChars)
	return out
}

// clipText cuts s to at most max characters, ending it with a marker that
// says how much was cut.
func clipText(s string, max int) string {
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	marker := "\n[... truncated by dcmconnect: " + strconv.Itoa(len(r)) + " characters in all ...]"
	keep := max - len([]rune(marker))
	if keep < 0 {
		keep = 0
	}
	return string(r[:keep]) + marker
}
