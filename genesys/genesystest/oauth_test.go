package genesystest

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestClientCredentialsGrant(t *testing.T) {
	s := newFake(t)
	s.SetOrg("org-1", "Acme")
	c := s.AddClient(Client{ID: "bg", Secret: "s3cret"})

	r := postForm(t, s, "/oauth/token", c.ID, c.Secret, url.Values{"grant_type": {"client_credentials"}})
	wantStatus(t, r, http.StatusOK)
	m := r.json(t)
	if m["token_type"] != "bearer" || m["expires_in"] != float64(86399) {
		t.Fatalf("token body %s", r.body)
	}
	if _, has := m["refresh_token"]; has {
		t.Fatal("client credentials must not return a refresh token")
	}
	if r.header.Get("ININ-Correlation-Id") == "" {
		t.Fatal("token response without ININ-Correlation-Id")
	}
	tok := m["access_token"].(string)
	org := api(t, s, "GET", "/api/v2/organizations/me", tok, nil)
	wantStatus(t, org, http.StatusOK)
	if o := org.json(t); o["id"] != "org-1" || o["name"] != "Acme" {
		t.Fatalf("organizations/me = %s", org.body)
	}
	info := api(t, s, "GET", "/api/v2/tokens/me", tok, nil).json(t)
	if info["OAuthClient"].(map[string]any)["id"] != "bg" || info["organization"].(map[string]any)["id"] != "org-1" {
		t.Fatalf("tokens/me = %v", info)
	}
	if got := s.TokenRequests(); got != 1 {
		t.Fatalf("TokenRequests = %d, want 1", got)
	}
}

func TestClientCredentialsFailures(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "bg", Secret: "s3cret"})
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{"http://x/cb"}, Secret: "x"})
	form := url.Values{"grant_type": {"client_credentials"}}

	r := postForm(t, s, "/oauth/token", "bg", "wrong", form)
	wantStatus(t, r, http.StatusUnauthorized)
	if string(r.body) != `{"description":"authentication failed","error":"invalid_client","error_description":"authentication failed"}` {
		t.Fatalf("bad secret body %s", r.body)
	}
	if strings.Contains(string(r.body), "wrong") {
		t.Fatal("error body echoes the secret")
	}
	r = postForm(t, s, "/oauth/token", "nobody", "x", form)
	wantStatus(t, r, http.StatusUnauthorized)
	if r.json(t)["description"] != "client not found" {
		t.Fatalf("unknown client body %s", r.body)
	}
	wantStatus(t, postForm(t, s, "/oauth/token", "", "", form), http.StatusUnauthorized)
	r = postForm(t, s, "/oauth/token", "spa", "x", form)
	if r.status != http.StatusBadRequest || r.json(t)["error"] != "unauthorized_client" {
		t.Fatalf("implicit client doing client credentials: %d %s", r.status, r.body)
	}
	r = postForm(t, s, "/oauth/token", "bg", "s3cret", url.Values{"grant_type": {"password"}})
	if r.status != http.StatusBadRequest || r.json(t)["error"] != "unsupported_grant_type" {
		t.Fatalf("unsupported grant: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest("POST", s.URL()+"/oauth/token", strings.NewReader(`{"grant_type":"client_credentials"}`))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth("bg", "s3cret")
	if r := do(t, req); r.status != http.StatusBadRequest {
		t.Fatalf("JSON body accepted: %d", r.status)
	}
	if got := s.TokenRequests(); got != 6 {
		t.Fatalf("TokenRequests = %d, want 6", got)
	}
}

func TestTokenLifetimeAndExpireTokens(t *testing.T) {
	clock := newFakeClock(time.Date(2024, 5, 1, 8, 0, 0, 0, time.UTC))
	s := newFake(t, WithClock(clock.Now))
	s.AddClient(Client{ID: "bg", Secret: "s", TokenTTL: 10 * time.Minute})
	r := postForm(t, s, "/oauth/token", "bg", "s", url.Values{"grant_type": {"client_credentials"}})
	if r.json(t)["expires_in"] != float64(600) {
		t.Fatalf("expires_in: %s", r.body)
	}
	tok := r.json(t)["access_token"].(string)
	wantStatus(t, api(t, s, "GET", "/api/v2/organizations/me", tok, nil), http.StatusOK)
	clock.Advance(10 * time.Minute)
	wantAPIError(t, api(t, s, "GET", "/api/v2/organizations/me", tok, nil), http.StatusUnauthorized, "bad.credentials")

	fresh := clientToken(t, s, "bg", "s")
	user := s.AddUser(User{Name: "Ann"})
	ut := s.UserToken(user.ID)
	wantStatus(t, api(t, s, "GET", "/api/v2/users/me", ut, nil), http.StatusOK)
	s.ExpireTokens()
	for _, tk := range []string{fresh, ut} {
		m := wantAPIError(t, api(t, s, "GET", "/api/v2/organizations/me", tk, nil), http.StatusUnauthorized, "bad.credentials")
		if m["message"] != "Invalid login credentials." {
			t.Fatalf("message %v", m["message"])
		}
	}
	wantStatus(t, api(t, s, "GET", "/api/v2/organizations/me", clientToken(t, s, "bg", "s"), nil), http.StatusOK)
}

func TestMissingAndBadBearer(t *testing.T) {
	s := newFake(t)
	wantAPIError(t, api(t, s, "GET", "/api/v2/users", "", nil), http.StatusUnauthorized, "authentication.required")
	wantAPIError(t, api(t, s, "GET", "/api/v2/users", "made-up", nil), http.StatusUnauthorized, "bad.credentials")
}

// pkce returns a verifier and its S256 challenge.
func pkce() (string, string) {
	verifier := strings.Repeat("v3rifier-", 6)
	sum := sha256.Sum256([]byte(verifier))
	return verifier, base64.RawURLEncoding.EncodeToString(sum[:])
}

// login drives the login page: GET authorize, then POST the chosen user.
func login(t *testing.T, s *Server, params url.Values, userID string) reply {
	t.Helper()
	page := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+params.Encode()))
	wantStatus(t, page, http.StatusOK)
	if !strings.Contains(string(page.body), `id="login-`+userID+`"`) {
		t.Fatalf("login page lacks a button for %s:\n%s", userID, page.body)
	}
	form := url.Values{}
	for k, v := range params {
		form[k] = v
	}
	form.Set("user_id", userID)
	return postForm(t, s, "/oauth/authorize", "", "", form)
}

func mustReq(t *testing.T, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func TestPKCECodeFlow(t *testing.T) {
	s := newFake(t)
	redirect := "http://127.0.0.1:9/app/cb?tenant=1"
	c := s.AddClient(Client{ID: "pages", GrantType: GrantCode, RedirectURIs: []string{redirect}, Secret: "pages-secret"})
	u := s.AddUser(User{Name: "Ann Agent", Email: "ann@example.com", Permissions: []string{"x:y:z"}})
	verifier, challenge := pkce()
	params := url.Values{
		"client_id": {c.ID}, "response_type": {"code"}, "redirect_uri": {redirect}, "state": {"st-1"},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"},
	}
	r := login(t, s, params, u.ID)
	wantStatus(t, r, http.StatusFound)
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), "http://127.0.0.1:9/app/cb?") {
		t.Fatalf("Location %q", r.header.Get("Location"))
	}
	code := loc.Query().Get("code")
	if code == "" || loc.Query().Get("state") != "st-1" || loc.Query().Get("tenant") != "1" {
		t.Fatalf("Location %q lacks code, state or the registered query", loc)
	}

	exchange := func(verifier, redirectURI string) reply {
		return postForm(t, s, "/oauth/token", "", "", url.Values{
			"grant_type": {"authorization_code"}, "code": {code}, "client_id": {c.ID},
			"redirect_uri": {redirectURI}, "code_verifier": {verifier},
		})
	}
	for name, r := range map[string]reply{
		"wrong verifier": exchange(verifier+"x", redirect),
		"no verifier":    exchange("", redirect),
		"wrong redirect": exchange(verifier, "http://127.0.0.1:9/app/cb"),
	} {
		if r.status != http.StatusBadRequest || r.json(t)["error"] != "invalid_grant" {
			t.Fatalf("%s: %d %s", name, r.status, r.body)
		}
	}
	ok := exchange(verifier, redirect)
	wantStatus(t, ok, http.StatusOK)
	m := ok.json(t)
	if m["token_type"] != "bearer" || m["refresh_token"] == nil {
		t.Fatalf("code exchange body %s", ok.body)
	}
	me := api(t, s, "GET", "/api/v2/users/me", m["access_token"].(string), nil)
	wantStatus(t, me, http.StatusOK)
	if me.json(t)["id"] != u.ID {
		t.Fatalf("users/me = %s", me.body)
	}
	if r := exchange(verifier, redirect); r.status != http.StatusBadRequest {
		t.Fatalf("code redeemed twice: %d", r.status)
	}

	// A refresh token works with Basic auth.
	rr := postForm(t, s, "/oauth/token", c.ID, c.Secret, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {m["refresh_token"].(string)}})
	wantStatus(t, rr, http.StatusOK)
}

func TestAuthorizeRefusesUnregisteredRedirect(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "pages", GrantType: GrantCode, RedirectURIs: []string{"http://127.0.0.1:9/cb"}})
	for _, bad := range []string{"http://127.0.0.1:9/cb/", "http://127.0.0.1:9/cb?x=1", "http://evil.example/cb", ""} {
		q := url.Values{"client_id": {"pages"}, "response_type": {"code"}, "redirect_uri": {bad}}
		r := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode()))
		if r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
			t.Fatalf("redirect_uri %q: status %d, Location %q", bad, r.status, r.header.Get("Location"))
		}
		if !strings.Contains(string(r.body), "redirect_uri") {
			t.Fatalf("error page does not name redirect_uri: %s", r.body)
		}
		// The POST (user choice) path refuses it too.
		q.Set("user_id", s.AddUser(User{}).ID)
		if r := postForm(t, s, "/oauth/authorize", "", "", q); r.status != http.StatusBadRequest || r.header.Get("Location") != "" {
			t.Fatalf("POST with redirect_uri %q: %d", bad, r.status)
		}
	}
	q := url.Values{"client_id": {"nope"}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1:9/cb"}}
	if r := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode())); r.status != http.StatusBadRequest {
		t.Fatalf("unknown client: %d", r.status)
	}
}

func TestAuthorizeErrorsGoBackToTheApp(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{"http://127.0.0.1:9/cb"}})
	u := s.AddUser(User{Name: "Ann"})
	// A code request from an implicit-grant client.
	q := url.Values{"client_id": {"spa"}, "response_type": {"code"}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "state": {"s"}}
	r := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode()))
	wantStatus(t, r, http.StatusFound)
	if loc := r.header.Get("Location"); !strings.Contains(loc, "error=unauthorized_client") || !strings.Contains(loc, "state=s") {
		t.Fatalf("Location %q", loc)
	}
	// Cancel on the login page.
	q.Set("response_type", "token")
	q.Set("cancel", "1")
	r = postForm(t, s, "/oauth/authorize", "", "", q)
	if loc := r.header.Get("Location"); r.status != http.StatusFound || !strings.HasPrefix(loc, "http://127.0.0.1:9/cb#error=access_denied") {
		t.Fatalf("cancel: %d %q", r.status, loc)
	}
	_ = u
}

func TestImplicitGrant(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{"http://127.0.0.1:9/index.html"}, TokenTTL: time.Hour})
	u := s.AddUser(User{Name: "Ann", Email: "ann@example.com"})
	params := url.Values{"client_id": {"spa"}, "response_type": {"token"}, "redirect_uri": {"http://127.0.0.1:9/index.html"}, "state": {"abc"}}
	r := login(t, s, params, u.ID)
	wantStatus(t, r, http.StatusFound)
	loc, _ := url.Parse(r.header.Get("Location"))
	frag, err := url.ParseQuery(loc.Fragment)
	if err != nil || loc.RawQuery != "" {
		t.Fatalf("Location %q", loc)
	}
	if frag.Get("token_type") != "bearer" || frag.Get("expires_in") != "3600" || frag.Get("state") != "abc" {
		t.Fatalf("fragment %v", frag)
	}
	me := api(t, s, "GET", "/api/v2/users/me", frag.Get("access_token"), nil)
	wantStatus(t, me, http.StatusOK)
	if me.json(t)["email"] != "ann@example.com" {
		t.Fatalf("users/me = %s", me.body)
	}
}

func TestLoginPageListsActiveUsersOfTheOrg(t *testing.T) {
	s := newFake(t)
	s.AddOrg("other", "Other Org")
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{"http://127.0.0.1:9/cb"}, Secret: "never-shown"})
	active := s.AddUser(User{Name: "Ann <b>", Email: "ann@example.com"})
	hinted := s.AddUser(User{Name: "Zed", Email: "zed@example.com"})
	gone := s.AddUser(User{Name: "Old", State: "inactive"})
	foreign := s.AddUser(User{Name: "Foreign", OrgID: "other"})
	q := url.Values{"client_id": {"spa"}, "response_type": {"token"}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "login_hint": {"ZED@example.com"}}
	r := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode()))
	wantStatus(t, r, http.StatusOK)
	page := string(r.body)
	if !strings.Contains(page, `id="login-`+active.ID+`"`) || !strings.Contains(page, "Ann &lt;b&gt;") {
		t.Fatal("active user missing or not escaped")
	}
	if strings.Contains(page, gone.ID) || strings.Contains(page, foreign.ID) || strings.Contains(page, "never-shown") {
		t.Fatal("page shows an inactive user, a user of another org, or the secret")
	}
	if strings.Index(page, hinted.ID) > strings.Index(page, active.ID) {
		t.Fatal("login_hint user is not listed first")
	}
	// A user of another org cannot be chosen by posting the form directly.
	q.Set("user_id", foreign.ID)
	if r := postForm(t, s, "/oauth/authorize", "", "", q); r.status != http.StatusBadRequest {
		t.Fatalf("foreign user accepted: %d", r.status)
	}
}

// TestLoginPageOfALargeOrgListsSomeAndTakesAnyByName: thousands of users
// would make the picker a page of thousands of buttons; the page lists
// loginPickerLimit of them and logs in any other by e-mail, username or id.
func TestLoginPageOfALargeOrgListsSomeAndTakesAnyByName(t *testing.T) {
	s := newFake(t)
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{"http://127.0.0.1:9/cb"}})
	var users []User
	for i := range loginPickerLimit + 10 {
		users = append(users, s.AddUser(User{Name: fmt.Sprintf("Agent %02d", i), Email: fmt.Sprintf("agent%02d@example.com", i), Username: fmt.Sprintf("agent%02d", i)}))
	}
	last := users[len(users)-1]
	q := url.Values{"client_id": {"spa"}, "response_type": {"token"}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "login_hint": {last.Email}}
	r := do(t, mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode()))
	wantStatus(t, r, http.StatusOK)
	page := string(r.body)
	if n := strings.Count(page, `name="user_id"`); n != loginPickerLimit {
		t.Fatalf("page lists %d users, want %d", n, loginPickerLimit)
	}
	if !strings.Contains(page, `id="login-`+last.ID+`"`) {
		t.Fatal("the login_hint user beyond the limit is not listed")
	}
	if !strings.Contains(page, "10 more users") || !strings.Contains(page, `name="other_user"`) {
		t.Fatal("page does not say how many are not listed or has no field for them")
	}
	for typed, want := range map[string]User{users[loginPickerLimit].Email: users[loginPickerLimit], " AGENT55 ": users[55], users[loginPickerLimit+2].ID: users[loginPickerLimit+2]} {
		q := url.Values{"client_id": {"spa"}, "response_type": {"token"}, "redirect_uri": {"http://127.0.0.1:9/cb"}, "other_user": {typed}}
		r := postForm(t, s, "/oauth/authorize", "", "", q)
		wantStatus(t, r, http.StatusFound)
		frag, _ := url.ParseQuery(strings.SplitN(r.header.Get("Location"), "#", 2)[1])
		me := api(t, s, "GET", "/api/v2/users/me", frag.Get("access_token"), nil)
		wantStatus(t, me, http.StatusOK)
		if me.json(t)["email"] != want.Email {
			t.Fatalf("%q logged in %s, want %s", typed, me.body, want.Email)
		}
	}
	q.Set("other_user", "nobody@example.com")
	if r := postForm(t, s, "/oauth/authorize", "", "", q); r.status != http.StatusBadRequest {
		t.Fatalf("an unknown typed user logged in: %d", r.status)
	}
}
