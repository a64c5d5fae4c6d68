package interactions

import (
	"strings"

	"dcmconnect/genesys"
)

// What a participant's legs say: its media, whether it is over, its
// wrap-up and its after-call work. Every media counts (calls, chats,
// e-mails, messages, callbacks, videos, screenshares, social expressions,
// cobrowse sessions: Model platformclientv2.Participant), so a video or
// cobrowse interaction ends and wraps up like a call.

type mediaInfo struct{ kind, direction string }

// mediaOf names a participant's first media leg (voice, chat, email,
// message, callback, video, screenshare, socialexpression, cobrowse) with
// the first direction any of its legs gives.
func mediaOf(p *genesys.Participant) mediaInfo {
	legs := p.Legs()
	if len(legs) == 0 {
		return mediaInfo{}
	}
	m := mediaInfo{kind: legs[0].Media}
	if m.kind == "callback" {
		for _, cb := range p.Callbacks {
			if cb.Voicemail != nil {
				m.kind = "voicemail" // an ACD voicemail arrives as a callback with its voicemail
			}
		}
	}
	for _, l := range legs {
		if l.Direction != "" {
			m.direction = l.Direction
			break
		}
	}
	return m
}

// wrapupOf is the participant's final wrap-up, or that of one of its legs.
func wrapupOf(p *genesys.Participant) *genesys.Wrapup {
	if p == nil {
		return nil
	}
	final := func(w *genesys.Wrapup) bool { return w != nil && w.Code != "" && !w.Provisional }
	if final(p.Wrapup) {
		return p.Wrapup
	}
	for _, l := range p.Legs() {
		if final(l.Wrapup) {
			return l.Wrapup
		}
	}
	return nil
}

// participantEnded reports whether the participant is over: its end time is
// set, or every one of its legs is disconnected or terminated.
func participantEnded(p *genesys.Participant) bool {
	if p == nil {
		return false
	}
	if !p.EndTime.IsZero() {
		return true
	}
	legs := p.Legs()
	if len(legs) == 0 {
		return false
	}
	for _, l := range legs {
		if !strings.EqualFold(l.State, "disconnected") && !strings.EqualFold(l.State, "terminated") {
			return false
		}
	}
	return true
}

// wrapupPending reports whether a wrap-up is still to come from the agent:
// one is required (on the participant or a leg's after-call work), not
// skipped, and the after-call work is not over (endAcwTime unset, no leg's
// after-call work complete, skipped or not applicable). Without a code
// once after-call work is over, none will come: not pending.
func wrapupPending(p *genesys.Participant) bool {
	if p == nil || p.WrapupSkipped || !p.EndAcwTime.IsZero() {
		return false
	}
	required := p.WrapupRequired
	for _, l := range p.Legs() {
		if l.AfterCallWorkRequired {
			required = true
		}
		if a := l.AfterCallWork; a != nil {
			switch strings.ToLower(a.State) {
			case "complete", "skipped", "notapplicable":
				return false
			}
			if !a.EndTime.IsZero() {
				return false
			}
		}
	}
	return required
}
