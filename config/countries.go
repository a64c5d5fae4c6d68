package config

import "github.com/nyaruka/phonenumbers"

// isCountry: the default country only serves to read national phone
// numbers, so the codes are the ISO 3166-1 alpha-2 regions phonenumbers
// has numbering metadata for.
func isCountry(code string) bool {
	return phonenumbers.GetSupportedRegions()[code]
}
