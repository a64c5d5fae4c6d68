package interactions

import (
	"context"
	"testing"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// A stock solution: the standard party search, the standard detail pages,
// and a party stored in national form found from the caller's E.164 ANI.
func TestScreenPopOnAStockSolution(t *testing.T) {
	w := newWorld(t)
	opts := w.sj.ClientOptions()
	opts.Profile = appbase.ProfileStandard
	ab := newAppBaseClient(t, opts, w.sj.URL())
	national := w.sj.AddParty(appbasetest.Party{Name: "Nina National", Phone: "(212) 555-0142"})
	w.g.AddConversation(inbound("conv-national", annID, "+12125550142", nil, time.Now().UTC().Add(-time.Minute)))
	for _, resolve := range []bool{false, true} {
		svc, err := New(Options{Genesys: w.gc, SJ: ab, Agents: w.agents, SJURL: w.sj.URL(), ResolvePages: resolve,
			Pages: Pages{Party: appbase.DefaultPartyPage, Case: appbase.DefaultCasePage, NewCase: appbase.DefaultNewCasePage, AppID: "root_CaseManagement"}})
		if err != nil {
			t.Fatal(err)
		}
		pop, err := svc.ScreenPop(context.Background(), "conv-national", annID)
		if err != nil {
			t.Fatal(err)
		}
		want := w.sj.URL() + "/Ecx.Web/do/root_UTIL_CaseManagement?app=ExternalPartyDetailRuntime&group=FOM&usePageConfig=1&ExternalParty_Id=" + national.ID + "&EmbeddedMode=1&d=DCM_Production.tenant1"
		if resolve { // the page rule's answer, parameters in its order of encoding
			want = w.sj.URL() + "/Ecx.Web/do/root_UTIL_CaseManagement?EmbeddedMode=1&ExternalParty_Id=" + national.ID + "&app=ExternalPartyDetailRuntime&d=DCM_Production.tenant1&group=FOM&usePageConfig=1"
		}
		if pop.Outcome != OutcomeOne || pop.URL != want {
			t.Fatalf("resolve=%v: %+v\nwant URL %s", resolve, pop, want)
		}
	}
	if n := w.sj.Requests(appbase.StandardPartyPageRule); n != 1 {
		t.Errorf("page rule called %d times, want 1 (only with resolve)", n)
	}
}
