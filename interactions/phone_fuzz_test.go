package interactions

import (
	"errors"
	"strings"
	"testing"
)

// FuzzNormalizePhone: whatever Genesys sends as an address, the answer is
// E.164 (a '+' and digits) that normalises to itself, or an *InputError.
func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"tel:+14155550101", "sip:+3225551234@edge.example;user=phone", "(415) 555-0101",
		"anonymous", "sip:alice@example.com", "", "+", "tel:;ext=1", "0049 30 1234567", "SIPS:+44 20 7946 0958"} {
		f.Add(s, "US")
	}
	f.Add("030 1234567", "DE")
	f.Add("1234", "ZZ")
	f.Fuzz(func(t *testing.T, raw, country string) {
		got, err := NormalizePhone(raw, country)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("NormalizePhone(%q, %q) error %T is not an *InputError", raw, country, err)
			}
			return
		}
		if !strings.HasPrefix(got, "+") || strings.Trim(got[1:], "0123456789") != "" || len(got) < 2 {
			t.Fatalf("NormalizePhone(%q, %q) = %q, not E.164", raw, country, got)
		}
		again, err := NormalizePhone(got, country)
		if err != nil || again != got {
			t.Fatalf("NormalizePhone(%q) = %q, %v; want itself", got, again, err)
		}
	})
}
