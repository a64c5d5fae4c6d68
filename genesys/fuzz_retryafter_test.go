package genesys

import (
	"net/http"
	"testing"
	"time"
)

// FuzzRetryAfterHeader: any Retry-After value gives a wait that is never
// negative and never overflows, or none at all.
func FuzzRetryAfterHeader(f *testing.F) {
	for _, s := range []string{"3", "0", "-5", "1.5", "NaN", "Inf", "1e400", "99999999999", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "", " 7 ", "soon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		d, ok := retryAfter(h)
		if d < 0 {
			t.Fatalf("%q: negative wait %s", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("%q: no value but a wait of %s", v, d)
		}
		if _, err := http.ParseTime(v); err != nil && ok && d > 1e7*time.Second {
			t.Fatalf("%q: wait %s past the clamp", v, d)
		}
	})
}
