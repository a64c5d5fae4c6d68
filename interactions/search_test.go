package interactions

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// searchServices are the world's service on both profiles.
func searchServices(t *testing.T, w *world) map[string]*Service {
	t.Helper()
	opts := w.sj.ClientOptions()
	opts.Profile = appbase.ProfileStandard
	std, err := New(Options{Genesys: w.gc, SJ: newAppBaseClient(t, opts, w.sj.URL()), Agents: w.agents, SJURL: w.sj.URL(),
		Pages: Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"}})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]*Service{appbase.ProfileConnector: w.svc, appbase.ProfileStandard: std}
}

func ids(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Kind + ":" + m.ID
	}
	return out
}

func TestSearchByEachKindOnBothProfiles(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	for profile, svc := range searchServices(t, w) {
		t.Run(profile, func(t *testing.T) {
			for _, c := range []struct {
				kind, text, query string
				want              []string
			}{
				{SearchName, "brown", "brown", []string{"party:P-2", "party:P-3", "party:P-4"}},
				{SearchName, "  ALICE ", "ALICE", []string{"party:P-1"}},
				// The national form the agent hears, normalised as the pop normalises ANI.
				{SearchPhone, "(415) 555-0199", brownNum, []string{"party:P-2", "party:P-3", "party:P-4"}},
				{SearchPhone, "tel:+14155550101", aliceNum, []string{"party:P-1"}},
				{SearchEmail, "Erin@Example.org", "Erin@Example.org", []string{"party:P-5"}},
				{SearchCase, "case-0001", "case-0001", []string{"case:1"}},
				{SearchName, "zz", "zz", []string{}},
				{SearchPhone, nobody, nobody, []string{}},
			} {
				res, err := svc.Search(ctx, annID, SearchQuery{Kind: c.kind, Text: c.text})
				if err != nil {
					t.Fatalf("%s %q: %v", c.kind, c.text, err)
				}
				if got := ids(res.Matches); fmt.Sprint(got) != fmt.Sprint(c.want) || res.Query != c.query || res.More || res.Kind != c.kind {
					t.Errorf("%s %q = %v query %q more %v; want %v query %q", c.kind, c.text, got, res.Query, res.More, c.want, c.query)
				}
				for _, m := range res.Matches {
					if m.URL == "" {
						t.Errorf("%s %q: match %s has no page", c.kind, c.text, m.ID)
					}
				}
			}
		})
	}
	if got := testutil.ToFloat64(w.svc.m.searches.WithLabelValues(SearchName, "none")); got != 1 {
		t.Errorf("searches{name,none} = %v, want 1", got)
	}
}

func TestSearchRefusesBadInputNamingTheField(t *testing.T) {
	w := newWorld(t)
	long := make([]byte, MaxSearchText+1)
	for i := range long {
		long[i] = 'a'
	}
	for _, c := range []struct {
		kind, text, field, code string
	}{
		{"address", "x", "kind", CodeSearchKind},
		{SearchName, "   ", "text", CodeSearchEmpty},
		{SearchName, "a", "text", CodeSearchTooShort},
		{SearchName, string(long), "text", CodeSearchTooLong},
		{SearchPhone, "call me", "text", CodeSearchNotPhone},
		{SearchPhone, "12", "text", CodeSearchNotPhone},
		{SearchEmail, "erin.example.org", "text", CodeSearchNotEmail},
		{SearchEmail, "erin@", "text", CodeSearchNotEmail},
	} {
		_, err := w.svc.Search(context.Background(), annID, SearchQuery{Kind: c.kind, Text: c.text})
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != c.field || ie.Code != c.code {
			t.Errorf("%s %q: %v; want an InputError on %s with code %s", c.kind, c.text, err, c.field, c.code)
		}
	}
	if n := w.sj.Requests(appbase.OpFindParties) + w.sj.Requests(appbase.OpFindCases); n != 0 {
		t.Errorf("%d ServiceJourney searches for bad input; want none", n)
	}
}

func TestSearchCapsResultsAndRefusesUnmappedAgents(t *testing.T) {
	w := newWorld(t)
	for i := range MaxSearchResults + 5 {
		w.sj.AddParty(appbasetest.Party{Name: fmt.Sprintf("Smith %02d", i)})
	}
	res, err := w.svc.Search(context.Background(), annID, SearchQuery{Kind: SearchName, Text: "smith"})
	if err != nil || len(res.Matches) != MaxSearchResults || !res.More || res.Limit != MaxSearchResults {
		t.Fatalf("25 Smiths: %d matches, more %v, %v; want %d and more", len(res.Matches), res != nil && res.More, err, MaxSearchResults)
	}

	before := w.sj.Requests(appbase.OpFindParties)
	var nm *AgentNotMappedError
	if _, err := w.svc.Search(context.Background(), carlaID, SearchQuery{Kind: SearchName, Text: "smith"}); !errors.As(err, &nm) {
		t.Fatalf("unmapped Carla: %v; want AgentNotMappedError", err)
	}
	if w.sj.Requests(appbase.OpFindParties) != before {
		t.Error("an unmapped agent's search reached ServiceJourney")
	}

	w.sj.Fault("FINDPARTIES", appbasetest.Fault{Drop: true})
	var ue *UpstreamError
	if _, err := w.svc.Search(context.Background(), annID, SearchQuery{Kind: SearchName, Text: "smith"}); !errors.As(err, &ue) || ue.System != SystemServiceJourney {
		t.Fatalf("ServiceJourney down: %v; want an UpstreamError naming ServiceJourney", err)
	}
}

// The choice path: the pop's single match is set aside, the agent finds
// the case by its number and chooses it; the log names the case, the
// conversation carries its number for the next agent, written once.
func TestSearchChoiceIsWhatTheLogAndTransferUse(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.g.AddConversation(inbound(convOne, annID, aliceNum, nil, time.Now().UTC().Add(-time.Minute)))
	pop, err := w.svc.ScreenPop(ctx, convOne, annID)
	if err != nil || pop.Outcome != OutcomeOne || pop.Matches[0].ID != "P-1" {
		t.Fatalf("pop: %+v, %v", pop, err)
	}
	// "Not this customer" before anything was logged: the log names no one.
	if err := w.svc.ForgetRecord(ctx, convOne, annID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convOne); rec.PartyID != "" || rec.CaseID != "" {
		t.Fatalf("after not this customer the record names party %q case %q; want none", rec.PartyID, rec.CaseID)
	}

	res, err := w.svc.Search(ctx, annID, SearchQuery{ConversationID: convOne, Kind: SearchCase, Text: "CASE-0001"})
	if err != nil || len(res.Matches) != 1 {
		t.Fatalf("search: %+v, %v", res, err)
	}
	// The page logs the choice; a double click logs it twice at once.
	var wg sync.WaitGroup
	results := make([]*LogResult, 3)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], _ = w.svc.LogInteraction(ctx, convOne, EventConnect, annID, RecordIDs{CaseID: res.Matches[0].ID})
		}()
	}
	wg.Wait()
	written := 0
	for _, r := range results {
		if r == nil {
			t.Fatal("a log of the choice failed")
		}
		if r.ContextWritten {
			written++
		}
	}
	if n := w.g.Requests(patchAttrsRoute); n != 1 || written != 1 {
		t.Errorf("%d attribute writes, %d logs say they wrote; want exactly 1", n, written)
	}
	conv, _ := w.gc.Conversations.Get(ctx, convOne)
	if got := CustomerParticipant(conv).Attributes["CaseId"]; got != "CASE-0001" {
		t.Errorf("transfer context CaseId = %q; want the case number CASE-0001", got)
	}
	// Later logs without ids (disconnect, the sync job) keep the choice.
	if _, err := w.svc.LogInteraction(ctx, convOne, EventDisconnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convOne); rec.CaseID != "1" || rec.PartyID != "" {
		t.Errorf("record names case %q party %q; want case 1 and no party", rec.CaseID, rec.PartyID)
	}
	if n := w.g.Requests(patchAttrsRoute); n != 1 {
		t.Errorf("%d attribute writes after the disconnect; want still 1", n)
	}

	// Only a participant may set the pop aside.
	if err := w.svc.ForgetRecord(ctx, convOne, benID); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("Ben forgets Ann's record: %v; want ErrNotParticipant", err)
	}
}
