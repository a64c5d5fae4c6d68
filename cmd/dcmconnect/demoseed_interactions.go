package main

import (
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// Finished conversations for the interaction sync job: wrapped up, a
// transfer, an outbound call, one still in after-call work.
const (
	demoDoneAlice    = "c0000000-0000-4000-8000-000000000101" // Ann, one party, wrapped up
	demoDoneBrown    = "c0000000-0000-4000-8000-000000000102" // Ben, three parties, callback needed
	demoDoneOutbound = "c0000000-0000-4000-8000-000000000103" // Ann called Erin back
	demoDoneTransfer = "c0000000-0000-4000-8000-000000000104" // Ann transferred to Ben, Ben wrapped up
	demoDoneACW      = "c0000000-0000-4000-8000-000000000105" // Carla, ended, wrap-up not done yet
)

func seedDemoInteractions(g *genesystest.Server, _ *appbasetest.Server, _ string) {
	now := time.Now().UTC()
	const support = "q0000000-0000-4000-8000-000000000001"
	const resolvedCode, callbackCode = "w0000000-0000-4000-8000-000000000001", "w0000000-0000-4000-8000-000000000002"
	at := func(ago time.Duration) *time.Time { t := now.Add(-ago); return &t }
	leg := func(dir string, from, to *time.Time) []genesystest.Media {
		return []genesystest.Media{{State: "disconnected", Direction: dir, ConnectedTime: from, DisconnectedTime: to, DisconnectType: "peer"}}
	}
	wrap := func(code, notes string) *genesystest.Wrapup {
		return &genesystest.Wrapup{Code: code, Notes: notes, DurationSeconds: 45}
	}
	// inbound is a finished queue call: agents in order, each for its share.
	inbound := func(id, ani string, started, ended *time.Time, agents []genesystest.Participant) genesystest.Conversation {
		c := genesystest.Conversation{ID: id, Address: "tel:+18005550100", OriginatingDirection: "inbound", StartTime: *started, EndTime: ended,
			Participants: []genesystest.Participant{
				{Purpose: "customer", Name: "Caller", ANI: "tel:" + ani, DNIS: "tel:+18005550100", Address: "tel:" + ani, StartTime: *started, EndTime: ended,
					Calls: leg("inbound", started, ended)},
				{Purpose: "acd", Name: "Support", QueueID: support, StartTime: *started, EndTime: ended},
			}}
		c.Participants = append(c.Participants, agents...)
		return c
	}
	agent := func(userID string, from, to *time.Time, w *genesystest.Wrapup) genesystest.Participant {
		return genesystest.Participant{Purpose: "agent", UserID: userID, QueueID: support, StartTime: *from, ConnectedTime: from, EndTime: to,
			WrapupRequired: true, Wrapup: w, Calls: leg("inbound", from, to)}
	}

	g.AddConversation(inbound(demoDoneAlice, "+14155550101", at(50*time.Minute), at(44*time.Minute),
		[]genesystest.Participant{agent(demoAnnID, at(49*time.Minute), at(44*time.Minute), wrap(resolvedCode, "Explained the invoice"))}))
	g.AddConversation(inbound(demoDoneBrown, "+14155550199", at(40*time.Minute), at(37*time.Minute),
		[]genesystest.Participant{agent(demoBenID, at(39*time.Minute), at(37*time.Minute), wrap(callbackCode, "Call back Friday"))}))
	g.AddConversation(inbound(demoDoneTransfer, "+14155550101", at(35*time.Minute), at(25*time.Minute), []genesystest.Participant{
		agent(demoAnnID, at(34*time.Minute), at(30*time.Minute), wrap(resolvedCode, "Transferred to billing")),
		agent(demoBenID, at(30*time.Minute), at(25*time.Minute), wrap(resolvedCode, "Refund issued")),
	}))
	g.AddConversation(inbound(demoDoneACW, "+14155550000", at(20*time.Minute), at(15*time.Minute),
		[]genesystest.Participant{agent(demoCarlaID, at(19*time.Minute), at(15*time.Minute), nil)}))
	// Ann called Erin back: an agent-placed call, the customer is the dialled party.
	started, ended := at(30*time.Minute), at(27*time.Minute)
	g.AddConversation(genesystest.Conversation{ID: demoDoneOutbound, Address: "tel:+14155550123", OriginatingDirection: "outbound",
		StartTime: *started, EndTime: ended, Participants: []genesystest.Participant{
			{Purpose: "agent", UserID: demoAnnID, QueueID: support, StartTime: *started, ConnectedTime: started, EndTime: ended,
				WrapupRequired: true, Wrapup: wrap(resolvedCode, "Router replaced"), Calls: leg("outbound", started, ended)},
			{Purpose: "customer", Name: "Erin Example", ANI: "tel:+18005550100", DNIS: "tel:+14155550123", Address: "tel:+14155550123",
				StartTime: *started, EndTime: ended, Calls: leg("outbound", started, ended)},
		}})
}
