package api

import (
	"math/rand/v2"
	"net/http"
	"testing"
	"time"
)

// The cached second gives what formatting each time gives: the access
// line's RFC 3339 time in any zone, every fraction, and the Date header.
func TestSecondFormatsAsTimeDoes(t *testing.T) {
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("IST", 5*3600+1800), time.FixedZone("BRT", -3*3600), time.FixedZone("odd", -30)}
	if ny, err := time.LoadLocation("America/New_York"); err == nil {
		zones = append(zones, ny)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 3, 8, 6, 59, 58, 0, time.UTC) // across New York's change to summer time
	for i := range 20000 {
		var tm time.Time
		switch i % 4 {
		case 0:
			tm = base.Add(time.Duration(rng.Int64N(int64(4 * time.Second))))
		case 1:
			tm = base.Add(time.Duration(rng.Int64N(4)) * time.Second) // no fraction
		case 2:
			tm = base.Add(time.Duration(rng.Int64N(4000)) * time.Millisecond) // trailing zeros
		default:
			tm = time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)) // 1970 to 2242
		}
		tm = tm.In(zones[rng.IntN(len(zones))])
		if got, want := string(appendRFC3339Nano([]byte("x"), tm)), "x"+tm.Format(time.RFC3339Nano); got != want {
			t.Fatalf("%v: %q, want %q", tm, got, want)
		}
		if got, want := secondOf(tm).date[0], tm.UTC().Format(http.TimeFormat); got != want {
			t.Fatalf("%v: Date %q, want %q", tm, got, want)
		}
	}
	far := time.Date(12000, 1, 2, 3, 4, 5, 6, time.UTC)
	if got := string(appendRFC3339Nano(nil, far)); got != far.Format(time.RFC3339Nano) {
		t.Fatalf("year 12000: %q", got)
	}
	now := time.Now()
	if got := string(appendRFC3339Nano(nil, now)); got != now.Format(time.RFC3339Nano) {
		t.Fatalf("now: %q, want %q", got, now.Format(time.RFC3339Nano))
	}
}
