package main

import (
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// The demo's world: one Genesys org and one ServiceJourney solution whose
// users, customers and conversations cover every case the pages handle
// (mapped explicitly, by e-mail, unmapped, in conflict; a caller matching one
// party, three parties, none; a case id in participant data).
const (
	demoOrgID          = "5e1d7a3c-0000-4000-8000-00000000d0c0"
	demoCCClientID     = "dcm-demo-client-credentials"
	demoCCSecret       = "demo-client-secret"
	demoBrowserClient  = "dcm-demo-browser"
	demoSupervisorPerm = "analytics:conversationDetail:view"
	// demoActionsPassword is the Basic password the data actions send
	// (actions.password); the wizard stores it in the fake's credential.
	demoActionsUser     = "genesys-data-actions"
	demoActionsPassword = "demo-data-actions-password"

	demoAnnID   = "a0000000-0000-4000-8000-000000000001" // explicit mapping
	demoBenID   = "a0000000-0000-4000-8000-000000000002" // e-mail mapping
	demoCarlaID = "a0000000-0000-4000-8000-000000000003" // no ServiceJourney user
	demoSamID   = "a0000000-0000-4000-8000-000000000004" // supervisor
	demoDanID   = "a0000000-0000-4000-8000-000000000005" // two SJ users share his e-mail
	demoAdminID = "a0000000-0000-4000-8000-000000000006" // installs the connector

	demoSupportQueue = "q0000000-0000-4000-8000-000000000001"
	demoSalesQueue   = "q0000000-0000-4000-8000-000000000002"

	demoConvOne   = "c0000000-0000-4000-8000-000000000001" // ANI matches one party
	demoConvMany  = "c0000000-0000-4000-8000-000000000002" // ANI matches three parties
	demoConvNone  = "c0000000-0000-4000-8000-000000000003" // ANI matches nobody
	demoConvCase  = "c0000000-0000-4000-8000-000000000004" // CaseId participant data
	demoConvCarla = "c0000000-0000-4000-8000-000000000005" // unmapped agent
)

func seedDemoGenesys(g *genesystest.Server, publicURL string) {
	g.SetOrg(demoOrgID, "Demo Contact Centre")
	g.AddClient(genesystest.Client{ID: demoCCClientID, Secret: demoCCSecret, Name: "ServiceJourney Client Credentials",
		GrantType: genesystest.GrantClientCredentials})
	docs := publicURL + "/dcm-connect-docs/"
	g.AddClient(genesystest.Client{ID: demoBrowserClient, Name: "ServiceJourney Browser", GrantType: genesystest.GrantCode,
		RedirectURIs: []string{docs + "index.html", docs + "supervisor.html", docs + "wizard/index.html"},
		Scopes:       []string{"user-basic-info", "conversations", "analytics", "integrations", "authorization", "groups", "oauth"}})
	agent := []string{"conversation:communication:view", "conversation:conference:add"}
	g.AddUser(genesystest.User{ID: demoAnnID, Name: "Ann Agent", Email: "ann.agent@example.com", Permissions: agent, Presence: "ON_QUEUE", RoutingStatus: "INTERACTING"})
	g.AddUser(genesystest.User{ID: demoBenID, Name: "Ben Agent", Email: "ben.agent@example.com", Permissions: agent, Presence: "AVAILABLE", RoutingStatus: "IDLE"})
	g.AddUser(genesystest.User{ID: demoCarlaID, Name: "Carla Newhire", Email: "carla.newhire@example.com", Permissions: agent, Presence: "BUSY", RoutingStatus: "OFF_QUEUE"})
	g.AddUser(genesystest.User{ID: demoSamID, Name: "Sam Supervisor", Email: "sam.supervisor@example.com", Permissions: append([]string{demoSupervisorPerm}, agent...), Presence: "AVAILABLE", RoutingStatus: "OFF_QUEUE"})
	g.AddUser(genesystest.User{ID: demoDanID, Name: "Dan Double", Email: "dan.double@example.com", Permissions: agent, Presence: "OFFLINE"})
	g.AddUser(genesystest.User{ID: demoAdminID, Name: "Ada Admin", Email: "ada.admin@example.com", Permissions: []string{"*:*:*"}, Presence: "AVAILABLE"})
	g.AddQueue(demoSupportQueue, "Support")
	g.AddQueue(demoSalesQueue, "Sales")
	g.AddWrapupCode("w0000000-0000-4000-8000-000000000001", "Resolved")
	g.AddWrapupCode("w0000000-0000-4000-8000-000000000002", "Callback needed")

	now := time.Now().UTC()
	call := func(id, agentID, ani string, attrs map[string]string, started time.Time) genesystest.Conversation {
		connected := started.Add(20 * time.Second)
		return genesystest.Conversation{ID: id, Address: "tel:+18005550100", OriginatingDirection: "inbound", StartTime: started,
			Participants: []genesystest.Participant{
				{Purpose: "customer", Name: "Caller", ANI: "tel:" + ani, DNIS: "tel:+18005550100", Address: "tel:" + ani, Attributes: attrs, StartTime: started,
					Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
				{Purpose: "acd", Name: "Support", QueueID: "q0000000-0000-4000-8000-000000000001", StartTime: started},
				{Purpose: "agent", UserID: agentID, QueueID: "q0000000-0000-4000-8000-000000000001", StartTime: connected, ConnectedTime: &connected, WrapupRequired: true,
					Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
			}}
	}
	g.AddConversation(call(demoConvOne, demoAnnID, "+14155550101", nil, now.Add(-2*time.Minute)))
	g.AddConversation(call(demoConvMany, demoAnnID, "+14155550199", nil, now.Add(-3*time.Minute)))
	g.AddConversation(call(demoConvNone, demoAnnID, "+14155550000", nil, now.Add(-4*time.Minute)))
	g.AddConversation(call(demoConvCase, demoAnnID, "+14155550123", map[string]string{"CaseId": "CASE-0001"}, now.Add(-5*time.Minute)))
	g.AddConversation(call(demoConvCarla, demoCarlaID, "+14155550101", nil, now.Add(-6*time.Minute)))
}

func seedDemoServiceJourney(s *appbasetest.Server) {
	for _, v := range []appbasetest.User{
		{ID: "101", Code: "ANN", Login: "ann", Name: "Ann Agent", Email: "ann@sj.example.com", PureCloudUserID: demoAnnID},
		{ID: "102", Code: "BEN", Login: "ben", Name: "Ben Agent", Email: " Ben.Agent@Example.com "},
		{ID: "103", Code: "SAM", Login: "sam", Name: "Sam Supervisor", Email: "sam.supervisor@example.com"},
		{ID: "104", Code: "DAN1", Login: "dan", Name: "Dan Double", Email: "dan.double@example.com"},
		{ID: "105", Code: "DAN2", Login: "daniel", Name: "Daniel Double", Email: "dan.double@example.com"},
		{ID: "106", Code: "OLGA", Login: "olga", Name: "Olga Orphan", Email: "olga.orphan@example.com"},
		{ID: "107", Code: "ADA", Login: "ada", Name: "Ada Admin", Email: "ada.admin@example.com"},
	} {
		s.AddUser(v)
	}
	for _, v := range []appbasetest.Party{
		// Stored in national form: the stock search finds it from the E.164 ANI.
		{ID: "P-1", Name: "Alice Customer", Phone: "(415) 555-0101", Email: "alice@customer.example"},
		{ID: "P-2", Name: "Bob Brown", Phone: "+14155550199", Email: "bob@brown.example"},
		{ID: "P-3", Name: "Bobby Brown Jr", Phone: "+14155550199", Email: "bobby@brown.example"},
		{ID: "P-4", Name: "Brown Household", Phone: "+14155550199"},
		{ID: "P-5", Name: "Erin Example", Phone: "+14155550123", Email: "erin@example.org"},
	} {
		s.AddParty(v)
	}
	for _, v := range []appbasetest.Case{
		{ID: "1", CaseID: "CASE-0001", PartyID: "P-5", Summary: "Router keeps rebooting", State: "Open"},
		{ID: "2", CaseID: "CASE-0002", PartyID: "P-1", Summary: "Invoice question", State: "Closed"},
	} {
		s.AddCase(v)
	}
}
