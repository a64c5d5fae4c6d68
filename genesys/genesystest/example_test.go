package genesystest_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"dcmconnect/genesys/genesystest"
)

func Example() {
	s := genesystest.NewServer()
	defer s.Close()
	s.SetOrg("8f3c2a52-7d7e-4b5e-9d0a-1c2b3c4d5e6f", "Acme")
	s.AddClient(genesystest.Client{ID: "background", Secret: "s3cret"})
	ann := s.AddUser(genesystest.User{Name: "Ann Agent", Email: "ann@example.com", Presence: "AVAILABLE"})

	// A client-credentials token from the login paths...
	req, _ := http.NewRequest("POST", s.URL()+"/oauth/token",
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("background", "s3cret")
	resp, _ := http.DefaultClient.Do(req)
	resp.Body.Close()
	fmt.Println("token:", resp.StatusCode)

	// ...and a user token minted directly, used on the API paths.
	req, _ = http.NewRequest("GET", s.URL()+"/api/v2/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+s.UserToken(ann.ID))
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	fmt.Println("users/me:", resp.StatusCode)

	// Faults and counters.
	s.Fault("GET /api/v2/users/me", genesystest.Fault{Status: 503, Times: 1})
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	fmt.Println("users/me:", resp.StatusCode, "calls:", s.Requests("GET /api/v2/users/me"))
	// Output:
	// token: 200
	// users/me: 200
	// users/me: 503 calls: 2
}
