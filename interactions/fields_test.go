package interactions

import (
	"context"
	"strings"
	"testing"
	"time"
)

// serviceWith builds a Service over w's fakes with edited options.
func (w *world) serviceWith(t testing.TB, edit func(*Options)) *Service {
	t.Helper()
	o := Options{Genesys: w.gc, SJ: w.ab, Agents: w.agents, SJURL: w.sj.URL(),
		Pages: Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"}}
	edit(&o)
	svc, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// A mapped attribute, a conversation field and a constant land in the
// named rule inputs; a mapping may replace a fixed input; the fixed set is
// still written.
func TestMappedFieldsReachTheRule(t *testing.T) {
	w := newWorld(t)
	svc := w.serviceWith(t, func(o *Options) {
		o.Fields = map[string]string{"OrderNumber": "attr:OrderNumber", "QUEUE": "queue.name", "CHANNEL": "const:Genesys Cloud",
			"DNIS": "attr:dialledLine", "MISSING": "attr:NotThere", "CUSTOMER": "customer.name"}
	})
	t0 := time.Now().UTC().Add(-time.Minute).Truncate(time.Millisecond)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, map[string]string{"OrderNumber": "ORD-778", "DialledLine": "Sales line"}, t0))
	if _, err := svc.LogInteraction(context.Background(), convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	rec, _ := w.sj.Interaction(convOne)
	want := map[string]string{"ORDERNUMBER": "ORD-778", "QUEUE": "Support", "CHANNEL": "Genesys Cloud", "CUSTOMER": "Caller", "AGENTUSERIDS": "101"}
	if len(rec.Fields) != len(want) {
		t.Errorf("mapped inputs = %v; want %v", rec.Fields, want)
	}
	for k, v := range want {
		if rec.Fields[k] != v {
			t.Errorf("%s = %q; want %q (all: %v)", k, rec.Fields[k], v, rec.Fields)
		}
	}
	if rec.DNIS != "Sales line" || rec.ANI != aliceNum || rec.QueueName != "Support" || rec.AgentUserID != "101" {
		t.Errorf("fixed inputs: %+v", rec)
	}
}

// Without a mapping the rule gets today's inputs and the defaults only
// (at connect: the agents; the summary comes after wrap-up).
func TestNoMappingNoExtraInputs(t *testing.T) {
	w := newWorld(t)
	w.g.AddConversation(inbound(convOne, annID, aliceNum, map[string]string{"OrderNumber": "ORD-778"}, time.Now().Add(-time.Minute)))
	if _, err := w.svc.LogInteraction(context.Background(), convOne, EventConnect, annID, RecordIDs{}); err != nil {
		t.Fatal(err)
	}
	if rec, _ := w.sj.Interaction(convOne); len(rec.Fields) != 1 || rec.Fields["AGENTUSERIDS"] != "101" {
		t.Errorf("inputs beyond the contract: %v; want AGENTUSERIDS=101 only", rec.Fields)
	}
}

func TestBadMappingNamesTheInputAndTheFix(t *testing.T) {
	w := newWorld(t)
	_, err := New(Options{Genesys: w.gc, SJ: w.ab, Agents: w.agents,
		Pages:  Pages{Party: "root_PartyDetail", Case: "root_CaseDetail", NewCase: "root_NewCase", AppID: "root_CaseManagement"},
		Fields: map[string]string{"ORDER": "queue.nmae"}})
	if err == nil || !strings.Contains(err.Error(), "interactions.fields.ORDER") || !strings.Contains(err.Error(), "did you mean queue.name?") {
		t.Fatalf("err = %v", err)
	}
}
