package interactions

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// BenchmarkCapacity200Agents: 200 agents each pop and log ("connect") one
// interaction every 30 s for 60 s, against fakes that enforce the
// platform's per-token limit (300/min, 429 + Retry-After past it). Time is
// simulated: the fake's clock is moved 30 s between rounds, nothing sleeps.
// Page calls use each agent's own token and one conversation read serves
// the pop and the log, so no token comes near its limit. Reports the
// interactions per simulated minute that went through (all of them, or the
// benchmark fails), and the wall-clock rate this machine sustained.
func BenchmarkCapacity200Agents(b *testing.B) {
	const agents, rounds, every = 200, 2, 30 * time.Second
	t0 := time.Now().UTC().Truncate(time.Second)
	var now atomic.Int64
	now.Store(t0.UnixNano())
	clock := func() time.Time { return time.Unix(0, now.Load()).UTC() }

	g := genesystest.NewServerT(b, genesystest.WithTokenRateLimit(300), genesystest.WithClock(clock))
	sj := appbasetest.NewServerT(b)
	g.AddClient(genesystest.Client{ID: ccID, Secret: ccSecret})
	g.AddQueue(supportQ, "Support")
	sj.AddParty(appbasetest.Party{ID: "P-1", Name: "Alice Customer", Phone: aliceNum})
	var gus []usermap.GenesysUser
	var sus []usermap.SJUser
	tokens := make([]string, agents)
	ids := make([]string, agents)
	for i := range agents {
		u := g.AddUser(genesystest.User{Name: fmt.Sprintf("Agent %03d", i), Email: fmt.Sprintf("agent%03d@example.com", i)})
		ids[i], tokens[i] = u.ID, g.UserToken(u.ID)
		su := appbasetest.User{ID: fmt.Sprint(1000 + i), Login: fmt.Sprintf("agent%03d", i), Name: u.Name, Email: u.Email, PureCloudUserID: u.ID}
		sj.AddUser(su)
		gus = append(gus, usermap.GenesysUser{ID: u.ID, Name: u.Name, Email: u.Email})
		sus = append(sus, usermap.SJUser{ID: su.ID, Login: su.Login, Name: su.Name, Email: su.Email, PureCloudUserID: u.ID})
	}
	store := usermap.NewStore(usermap.StoreOptions{})
	store.Replace(usermap.Build(gus, sus))
	// The platform's limit, on our side too (the default, 300/min per token).
	gc, err := genesys.New(genesys.Options{APIURL: g.URL(), LoginURL: g.URL(), ClientID: ccID, ClientSecret: ccSecret, Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	svc, err := New(Options{Genesys: gc, SJ: newAppBaseClient(b, sj.ClientOptions(), sj.URL()), Agents: store, SJURL: sj.URL(),
		Pages: Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"}})
	if err != nil {
		b.Fatal(err)
	}

	var done, failed atomic.Int64
	var firstErr atomic.Value
	var wall time.Duration
	n := 0
	for b.Loop() {
		start := time.Now()
		for r := range rounds {
			now.Store(t0.Add(time.Duration(n*rounds+r) * every).UnixNano())
			var wg sync.WaitGroup
			for i := range agents {
				conv := g.AddConversation(inbound(fmt.Sprintf("c%07d-0000-4000-8000-%012d", n*rounds+r, i), ids[i], aliceNum, nil, clock()))
				wg.Add(1)
				go func() {
					defer wg.Done()
					ctx := WithCallerToken(context.Background(), tokens[i])
					if _, err := svc.ScreenPop(ctx, conv.ID, ids[i]); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
						return
					}
					if _, err := svc.LogInteraction(ctx, conv.ID, EventConnect, ids[i], RecordIDs{}); err != nil {
						failed.Add(1)
						firstErr.CompareAndSwap(nil, err)
						return
					}
					done.Add(1)
				}()
			}
			wg.Wait()
		}
		wall += time.Since(start)
		n++
	}
	if f := failed.Load(); f > 0 {
		b.Fatalf("%d of %d interactions failed; first: %v", f, f+done.Load(), firstErr.Load())
	}
	if th := g.Throttled(); th > 0 {
		b.Fatalf("the fake refused %d requests with 429", th)
	}
	simulated := time.Duration(n*rounds) * every
	b.ReportMetric(float64(done.Load())/simulated.Minutes(), "interactions/sim-min")
	b.ReportMetric(float64(done.Load())/wall.Minutes(), "interactions/wall-min")
	b.ReportMetric(float64(g.Requests("GET /api/v2/conversations/{conversationId}"))/float64(done.Load()), "conv-reads/interaction")
}
