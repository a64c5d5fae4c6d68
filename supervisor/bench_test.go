package supervisor_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/supervisor"
	"dcmconnect/usermap"
)

// memorySource is a Genesys directory held in memory, for measuring the
// supervisor service without an upstream.
type memorySource struct{ users []genesys.User }

func (m memorySource) Agents(context.Context) ([]genesys.User, error) { return m.users, nil }
func (m memorySource) Conversations(context.Context, time.Time, time.Time) ([]genesys.AnalyticsConversation, error) {
	return nil, nil
}
func (m memorySource) QueueName(context.Context, string) (string, error) { return "", nil }

// agentWorld is n Genesys users with presence and a user map where 90% match by e-mail.
func agentWorld(n int) (memorySource, *usermap.Store) {
	presences := []string{"On Queue", "Available", "Away", "Busy", "Offline"}
	now := time.Now()
	var src memorySource
	var gus []usermap.GenesysUser
	var sjs []usermap.SJUser
	for i := range n {
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		email := fmt.Sprintf("agent%05d@example.com", i)
		src.users = append(src.users, genesys.User{ID: id, Name: fmt.Sprintf("Agent %05d", i), Email: email,
			Presence:      &genesys.UserPresence{PresenceDefinition: &genesys.PresenceDefinition{SystemPresence: presences[i%5]}, ModifiedDate: now.Add(-time.Duration(i) * time.Second)},
			RoutingStatus: &genesys.RoutingStatus{Status: "IDLE", StartTime: now}})
		gus = append(gus, usermap.GenesysUser{ID: id, Name: fmt.Sprintf("Agent %05d", i), Email: email})
		if i%10 != 0 {
			sjs = append(sjs, usermap.SJUser{ID: fmt.Sprint(i), Name: fmt.Sprintf("Agent %05d", i), Email: email})
		}
	}
	store := usermap.NewStore(usermap.StoreOptions{})
	store.Replace(usermap.Build(gus, sjs))
	return src, store
}

func newService(tb testing.TB, src supervisor.Source, store *usermap.Store) *supervisor.Service {
	tb.Helper()
	svc, err := supervisor.New(supervisor.Options{Source: src, Users: store})
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// TestAgentStatusWith5000AgentsSendsOnePage: whatever the directory size, the
// answer carries one page of rows (the page renders only those), with counts
// over everyone.
func TestAgentStatusWith5000AgentsSendsOnePage(t *testing.T) {
	src, store := agentWorld(5000)
	svc := newService(t, src, store)
	p, err := svc.AgentStatus(context.Background(), supervisor.AgentQuery{Page: 7, PageSize: 25, Sort: "-since"})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 5000 || p.Matched != 5000 || len(p.Agents) != 25 || p.PageCount != 200 {
		t.Fatalf("total %d matched %d rows %d pages %d", p.Total, p.Matched, len(p.Agents), p.PageCount)
	}
	// Newest presence first: agent i changed i seconds ago, so page 7 starts at agent 150.
	if p.Agents[0].Name != "Agent 00150" {
		t.Errorf("page 7 by -since starts with %s, want Agent 00150", p.Agents[0].Name)
	}
	if p.Mapping["email"] != 4500 || p.Mapping["unmatched"] != 500 || p.Presence["On Queue"] != 1000 {
		t.Errorf("counts: mapping %v presence %v", p.Mapping, p.Presence)
	}
	b, _ := json.Marshal(p)
	if len(b) > 16<<10 {
		t.Errorf("one page of 25 agents is %d bytes of JSON", len(b))
	}
}

// BenchmarkGetAgentStatus5000 measures one supervisor's refresh with 5,000
// agents once the shared copy is cached: join with the user map, filter, sort, page.
func BenchmarkGetAgentStatus5000(b *testing.B) {
	src, store := agentWorld(5000)
	svc := newService(b, src, store)
	for _, q := range []struct {
		name  string
		query supervisor.AgentQuery
	}{
		{"byName", supervisor.AgentQuery{Page: 3, PageSize: 25}},
		{"byPresenceFiltered", supervisor.AgentQuery{Sort: "presence", Mapping: "email", Search: "agent 0"}},
	} {
		b.Run(q.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := svc.AgentStatus(context.Background(), q.query); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkUserMapReportJSON5000 measures GetUserMap's answer for 5,000
// users, which the page pages itself.
func BenchmarkUserMapReportJSON5000(b *testing.B) {
	_, store := agentWorld(5000)
	r := store.Report()
	var size int
	b.ReportAllocs()
	for b.Loop() {
		out, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.ReportMetric(float64(size), "bytes/report")
}
