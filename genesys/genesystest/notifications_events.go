package genesystest

import "time"

// Wire shape of conversation events
// (Model: platformclientv2.Queueconversationeventtopicconversation, the
// same as Conversationeventtopicconversation): no conversation start or
// end, no queue or wrap-up names; times of legs that have not happened are
// absent.
type wireEventConversation struct {
	ID              string                 `json:"id"`
	MaxParticipants int                    `json:"maxParticipants"`
	Participants    []wireEventParticipant `json:"participants"`
	RecordingState  string                 `json:"recordingState"`
	Address         string                 `json:"address,omitempty"`
	ExternalTag     string                 `json:"externalTag,omitempty"`
}

// Model: platformclientv2.Queueconversationeventtopicparticipant.
type wireEventParticipant struct {
	ID             string            `json:"id"`
	ConnectedTime  string            `json:"connectedTime,omitempty"`
	EndTime        string            `json:"endTime,omitempty"`
	UserID         string            `json:"userId,omitempty"`
	Name           string            `json:"name,omitempty"`
	QueueID        string            `json:"queueId,omitempty"`
	Purpose        string            `json:"purpose"`
	Address        string            `json:"address,omitempty"`
	WrapupRequired bool              `json:"wrapupRequired"`
	Wrapup         *wireEventWrapup  `json:"wrapup,omitempty"`
	StartAcwTime   string            `json:"startAcwTime,omitempty"`
	EndAcwTime     string            `json:"endAcwTime,omitempty"`
	Attributes     map[string]string `json:"attributes"`
	Calls          []wireEventMedia  `json:"calls"`
	Chats          []wireEventMedia  `json:"chats"`
	Emails         []wireEventMedia  `json:"emails"`
	Messages       []wireEventMedia  `json:"messages"`
}

// Model: platformclientv2.Queueconversationeventtopicwrapup.
type wireEventWrapup struct {
	Code            string   `json:"code"`
	Notes           string   `json:"notes,omitempty"`
	Tags            []string `json:"tags"`
	DurationSeconds int      `json:"durationSeconds"`
	EndTime         string   `json:"endTime,omitempty"`
}

// Model: platformclientv2.Queueconversationeventtopiccall (chat, email and
// message legs carry the same fields the connector reads).
type wireEventMedia struct {
	ID                    string              `json:"id"`
	State                 string              `json:"state"`
	Direction             string              `json:"direction,omitempty"`
	DisconnectType        string              `json:"disconnectType,omitempty"`
	ConnectedTime         string              `json:"connectedTime,omitempty"`
	DisconnectedTime      string              `json:"disconnectedTime,omitempty"`
	Provider              string              `json:"provider"`
	Self                  *wireEventAddress   `json:"self,omitempty"`
	Other                 *wireEventAddress   `json:"other,omitempty"`
	Wrapup                *wireEventWrapup    `json:"wrapup,omitempty"`
	AfterCallWork         *wireEventAfterCall `json:"afterCallWork,omitempty"`
	AfterCallWorkRequired bool                `json:"afterCallWorkRequired"`
}

// Model: platformclientv2.Queueconversationeventtopicaddress.
type wireEventAddress struct {
	AddressNormalized string `json:"addressNormalized"`
}

// Model: platformclientv2.Queueconversationeventtopicaftercallwork.
type wireEventAfterCall struct {
	State     string `json:"state"` // pending, complete
	StartTime string `json:"startTime,omitempty"`
	EndTime   string `json:"endTime,omitempty"`
}

// conversationEvent renders a stored conversation as its event; the caller
// holds s.mu. After-call work is derived: an agent who ended and owes a
// wrap-up is in ACW ("pending") until the wrap-up arrives ("complete").
func (s *Server) conversationEvent(c *Conversation) wireEventConversation {
	ev := wireEventConversation{ID: c.ID, MaxParticipants: 10, RecordingState: "none", Address: c.Address,
		ExternalTag: c.ExternalTag, Participants: make([]wireEventParticipant, 0, len(c.Participants))}
	for i := range c.Participants {
		p := &c.Participants[i]
		wp := wireEventParticipant{ID: p.ID, ConnectedTime: isoTimePtr(p.ConnectedTime), EndTime: isoTimePtr(p.EndTime),
			UserID: p.UserID, Name: p.Name, QueueID: p.QueueID, Purpose: p.Purpose, Address: p.Address,
			WrapupRequired: p.WrapupRequired, Attributes: p.Attributes}
		if wp.Attributes == nil {
			wp.Attributes = map[string]string{}
		}
		var wrap *wireEventWrapup
		if p.Wrapup != nil {
			wrap = &wireEventWrapup{Code: p.Wrapup.Code, Notes: p.Wrapup.Notes, Tags: []string{},
				DurationSeconds: p.Wrapup.DurationSeconds, EndTime: isoTimePtr(p.Wrapup.EndTime)}
			wp.Wrapup = wrap
		}
		var acw *wireEventAfterCall
		if p.EndTime != nil && p.WrapupRequired && (p.Purpose == "agent" || p.Purpose == "user") {
			acw = &wireEventAfterCall{State: "pending", StartTime: isoTime(*p.EndTime)}
			wp.StartAcwTime = acw.StartTime
			if p.Wrapup != nil {
				end := p.EndTime.Add(time.Duration(p.Wrapup.DurationSeconds) * time.Second)
				if p.Wrapup.EndTime != nil {
					end = *p.Wrapup.EndTime
				}
				acw.State, acw.EndTime = "complete", isoTime(end)
				wp.EndAcwTime = acw.EndTime
			}
		}
		legs := func(ms []Media, voice bool) []wireEventMedia {
			out := make([]wireEventMedia, 0, len(ms))
			for _, m := range ms {
				wm := wireEventMedia{ID: m.ID, State: m.State, Direction: m.Direction, DisconnectType: m.DisconnectType,
					ConnectedTime: isoTimePtr(m.ConnectedTime), DisconnectedTime: isoTimePtr(m.DisconnectedTime),
					Provider: "Edge", Wrapup: wrap, AfterCallWork: acw, AfterCallWorkRequired: p.WrapupRequired}
				if voice && (p.ANI != "" || p.DNIS != "") {
					wm.Self, wm.Other = &wireEventAddress{p.ANI}, &wireEventAddress{p.DNIS}
				}
				out = append(out, wm)
			}
			return out
		}
		wp.Calls = legs(p.Calls, true)
		wp.Chats = legs(p.Chats, false)
		wp.Emails = legs(p.Emails, false)
		wp.Messages = legs(p.Messages, false)
		ev.Participants = append(ev.Participants, wp)
	}
	return ev
}
