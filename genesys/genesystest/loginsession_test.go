package genesystest

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestLoginSessionGoesStraightBack: an authorize request that carries a
// login session's cookie is answered with the redirect a login would give
// (code or token of the session's user, state echoed), without the login
// page; one without it, with another value, or of a user who cannot log in
// to the client's organization gets the login page.
func TestLoginSessionGoesStraightBack(t *testing.T) {
	s := newFake(t)
	s.AddOrg("other", "Other Org")
	redirect := "http://127.0.0.1:9/app/cb"
	c := s.AddClient(Client{ID: "pages", GrantType: GrantCode, RedirectURIs: []string{redirect}})
	s.AddClient(Client{ID: "spa", GrantType: GrantImplicit, RedirectURIs: []string{redirect}})
	ann := s.AddUser(User{Name: "Ann Agent", Email: "ann@example.com"})
	gone := s.AddUser(User{Name: "Old", State: "inactive"})
	foreign := s.AddUser(User{Name: "Foreign", OrgID: "other"})
	verifier, challenge := pkce()
	authorize := func(clientID, responseType string, cookie *http.Cookie) reply {
		t.Helper()
		q := url.Values{"client_id": {clientID}, "response_type": {responseType}, "redirect_uri": {redirect}, "state": {"st-1"}}
		if responseType == "code" {
			q.Set("code_challenge", challenge)
			q.Set("code_challenge_method", "S256")
		}
		req := mustReq(t, "GET", s.URL()+"/oauth/authorize?"+q.Encode())
		if cookie != nil {
			req.AddCookie(cookie)
		}
		return do(t, req)
	}
	me := func(token string) string {
		t.Helper()
		r := api(t, s, "GET", "/api/v2/users/me", token, nil)
		wantStatus(t, r, http.StatusOK)
		return r.json(t)["id"].(string)
	}

	session := s.LoginSession(ann.ID)
	if session.Path != "/oauth/authorize" || !session.HttpOnly || session.Value == "" || !strings.HasPrefix(session.Name, "genesystest_session_") {
		t.Fatalf("session cookie %+v", session)
	}
	r := authorize(c.ID, "code", session)
	wantStatus(t, r, http.StatusFound)
	loc, err := url.Parse(r.header.Get("Location"))
	if err != nil || !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("state") != "st-1" || loc.Query().Get("code") == "" {
		t.Fatalf("Location %q", r.header.Get("Location"))
	}
	tok := postForm(t, s, "/oauth/token", "", "", url.Values{
		"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "client_id": {c.ID},
		"redirect_uri": {redirect}, "code_verifier": {verifier},
	})
	wantStatus(t, tok, http.StatusOK)
	if id := me(tok.json(t)["access_token"].(string)); id != ann.ID {
		t.Fatalf("the session's code is for %s, want %s", id, ann.ID)
	}

	r = authorize("spa", "token", session)
	wantStatus(t, r, http.StatusFound)
	frag, err := url.ParseQuery(strings.SplitN(r.header.Get("Location"), "#", 2)[1])
	if err != nil || frag.Get("state") != "st-1" || frag.Get("token_type") != "bearer" {
		t.Fatalf("implicit Location %q", r.header.Get("Location"))
	}
	if id := me(frag.Get("access_token")); id != ann.ID {
		t.Fatalf("the session's token is for %s, want %s", id, ann.ID)
	}

	other := *session
	other.Value = "not-a-session"
	for name, cookie := range map[string]*http.Cookie{
		"no cookie":          nil,
		"another value":      &other,
		"an inactive user":   s.LoginSession(gone.ID),
		"another org's user": s.LoginSession(foreign.ID),
	} {
		r := authorize(c.ID, "code", cookie)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `id="login-`+ann.ID+`"`) {
			t.Errorf("%s: %d %q, want the login page", name, r.status, r.header.Get("Location"))
		}
	}
	// Another server's sessions are not this one's.
	if s2 := newFake(t); s2.LoginSession(s2.AddUser(User{Name: "Ann"}).ID).Name == session.Name {
		t.Error("two servers name their session cookies alike")
	}
}
