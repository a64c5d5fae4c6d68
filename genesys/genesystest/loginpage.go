package genesystest

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// authRequest is a validated /oauth/authorize request.
type authRequest struct {
	ClientID     string
	ResponseType string
	RedirectURI  string
	State        string
	Challenge    string
	Method       string
	LoginHint    string
	client       *Client
}

// parseAuthorize validates an authorize request; the caller holds s.mu.
// A bad client or redirect URI gets an error page (the browser must not be
// sent to an unregistered URI, docs/upstreams.md); anything else is an OAuth error
// returned to the registered redirect URI (errCode != "").
func (s *Server) parseAuthorize(v url.Values) (ar *authRequest, pageErr, errCode, errDesc string) {
	ar = &authRequest{
		ClientID:     v.Get("client_id"),
		ResponseType: v.Get("response_type"),
		RedirectURI:  v.Get("redirect_uri"),
		State:        v.Get("state"),
		Challenge:    v.Get("code_challenge"),
		Method:       v.Get("code_challenge_method"),
		LoginHint:    v.Get("login_hint"),
	}
	c, ok := s.data.clients.get(ar.ClientID)
	if ar.ClientID == "" || !ok {
		return nil, "The client_id " + strconv.Quote(ar.ClientID) + " is not a registered OAuth client.", "", ""
	}
	ar.client = c
	if ar.RedirectURI == "" || !slices.Contains(c.RedirectURIs, ar.RedirectURI) {
		return nil, "The redirect_uri " + strconv.Quote(ar.RedirectURI) +
			" does not exactly match any redirect URI registered for this client.", "", ""
	}
	switch {
	case ar.ResponseType != "code" && ar.ResponseType != "token":
		return ar, "", "unsupported_response_type", "response_type must be code or token"
	case c.State != "active":
		return ar, "", "unauthorized_client", "client is inactive"
	case ar.ResponseType == "code" && c.GrantType != GrantCode,
		ar.ResponseType == "token" && c.GrantType != GrantImplicit:
		return ar, "", "unauthorized_client", "client is not authorized for response_type " + ar.ResponseType
	case ar.ResponseType == "code" && ar.Challenge != "" && ar.Method != "S256":
		return ar, "", "invalid_request", "code_challenge_method must be S256"
	}
	return ar, "", "", ""
}

// redirectWith sends the browser back: query for the code flow, fragment
// for the implicit flow (docs/upstreams.md), state echoed when given.
func redirectWith(w http.ResponseWriter, r *http.Request, ar *authRequest, params [][2]string) {
	if ar.State != "" {
		params = append(params, [2]string{"state", ar.State})
	}
	var b strings.Builder
	for i, p := range params {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p[0]) + "=" + url.QueryEscape(p[1]))
	}
	target := ar.RedirectURI
	if ar.ResponseType == "token" {
		target += "#" + b.String()
	} else if strings.Contains(target, "?") {
		target += "&" + b.String()
	} else {
		target += "?" + b.String()
	}
	http.Redirect(w, r, target, http.StatusFound)
}

func (s *Server) handleAuthorizePage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	ar, pageErr, code, desc := s.parseAuthorize(r.URL.Query())
	var page loginPage
	if pageErr == "" && code == "" {
		if u, ok := s.sessionUser(r); ok && s.canLogIn(u, ar) {
			s.logIn(w, r, ar, u)
			s.mu.Unlock()
			return
		}
		page = s.loginPageData(ar)
	}
	s.mu.Unlock()
	switch {
	case pageErr != "":
		writeErrorPage(w, pageErr)
	case code != "":
		redirectWith(w, r, ar, [][2]string{{"error", code}, {"error_description", desc}})
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		_ = loginTemplate.Execute(w, page)
	}
}

// handleAuthorizeChoose is the login form's POST: the chosen user logs in.
func (s *Server) handleAuthorizeChoose(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBytes)
	if err := r.ParseForm(); err != nil {
		writeErrorPage(w, "The login form could not be read.")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ar, pageErr, code, desc := s.parseAuthorize(r.PostForm)
	switch {
	case pageErr != "":
		writeErrorPage(w, pageErr)
		return
	case code != "":
		redirectWith(w, r, ar, [][2]string{{"error", code}, {"error_description", desc}})
		return
	case r.PostForm.Get("cancel") != "":
		redirectWith(w, r, ar, [][2]string{{"error", "access_denied"}, {"error_description", "The user cancelled the login."}})
		return
	}
	u, ok := s.chosenUser(r.PostForm)
	if !ok || !s.canLogIn(u, ar) {
		writeErrorPage(w, "The chosen user cannot log in to this organization.")
		return
	}
	s.logIn(w, r, ar, u)
}

// canLogIn: an active user of the client's organization; the caller holds s.mu.
func (s *Server) canLogIn(u *User, ar *authRequest) bool {
	return u.State == "active" && s.data.userOrg(u) == s.data.clientOrg(ar.client)
}

// logIn sends the browser back to the redirect URI with u's token (implicit
// flow) or code; the caller holds s.mu.
func (s *Server) logIn(w http.ResponseWriter, r *http.Request, ar *authRequest, u *User) {
	c := ar.client
	if ar.ResponseType == "token" {
		t := s.issueToken(c.ID, u.ID, s.data.userOrg(u), c.Scopes, c.TokenTTL)
		redirectWith(w, r, ar, [][2]string{
			{"access_token", t.value},
			{"expires_in", strconv.Itoa(int(c.TokenTTL / time.Second))},
			{"token_type", "bearer"},
		})
		return
	}
	codeValue := randomToken(32)
	s.data.codes[codeValue] = &authCode{
		clientID:    c.ID,
		userID:      u.ID,
		redirectURI: ar.RedirectURI,
		challenge:   ar.Challenge,
		expires:     s.now().Add(codeTTL),
	}
	redirectWith(w, r, ar, [][2]string{{"code", codeValue}})
}

type loginPage struct {
	OrgName string
	Client  string
	Req     *authRequest
	Users   []loginUser
	More    int // active users not listed: reached through the "other user" field
}

// loginPickerLimit caps the buttons on the fake login page: an organization
// of thousands would otherwise get a page of thousands of buttons (slow to
// render and to drive from a browser test). The others log in by e-mail,
// username or id, as a real login page asks for a name.
const loginPickerLimit = 50

// chosenUser is the user the login form names: a picked button (user_id)
// or the typed "other user" field (an id, e-mail or username); the caller
// holds s.mu.
func (s *Server) chosenUser(form url.Values) (*User, bool) {
	if id := form.Get("user_id"); id != "" {
		return s.data.users.get(id)
	}
	typed := strings.TrimSpace(form.Get("other_user"))
	if typed == "" {
		return nil, false
	}
	if u, ok := s.data.users.get(typed); ok {
		return u, true
	}
	for _, u := range s.data.users.list() {
		if strings.EqualFold(typed, u.Email) || strings.EqualFold(typed, u.Username) {
			return u, true
		}
	}
	return nil, false
}

type loginUser struct {
	ID, Name, Email string
	Hinted          bool
}

// loginPageData lists the active users of the client's organization, the
// login_hint match first; the caller holds s.mu.
func (s *Server) loginPageData(ar *authRequest) loginPage {
	org := s.data.clientOrg(ar.client)
	p := loginPage{OrgName: s.data.orgName(org), Client: ar.client.Name, Req: ar}
	for _, u := range s.data.users.list() {
		if u.State != "active" || s.data.userOrg(u) != org {
			continue
		}
		hinted := ar.LoginHint != "" && (strings.EqualFold(ar.LoginHint, u.Email) || strings.EqualFold(ar.LoginHint, u.Username))
		lu := loginUser{ID: u.ID, Name: u.Name, Email: u.Email, Hinted: hinted}
		if hinted {
			p.Users = append([]loginUser{lu}, p.Users...)
		} else {
			p.Users = append(p.Users, lu)
		}
		if len(p.Users) > loginPickerLimit {
			p.Users = p.Users[:loginPickerLimit]
			p.More++
		}
	}
	return p
}

func writeErrorPage(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = errorTemplate.Execute(w, msg)
}

const pageStyle = `<style>
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f6f9;color:#2d3540;margin:0}
main{max-width:420px;margin:48px auto;background:#fff;border-radius:8px;box-shadow:0 2px 12px rgba(0,0,0,.12);padding:28px 32px}
h1{font-size:20px;margin:0 0 4px;color:#ff4f1f}
p.sub{margin:0 0 20px;color:#6b7280;font-size:14px}
button.user{display:block;width:100%;text-align:left;border:1px solid #d1d5db;background:#fff;border-radius:6px;padding:10px 14px;margin:0 0 8px;cursor:pointer;font:inherit}
button.user:hover,button.user:focus{border-color:#ff4f1f;background:#fff7f4}
button.user.hinted{border-color:#ff4f1f}
.name{display:block;font-weight:600}.email{display:block;font-size:13px;color:#6b7280}
button.cancel{margin-top:12px;background:none;border:none;color:#6b7280;cursor:pointer;font:inherit;text-decoration:underline}
.error{color:#b91c1c}
</style>`

var loginTemplate = template.Must(template.New("login").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Genesys Cloud (fake) - Log in</title>
<meta name="viewport" content="width=device-width,initial-scale=1">` + pageStyle + `</head>
<body><main id="login">
<h1>Genesys Cloud</h1>
<p class="sub">Fake login for <strong id="org-name">{{.OrgName}}</strong> &middot; app <span id="client-name">{{.Client}}</span>. Choose a user.</p>
<form method="post" action="/oauth/authorize">
<input type="hidden" name="client_id" value="{{.Req.ClientID}}">
<input type="hidden" name="response_type" value="{{.Req.ResponseType}}">
<input type="hidden" name="redirect_uri" value="{{.Req.RedirectURI}}">
<input type="hidden" name="state" value="{{.Req.State}}">
<input type="hidden" name="code_challenge" value="{{.Req.Challenge}}">
<input type="hidden" name="code_challenge_method" value="{{.Req.Method}}">
<input type="hidden" name="login_hint" value="{{.Req.LoginHint}}">
{{range .Users}}<button type="submit" class="user{{if .Hinted}} hinted{{end}}" name="user_id" value="{{.ID}}" id="login-{{.ID}}" data-user-id="{{.ID}}" data-email="{{.Email}}"{{if .Hinted}} autofocus{{end}}><span class="name">{{.Name}}</span><span class="email">{{.Email}}</span></button>
{{else}}<p class="error" id="no-users">No active users in this organization.</p>
{{end}}{{if .More}}<p class="sub" id="login-more">{{.More}} more users are not listed.</p>
<label for="login-other">Other user (e-mail, username or id)</label>
<input id="login-other" name="other_user" autocomplete="off"><button type="submit" class="user" id="login-other-submit">Log in</button>
{{end}}<button type="submit" class="cancel" name="cancel" value="1" id="login-cancel">Cancel</button>
</form></main></body></html>
`))

var errorTemplate = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>Genesys Cloud (fake) - Error</title>` + pageStyle + `</head>
<body><main id="login-error"><h1>Something went wrong</h1><p class="error" id="error-message">{{.}}</p></main></body></html>
`))
