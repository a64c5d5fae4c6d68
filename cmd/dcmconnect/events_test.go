package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys/genesystest"
)

// eventually waits, with a deadline, until cond holds; it checks on a
// ticker so the test waits on the state, not on a guessed delay.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("%s: not within %v", what, within)
		case <-tick.C:
		}
	}
}

func getJSON(t *testing.T, url string) map[string]any {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return out
}

func connectedChannels(g *genesystest.Server) int {
	n := 0
	for _, ch := range g.NotificationChannels() {
		if ch.Connected {
			n++
		}
	}
	return n
}

// TestServeLogsACallFromEventsWithNoPageOpen: the demo's server (newApp,
// events on) listens to the fake Genesys's notifications; a call that is
// answered, transferred, ended and wrapped up in the fake reaches the fake
// ServiceJourney as one record with the final wrap-up, with no page open.
// The listener's state shows in /readyz, /metrics and the supervisor
// status, and shutdown closes its channel.
func TestServeLogsACallFromEventsWithNoPageOpen(t *testing.T) {
	t.Parallel()
	d, err := startDemo(demoOptions{Listen: "127.0.0.1:0", GenesysAddr: "127.0.0.1:0", SJAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- d.serve(ctx) }()

	eventually(t, testBudget(t), "the listener leads with a connected channel for both demo queues", func() bool {
		st := d.app.events.status()
		return st.Running && st.Leading && st.ChannelsConnected == 1 && st.Topics == 2
	})
	if n := connectedChannels(d.genesys); n != 1 {
		t.Fatalf("the fake sees %d connected channels, want 1", n)
	}

	const resolved = "w0000000-0000-4000-8000-000000000001"
	id := d.genesys.ConnectCall(genesystest.InboundCall{From: "+14155550101", To: "+18005550100", QueueID: demoSupportQueue, AgentID: demoAnnID}).ID
	record := func() appbasetest.Interaction { in, _ := d.sj.Interaction(id); return in }
	eventually(t, testBudget(t), "the connect is logged", func() bool { return record().AgentUserID == "101" })
	if err := d.genesys.TransferCall(id, demoBenID); err != nil {
		t.Fatal(err)
	}
	if err := d.genesys.DisconnectCall(id); err != nil {
		t.Fatal(err)
	}
	if err := d.genesys.WrapUpCall(id, demoBenID, resolved, "sorted"); err != nil {
		t.Fatal(err)
	}
	eventually(t, testBudget(t), "the final wrap-up is logged", func() bool { return record().WrapupName == "Resolved" })
	in := record()
	if in.AgentUserID != "102" || in.PartyID != "P-1" || in.WrapupNotes != "sorted" || in.End.IsZero() || in.QueueName != "Support" {
		t.Errorf("final record %+v; want Ben (102), Alice (P-1), the notes, an end and the Support queue", in)
	}
	n := 0
	for _, r := range d.sj.Interactions() {
		if r.ConversationID == id {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d records for the call, want 1", n)
	}

	// /readyz tells the listener's state (flags and counts only).
	ready := getJSON(t, d.PublicURL+"/readyz")
	ev, _ := ready["events"].(map[string]any)
	if ready["status"] != "ready" || ev["leading"] != true || ev["channelsConnected"] != 1.0 || ev["lastEventAgeSeconds"].(float64) < 0 {
		t.Errorf("/readyz = %v", ready)
	}
	// /metrics: leader, connected channels, events written, the start's
	// backfill, last event age.
	eventually(t, testBudget(t), "the start's backfill ran", func() bool { return !d.app.events.status().LastBackfill.IsZero() })
	resp, err := http.Get(d.PublicURL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{`dcmconnect_leader{lease="dcmconnect-events"} 1`, "genesys_notifications_channels_connected 1",
		`dcmconnect_interactions_events_total{kind="queue_conversations",outcome="written"}`, `dcmconnect_interactions_events_backfills_total{outcome="ok"} 1`,
		"dcmconnect_interactions_events_last_event_age_seconds "} {
		if !strings.Contains(string(metrics), want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(string(metrics), "dcmconnect_interactions_events_last_event_age_seconds -1") {
		t.Error("last event age is -1 after an event")
	}
	// The supervisor page's status: the events job and the listener's health.
	code, out := callService(t, d, "GetSyncStatus", d.genesys.UserToken(demoSamID), "{}")
	if code != 200 {
		t.Fatalf("GetSyncStatus = %d %v", code, out)
	}
	var sync struct {
		Jobs []struct {
			Name, Outcome string
			Details       map[string]any
		}
		Upstreams []struct {
			Name string
			OK   bool
		}
	}
	raw, _ := json.Marshal(out["d"])
	_ = json.Unmarshal(raw, &sync)
	job, health := false, false
	for _, j := range sync.Jobs {
		job = job || (j.Name == "events" && j.Outcome == "running" && j.Details["leading"] == true && j.Details["channelsConnected"] == 1.0)
	}
	for _, u := range sync.Upstreams {
		health = health || (u.Name == "Genesys Cloud notifications" && u.OK)
	}
	if !job || !health {
		t.Errorf("supervisor status lacks the listener (job %v, health %v): %s", job, health, raw)
	}

	// Shutdown stops the listener and closes its channel.
	cancel()
	if err := <-served; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if d.app.events.status().Running {
		t.Fatal("the listener still runs after shutdown")
	}
	// The fake notices the closed socket on its own goroutine.
	eventually(t, testBudget(t), "the fake sees the channel's socket closed", func() bool { return connectedChannels(d.genesys) == 0 })
}
