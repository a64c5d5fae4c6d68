package interactions

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	ok := []struct{ in, country, want string }{
		{"tel:+14155550101", "US", "+14155550101"},
		{"TEL:+14155550101", "US", "+14155550101"},
		{"+1 (415) 555-0101", "DE", "+14155550101"},
		{"(415) 555-0101", "US", "+14155550101"},
		{"4155550101", "us", "+14155550101"},
		{"sip:+3225551234@edge.example.com;user=phone", "US", "+3225551234"},
		{"sips:+3225551234@edge.example.com", "US", "+3225551234"},
		{"tel:+1-415-555-0101;ext=12", "US", "+14155550101"},
		{"0612345678", "NL", "+31612345678"},
		{"00 49 30 1234567", "DE", "+49301234567"},
		{"030 1234567", "DE", "+49301234567"},
		{"020 7946 0018", "GB", "+442079460018"},
		{"  tel:+353 1 555 0100  ", "IE", "+35315550100"},
	}
	for _, c := range ok {
		got, err := NormalizePhone(c.in, c.country)
		if err != nil || got != c.want {
			t.Errorf("NormalizePhone(%q, %s) = %q, %v; want %q", c.in, c.country, got, err, c.want)
		}
	}
	bad := []string{"", "   ", "tel:", "anonymous", "sip:alice@example.com", "alice@example.com", "12", "tel:+1"}
	for _, in := range bad {
		got, err := NormalizePhone(in, "US")
		var ie *InputError
		if err == nil || !errors.As(err, &ie) || ie.Field != "number" {
			t.Errorf("NormalizePhone(%q) = %q, %v; want an *InputError naming number", in, got, err)
		}
	}
	// The error names the country a national number was read in and the fix.
	_, err := NormalizePhone("12", "GB")
	if err == nil || !strings.Contains(err.Error(), "GB") || !strings.Contains(err.Error(), "+14155550101") {
		t.Errorf("error = %v; want the country and an example", err)
	}
}

func TestStripSchemeAndDisplay(t *testing.T) {
	if got := stripScheme("sip:alice@example.com;transport=tls"); got != "alice@example.com" {
		t.Errorf("stripScheme = %q", got)
	}
	if got := displayPhone("tel:(415) 555-0101", "US"); got != "+14155550101" {
		t.Errorf("displayPhone number = %q", got)
	}
	if got := displayPhone("sip:queue@edge", "US"); got != "queue@edge" {
		t.Errorf("displayPhone non-number = %q", got)
	}
}
