package api_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase"
)

// BenchmarkActionPartyLookup: the whole action endpoint (auth, org, rate,
// decode, FINDPARTIES + FINDCASES on the fake) vs the two searches alone.
func BenchmarkActionPartyLookup(b *testing.B) {
	s := newActionStack(b, 5*time.Second)
	b.Run("endpoint", func(b *testing.B) {
		var took []time.Duration
		for b.Loop() {
			start := time.Now()
			req, _ := http.NewRequest("POST", s.url+"/dcm-connect-service/actions/v1/parties/lookup", strings.NewReader(`{"phone":"+14155550101"}`))
			req.SetBasicAuth(actionUser, actionPass)
			req.Header.Set("ININ-Organization-Id", s.g.OrgID())
			resp, err := http.DefaultClient.Do(req)
			if err != nil || resp.StatusCode != 200 {
				b.Fatal(err, resp)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			took = append(took, time.Since(start))
		}
		slices.Sort(took)
		b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	})
	b.Run("searches-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ab.FindParties(context.Background(), appbase.PartyQuery{Phone: "+14155550101"}); err != nil {
				b.Fatal(err)
			}
			if _, err := s.ab.FindCases(context.Background(), appbase.CaseQuery{PartyID: "7"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
