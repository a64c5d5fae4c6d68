package appbase_test

import (
	"fmt"
	"testing"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// BenchmarkExecute: one post.json rule call against the fake at zero
// latency, token cached (client + loopback HTTP + fake + decoding).
func BenchmarkExecute(b *testing.B) {
	e := newEnv(b, nil)
	c := ctx(b)
	rule := e.c.RuleName("SETSYNCSTATE")
	params := map[string]string{"NAME": "bench", "VALUE": "2024-05-01T10:00:00Z"}
	if _, err := e.c.Execute(c, rule, params); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.c.Execute(c, rule, params); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryFindParties: the screen-pop read, in clean and quirks mode.
func BenchmarkQueryFindParties(b *testing.B) {
	for _, quirks := range []bool{false, true} {
		b.Run(fmt.Sprintf("quirks=%v", quirks), func(b *testing.B) {
			e := newEnv(b, nil, appbasetest.WithQuirks(quirks))
			e.srv.AddParty(appbasetest.Party{ID: "1", Name: "ACME", Phone: "+353861234567", Email: "a@b.c"})
			c := ctx(b)
			q := appbase.PartyQuery{Phone: "+353861234567"}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if p, err := e.c.FindParties(c, q); err != nil || len(p) != 1 {
					b.Fatal(p, err)
				}
			}
		})
	}
}

// BenchmarkGetUsers5000: the user sync's ServiceJourney listing of 5,000
// users (10 pages of the default 500), per profile: the connector's GETUSERS rule and
// the stock case-worker search, against the fake at zero latency.
func BenchmarkGetUsers5000(b *testing.B) {
	for _, profile := range []string{appbase.ProfileConnector, appbase.ProfileStandard} {
		b.Run(profile, func(b *testing.B) {
			e := newEnv(b, func(o *appbase.Options) { o.Profile = profile })
			for i := range 5000 {
				e.srv.AddUser(appbasetest.User{Name: fmt.Sprintf("Agent %04d", i), Login: fmt.Sprintf("agent%04d", i), Email: fmt.Sprintf("agent%04d@example.com", i)})
			}
			c := ctx(b)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if u, err := e.c.GetUsers(c); err != nil || len(u) != 5000 {
					b.Fatal(len(u), err)
				}
			}
		})
	}
}
