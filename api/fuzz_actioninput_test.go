package api_test

import (
	"errors"
	"testing"

	"dcmconnect/api"
)

// FuzzActionInput: whatever a data action sends, the decoders either give
// a lookup or a 400 *api.Error with a message; they never panic.
func FuzzActionInput(f *testing.F) {
	f.Add([]byte(`{"phone":"+14155550101","email":"a@b.c","partyId":"7"}`))
	f.Add([]byte(`{"partyId":"7","caseNumber":"CASE-1"}`))
	f.Add([]byte(`{"conversationId":"c0000000-0000-4000-8000-000000000004"}`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, decode := range []func([]byte) error{
			func(b []byte) error { _, err := api.DecodePartyLookup(b); return err },
			func(b []byte) error { _, err := api.DecodeCaseLookup(b); return err },
			func(b []byte) error { _, err := api.DecodePopTarget(b); return err },
		} {
			err := decode(body)
			if err == nil {
				continue
			}
			var ae *api.Error
			if !errors.As(err, &ae) || ae.Status != 400 || ae.Message == "" {
				t.Fatalf("decode(%q) = %v, want a 400 with a message", body, err)
			}
		}
	})
}
