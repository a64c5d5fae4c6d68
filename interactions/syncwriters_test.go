package interactions

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Writers conversations are logged at once: the fake ServiceJourney holds
// every UPSERTINTERACTION until four are in flight together (a deadline, not
// a sleep, fails the test if they never are). A repeat caller's party is
// looked up once: 8 conversations from one number cost one FINDPARTIES.
func TestSyncWritesConcurrentlyAndLooksUpAPartyOnce(t *testing.T) {
	w := newWorld(t)
	T := time.Now().UTC().Truncate(time.Second)
	for i := range 8 {
		w.g.AddConversation(finished(fmt.Sprint("p", i), annID, aliceNum, T.Add(-time.Duration(30-i)*time.Minute), time.Minute, resolved))
	}
	const writers = 4
	arrived := make(chan struct{}, 8)
	release := make(chan struct{})
	timedOut := make(chan struct{}, 8)
	go func() {
		for range writers {
			<-arrived
		}
		close(release)
	}()
	url := failingProxy(t, w.sj, func(r *http.Request) bool {
		if strings.Contains(r.URL.Path, "UPSERTINTERACTION") {
			arrived <- struct{}{}
			select {
			case <-release:
			case <-time.After(10 * time.Second):
				timedOut <- struct{}{}
			}
		}
		return false
	})
	clk := &clock{t: T}
	s := w.syncer(t, w.service(t, newAppBaseClient(t, w.sj.ClientOptions(), url)), clk, func(o *SyncOptions) { o.Writers = writers })
	sum := mustRun(t, s, 0)
	if len(timedOut) > 0 {
		t.Fatalf("fewer than %d writes were ever in flight together", writers)
	}
	if sum.Final != 8 {
		t.Fatalf("run: %s", sum)
	}
	recs := records(t, w.sj)
	for id, r := range recs {
		if r.PartyID != "P-1" {
			t.Errorf("%s: party %q, want P-1", id, r.PartyID)
		}
	}
	if n := w.sj.Requests("FINDPARTIES"); n != 1 {
		t.Errorf("%d FINDPARTIES for one caller, want 1", n)
	}
	if n := w.sj.Requests("UPSERTINTERACTION"); n != 8 {
		t.Errorf("%d UPSERTINTERACTION, want 8 (one call per conversation)", n)
	}
}

// Writers must not be negative.
func TestSyncWritersValidated(t *testing.T) {
	w := newWorld(t)
	if _, err := NewSyncer(SyncOptions{Service: w.svc, Writers: -1}); err == nil || !strings.Contains(err.Error(), "Writers") {
		t.Fatalf("err = %v, want one naming Writers", err)
	}
}
