package interactions

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// The test world: two mapped agents, one unmapped, customers with one,
// three and no matching party, a case reachable by participant data.
const (
	ccID, ccSecret = "cc-test", "cc-secret-never-shown"

	annID   = "a0000000-0000-4000-8000-000000000001"
	benID   = "a0000000-0000-4000-8000-000000000002"
	carlaID = "a0000000-0000-4000-8000-000000000003"

	supportQ = "q0000000-0000-4000-8000-000000000001"
	resolved = "w0000000-0000-4000-8000-000000000001"
	callback = "w0000000-0000-4000-8000-000000000002"

	aliceNum = "+14155550101" // one party
	brownNum = "+14155550199" // three parties
	nobody   = "+14155550000" // no party
)

type world struct {
	g      *genesystest.Server
	sj     *appbasetest.Server
	gc     *genesys.Client
	ab     *appbase.Client
	agents *usermap.Store
	svc    *Service
	reg    *prometheus.Registry
}

func newWorld(t testing.TB, gopts ...genesystest.Option) *world {
	t.Helper()
	w := &world{g: genesystest.NewServerT(t, gopts...), sj: appbasetest.NewServerT(t), reg: prometheus.NewRegistry()}
	w.g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret})
	for _, u := range []genesystest.User{
		{ID: annID, Name: "Ann Agent", Email: "ann@example.com"},
		{ID: benID, Name: "Ben Agent", Email: "ben@example.com"},
		{ID: carlaID, Name: "Carla Newhire", Email: "carla@example.com"},
	} {
		w.g.AddUser(u)
	}
	w.g.AddQueue(supportQ, "Support")
	w.g.AddWrapupCode(resolved, "Resolved")
	w.g.AddWrapupCode(callback, "Callback needed")
	for _, v := range []appbasetest.User{
		{ID: "101", Login: "ann", Name: "Ann Agent", Email: "ann.sj@example.com", PureCloudUserID: annID},
		{ID: "102", Login: "ben", Name: "Ben Agent", Email: "ben@example.com"},
	} {
		w.sj.AddUser(v)
	}
	for _, v := range []appbasetest.Party{
		{ID: "P-1", Name: "Alice Customer", Phone: aliceNum, Email: "alice@customer.example"},
		{ID: "P-2", Name: "Bob Brown", Phone: brownNum},
		{ID: "P-3", Name: "Bobby Brown Jr", Phone: brownNum},
		{ID: "P-4", Name: "Brown Household", Phone: brownNum},
		{ID: "P-5", Name: "Erin Example", Phone: "+14155550123", Email: "erin@example.org"},
	} {
		w.sj.AddParty(v)
	}
	w.sj.AddCase(appbasetest.Case{ID: "1", CaseID: "CASE-0001", PartyID: "P-5", Summary: "Router keeps rebooting", State: "Open"})
	w.gc = newGenesysClient(t, w.g.URL())
	w.ab = newAppBaseClient(t, w.sj.ClientOptions(), w.sj.URL())
	w.agents = usermap.NewStore(usermap.StoreOptions{})
	w.agents.Replace(usermap.Build(
		[]usermap.GenesysUser{{ID: annID, Name: "Ann Agent", Email: "ann@example.com"}, {ID: benID, Name: "Ben Agent", Email: "ben@example.com"},
			{ID: carlaID, Name: "Carla Newhire", Email: "carla@example.com"}},
		[]usermap.SJUser{{ID: "101", Login: "ann", Name: "Ann Agent", Email: "ann.sj@example.com", PureCloudUserID: annID},
			{ID: "102", Login: "ben", Name: "Ben Agent", Email: "ben@example.com"}}))
	w.svc = w.service(t, w.ab)
	return w
}

func newGenesysClient(t testing.TB, url string) *genesys.Client {
	t.Helper()
	gc, err := genesys.New(genesys.Options{APIURL: url, LoginURL: url, ClientID: ccID, ClientSecret: ccSecret,
		Timeout: 5 * time.Second, RequestsPerMinute: -1, MaxRetries: -1})
	if err != nil {
		t.Fatal(err)
	}
	return gc
}

// newAppBaseClient points an AppBase client at url (the fake, or a proxy in
// front of it).
func newAppBaseClient(t testing.TB, o appbase.Options, url string) *appbase.Client {
	t.Helper()
	o.URL = url
	o.Timeout = 5 * time.Second
	o.MaxRetries = -1
	o.Logger = slog.New(slog.DiscardHandler)
	ab, err := appbase.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return ab
}

func (w *world) service(t testing.TB, ab *appbase.Client) *Service {
	t.Helper()
	svc, err := New(Options{Genesys: w.gc, SJ: ab, Agents: w.agents, SJURL: w.sj.URL(),
		Pages:      Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"},
		Registerer: w.reg})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// inbound is a queue call from number answered by agentID; it started at
// start, was connected 20 s later and is still going.
func inbound(id, agentID, number string, attrs map[string]string, start time.Time) genesystest.Conversation {
	connected := start.Add(20 * time.Second)
	return genesystest.Conversation{ID: id, Address: "tel:+18005550100", OriginatingDirection: "inbound", StartTime: start,
		Participants: []genesystest.Participant{
			{Purpose: "customer", Name: "Caller", ANI: "tel:" + number, DNIS: "tel:+18005550100", Address: "tel:" + number, Attributes: attrs, StartTime: start,
				Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
			{Purpose: "acd", Name: "Support", QueueID: supportQ, StartTime: start},
			{Purpose: "agent", UserID: agentID, QueueID: supportQ, StartTime: connected, ConnectedTime: &connected, WrapupRequired: true,
				Calls: []genesystest.Media{{State: "connected", Direction: "inbound", ConnectedTime: &connected}}},
		}}
}

// end disconnects every leg at end.
func end(c *genesystest.Conversation, end time.Time) {
	c.EndTime = &end
	for i := range c.Participants {
		p := &c.Participants[i]
		p.EndTime = &end
		for j := range p.Calls {
			p.Calls[j].State = "disconnected"
			p.Calls[j].DisconnectedTime = &end
		}
	}
}

// wrapUp gives every agent participant the wrap-up code.
func wrapUp(c *genesystest.Conversation, code, notes string) {
	for i := range c.Participants {
		if c.Participants[i].Purpose == "agent" {
			c.Participants[i].Wrapup = &genesystest.Wrapup{Code: code, Notes: notes, DurationSeconds: 30}
		}
	}
}

// failingProxy serves the fake ServiceJourney through a switch: while
// down() is true every request gets a dropped connection.
func failingProxy(t testing.TB, h http.Handler, down func(r *http.Request) bool) string {
	t.Helper()
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if down(r) {
			hj, ok := w.(http.Hijacker)
			if !ok {
				http.Error(w, "down", http.StatusServiceUnavailable)
				return
			}
			conn, _, _ := hj.Hijack()
			conn.Close()
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(p.Close)
	return p.URL
}
