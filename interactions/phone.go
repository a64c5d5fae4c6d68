package interactions

import (
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// NormalizePhone turns a Genesys address ("tel:+14155550101",
// "sip:+3225551234@edge.example;user=phone", "(415) 555-0101") into E.164
// ("+14155550101"), reading national numbers as numbers of defaultCountry
// (ISO 3166 alpha-2, e.g. "US"). Addresses that hold no phone number
// ("anonymous", "sip:alice@example.com", "") are an *InputError.
func NormalizePhone(raw, defaultCountry string) (string, error) {
	s := strings.TrimSpace(raw)
	lower := strings.ToLower(s)
	for _, scheme := range []string{"tel:", "sips:", "sip:"} {
		if strings.HasPrefix(lower, scheme) {
			s = s[len(scheme):]
			if scheme != "tel:" {
				s, _, _ = strings.Cut(s, "@") // the user part carries the number
			}
			break
		}
	}
	s, _, _ = strings.Cut(s, ";") // URI parameters: ;user=phone, ;ext=12
	s = strings.TrimSpace(s)
	if s == "" {
		return "", &InputError{Field: "number", Problem: "is empty; give a phone number such as +14155550101"}
	}
	if !strings.ContainsAny(s, "0123456789") || strings.ContainsAny(s, "@") {
		return "", &InputError{Field: "number", Problem: "\"" + clip(raw) + "\" holds no phone number"}
	}
	n, err := phonenumbers.Parse(s, strings.ToUpper(defaultCountry))
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return "", &InputError{Field: "number", Problem: "\"" + clip(raw) + "\" is not a possible phone number for country " +
			strings.ToUpper(defaultCountry) + "; write it in international form, e.g. +14155550101"}
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// stripScheme removes tel:/sip: and URI parameters without validating, for
// log fields where any readable address beats none.
func stripScheme(addr string) string {
	s := strings.TrimSpace(addr)
	lower := strings.ToLower(s)
	for _, scheme := range []string{"tel:", "sips:", "sip:"} {
		if strings.HasPrefix(lower, scheme) {
			s = s[len(scheme):]
			break
		}
	}
	s, _, _ = strings.Cut(s, ";")
	return s
}

// displayPhone is the E.164 form when the address is a number, else the
// address without its scheme.
func displayPhone(addr, country string) string {
	return parsePhoneForms(addr, country).display
}

// clip keeps error texts short when a caller sends something long.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
