package api

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"dcmconnect/appbase"
	"dcmconnect/genesys"
)

// What a caller gets for an upstream failure names the upstream and the
// call, never an internal host, an address or a configuration hint; the
// error it carries for the log still has them.
func TestUpstreamErrorsNameNoHostOrHint(t *testing.T) {
	const host = "api.internal-proxy.example"
	dial := errors.New("dial tcp 10.20.30.40:443: connect: connection refused")
	cases := []struct {
		name   string
		err    error
		f      from
		status int
		want   string
	}{
		{"genesys transport", &genesys.TransportError{Host: host, Method: "GET", Route: "/api/v2/users/{id}", Err: dial}, fromGenesys, http.StatusServiceUnavailable, "GET /api/v2/users/{id}"},
		{"genesys proxy page", &genesys.ResponseError{Status: 200, Method: "GET", Route: "/api/v2/conversations/{id}", Host: host, Err: errors.New("invalid character '<'")}, fromGenesys, http.StatusBadGateway, "HTTP 200"},
		{"servicejourney transport", &appbase.Error{Kind: appbase.KindTransport, Rule: "ROOT_X", Hint: "check servicejourney.url (" + host + ")"}, fromServiceJourney, http.StatusServiceUnavailable, "rule ROOT_X"},
		{"servicejourney rule", &appbase.Error{Kind: appbase.KindRule, Rule: "ROOT_X", Code: "101", Message: "bad input", Hint: "check servicejourney.domain DCM_Prod.tenant7"}, fromServiceJourney, http.StatusBadGateway, "rule ROOT_X"},
	}
	for _, tc := range cases {
		e := upstreamError(tc.err, tc.f)
		if e.Status != tc.status || !strings.Contains(e.Message, tc.want) {
			t.Errorf("%s: %d %q; want %d containing %q", tc.name, e.Status, e.Message, tc.status, tc.want)
		}
		for _, leak := range []string{host, "10.20.30.40", "servicejourney.", "genesys.environment", "tenant7"} {
			if strings.Contains(e.Message, leak) {
				t.Errorf("%s: the caller's message names %q: %q", tc.name, leak, e.Message)
			}
		}
		if !errors.Is(e, tc.err) && e.Err != tc.err {
			t.Errorf("%s: the logged error lost its cause", tc.name)
		}
	}
}

// An upstream that is down or rate limited is ...Unavailable for every
// method; an error answer is not.
func TestUnavailableTypesForEveryMethod(t *testing.T) {
	for _, tc := range []struct {
		err  error
		f    from
		want string
	}{
		{genesys.ErrRateLimited, fromGenesys, TypeGenesysDown},
		{&genesys.TransportError{Method: "GET", Route: "/x", Err: errors.New("reset")}, fromGenesys, TypeGenesysDown},
		{&appbase.Error{Kind: appbase.KindTransport, Rule: "R"}, fromServiceJourney, TypeServiceJourneyDown},
		{&appbase.Error{Kind: appbase.KindRule, Rule: "R", Message: "bad"}, fromServiceJourney, ""},
	} {
		if got := upstreamError(tc.err, tc.f).Type; got != tc.want {
			t.Errorf("%v: type %q, want %q", tc.err, got, tc.want)
		}
	}
}
