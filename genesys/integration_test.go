package genesys_test

// These tests run the client against genesystest, the fake Genesys Cloud
// that is written independently from the wire facts, so a misreading shared
// by client and inline test handlers shows up here.

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
)

const (
	bgID     = "bg-client"
	bgSecret = "bg-secret-never-shown"
)

type tclock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *tclock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *tclock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type waits struct {
	mu sync.Mutex
	d  []time.Duration
}

func (w *waits) Sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.d = append(w.d, d)
	w.mu.Unlock()
	return ctx.Err()
}

func (w *waits) all() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]time.Duration(nil), w.d...)
}

type fixture struct {
	s     *genesystest.Server
	c     *genesys.Client
	clock *tclock
	w     *waits
}

func newFixture(t testing.TB, mod func(*genesys.Options), srvOpts ...genesystest.Option) *fixture {
	t.Helper()
	clk := &tclock{t: time.Now().UTC()}
	s := genesystest.NewServerT(t, append([]genesystest.Option{genesystest.WithClock(clk.Now)}, srvOpts...)...)
	s.AddClient(genesystest.Client{ID: bgID, Secret: bgSecret, TokenTTL: time.Hour})
	w := &waits{}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 200
	o := genesys.Options{
		APIURL: s.URL(), LoginURL: s.URL(),
		ClientID: bgID, ClientSecret: bgSecret,
		HTTPClient:        &http.Client{Transport: tr},
		RequestsPerMinute: -1,
		Sleep:             w.Sleep,
		Now:               clk.Now,
	}
	if mod != nil {
		mod(&o)
	}
	c, err := genesys.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s: s, c: c, clock: clk, w: w}
}

func TestFakeColdCacheOneTokenRequestThenOneMoreAfterExpiry(t *testing.T) {
	t.Parallel() // CPU-heavy, independent: overlaps the other three
	// 1,000 callers share the token, then 32 connections for their calls
	// (dialling one each costs more than the rest of the test).
	f := newFixture(t, func(o *genesys.Options) {
		tr := o.HTTPClient.Transport.(*http.Transport)
		tr.MaxConnsPerHost, tr.MaxIdleConnsPerHost = 32, 32
	})
	burst := func() {
		t.Helper()
		var wg sync.WaitGroup
		var failed sync.Once
		for range 1000 {
			wg.Go(func() {
				if _, err := f.c.Organizations.Me(context.Background()); err != nil {
					failed.Do(func() { t.Errorf("call: %v", err) })
				}
			})
		}
		wg.Wait()
	}
	burst()
	if n := f.s.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
	f.clock.Advance(time.Hour) // the token has expired at the fake too
	burst()
	if n := f.s.TokenRequests(); n != 2 {
		t.Fatalf("token requests after expiry = %d, want 2", n)
	}
}

func TestFake429RetryAfterWaitedOut(t *testing.T) {
	f := newFixture(t, nil)
	u := f.s.AddUser(genesystest.User{Name: "Ann Agent", Email: "ann@example.com"})
	f.s.Fault("GET /api/v2/users/{userId}", genesystest.Fault{Status: 429, RetryAfter: 2 * time.Second, Times: 1})
	got, err := f.c.Users.Get(context.Background(), u.ID)
	if err != nil || got.Name != "Ann Agent" {
		t.Fatalf("%+v %v", got, err)
	}
	if w := f.w.all(); len(w) != 1 || w[0] != 2*time.Second {
		t.Fatalf("waits = %v, want [2s]", w)
	}
	if n := f.s.Requests("GET /api/v2/users/{userId}"); n != 2 {
		t.Fatalf("requests = %d", n)
	}
}

func TestFake429AboveCapFailsFast(t *testing.T) {
	f := newFixture(t, func(o *genesys.Options) { o.RetryAfterCap = 30 * time.Second })
	u := f.s.AddUser(genesystest.User{Name: "Ann"})
	f.s.Fault("GET /api/v2/users/{userId}", genesystest.Fault{Status: 429, RetryAfter: 90 * time.Second})
	_, err := f.c.Users.Get(context.Background(), u.ID)
	var ae *genesys.Error
	if !errors.Is(err, genesys.ErrRateLimited) || !errors.As(err, &ae) || ae.RetryAfter != 90*time.Second ||
		!strings.Contains(err.Error(), "retryAfterCap") || ae.CorrelationID == "" {
		t.Fatalf("err = %v", err)
	}
	if len(f.w.all()) != 0 || f.s.Requests("GET /api/v2/users/{userId}") != 1 {
		t.Fatal("did not fail fast")
	}
}

func TestFakeExpiredTokenRefreshedOnce(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	if _, err := f.c.Organizations.Me(ctx); err != nil {
		t.Fatal(err)
	}
	f.s.ExpireTokens()
	org, err := f.c.Organizations.Me(ctx)
	if err != nil || org.ID != f.s.OrgID() {
		t.Fatalf("%+v %v", org, err)
	}
	if n := f.s.TokenRequests(); n != 2 {
		t.Fatalf("token requests = %d, want 2", n)
	}
	if n := f.s.Requests("GET /api/v2/organizations/me"); n != 3 {
		t.Fatalf("org requests = %d, want 3 (ok, 401, ok)", n)
	}
}

func TestFakeListAll10050Users(t *testing.T) {
	t.Parallel() // CPU-heavy, independent: overlaps the other three
	f := newFixture(t, nil)
	// Users with a name only: what is tested is the paging; an email, a
	// username and a contact for each of 10,050 users, encoded and decoded
	// under the race detector, added CPU and nothing to what is asserted.
	for i := range 10050 {
		f.s.AddUser(genesystest.User{Name: fmt.Sprintf("User %05d", i)})
	}
	users, err := f.c.Users.ListAll(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 10050 {
		t.Fatalf("users = %d", len(users))
	}
	seen := make(map[string]bool, len(users))
	for _, u := range users {
		if seen[u.ID] {
			t.Fatalf("user %s listed twice", u.ID)
		}
		seen[u.ID] = true
	}
	if n := f.s.Requests("GET /api/v2/users"); n != 101 {
		t.Fatalf("page requests = %d, want 101 (each page of 100 once)", n)
	}
}

func TestFakeVerifyUserToken(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	ann := f.s.AddUser(genesystest.User{Name: "Ann Agent", Email: "ann@example.com", Permissions: []string{"analytics:conversationDetail:view"}})
	v, err := f.c.VerifyUserToken(ctx, "Bearer "+f.s.UserToken(ann.ID))
	if err != nil {
		t.Fatal(err)
	}
	if v.ID != ann.ID || v.Email != "ann@example.com" || v.OrgID != f.s.OrgID() || !v.HasPermission("analytics:conversationDetail:view") {
		t.Fatalf("verified = %+v", v)
	}

	f.s.AddOrg("other-org", "Someone Else")
	eve := f.s.AddUser(genesystest.User{Name: "Eve", Email: "eve@else.example", OrgID: "other-org"})
	_, err = f.c.VerifyUserToken(ctx, f.s.UserToken(eve.ID))
	if !errors.Is(err, genesys.ErrOtherOrg) {
		t.Fatalf("other org: err = %v", err)
	}

	tok := f.s.UserToken(ann.ID)
	f.s.ExpireTokens()
	if _, err := f.c.VerifyUserToken(ctx, tok); !errors.Is(err, genesys.ErrUnauthorized) {
		t.Fatalf("expired token: err = %v", err)
	}
}

func TestFakeBadSecret(t *testing.T) {
	f := newFixture(t, func(o *genesys.Options) { o.ClientSecret = "nope-wrong" })
	_, err := f.c.Organizations.Me(context.Background())
	if !errors.Is(err, genesys.ErrBadClientCredentials) || !strings.Contains(err.Error(), "genesys.clientSecret") || strings.Contains(err.Error(), "nope-wrong") {
		t.Fatalf("err = %v", err)
	}
}

func TestFakeDroppedConnectionRetried(t *testing.T) {
	f := newFixture(t, nil)
	q := f.s.AddQueue("", "Support")
	f.s.Fault("GET /api/v2/routing/queues/{queueId}", genesystest.Fault{Drop: true, Times: 1})
	got, err := f.c.Routing.GetQueue(context.Background(), q)
	if err != nil || got.Name != "Support" {
		t.Fatalf("%+v %v", got, err)
	}
}

func TestFakeUserPresenceAndRoutingStatus(t *testing.T) {
	f := newFixture(t, nil)
	u := f.s.AddUser(genesystest.User{Name: "Ann", Email: "ann.q@example.com", Presence: "ON_QUEUE", RoutingStatus: "INTERACTING"})
	got, err := f.c.Users.Get(context.Background(), u.ID, "presence", "routingStatus")
	if err != nil {
		t.Fatal(err)
	}
	if got.Presence == nil || got.Presence.PresenceDefinition == nil || got.Presence.PresenceDefinition.SystemPresence != "On Queue" ||
		got.RoutingStatus == nil || got.RoutingStatus.Status != "INTERACTING" {
		t.Fatalf("user = %+v presence %+v routing %+v", got, got.Presence, got.RoutingStatus)
	}
	found, err := f.c.Users.SearchByEmail(context.Background(), strings.ToUpper(u.Email))
	if err != nil || len(found) != 1 || found[0].ID != u.ID {
		t.Fatalf("search: %+v %v", found, err)
	}
}

func TestFakeConversationAttributesAndCall(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	agent := f.s.AddUser(genesystest.User{Name: "Ann", Email: "ann@example.com"})
	conv := f.s.AddConversation(genesystest.Conversation{Participants: []genesystest.Participant{
		{Purpose: "customer", ANI: "tel:+3225551234", Attributes: map[string]string{"PartyId": "P-1"},
			Calls: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
		{Purpose: "agent", UserID: agent.ID, Calls: []genesystest.Media{{State: "connected", Direction: "inbound"}}},
	}})
	got, err := f.c.Conversations.Get(ctx, conv.ID)
	if err != nil {
		t.Fatal(err)
	}
	cust := got.Participants[0]
	if cust.Purpose != "customer" || cust.Attributes["PartyId"] != "P-1" || cust.Ani != "tel:+3225551234" {
		t.Fatalf("customer = %+v", cust)
	}
	if err := f.c.Conversations.PatchParticipantAttributes(ctx, conv.ID, cust.ID, map[string]string{"CaseId": "C-7"}); err != nil {
		t.Fatal(err)
	}
	stored, _ := f.s.Conversation(conv.ID)
	if stored.Participants[0].Attributes["CaseId"] != "C-7" {
		t.Fatalf("attributes at the fake = %v", stored.Participants[0].Attributes)
	}
	id, err := f.c.WithToken(f.s.UserToken(agent.ID)).Conversations.CreateCall(ctx, &genesys.CreateCallRequest{PhoneNumber: "+3225550000"})
	if err != nil || id == "" {
		t.Fatalf("CreateCall = %q, %v", id, err)
	}
	if _, ok := f.s.Conversation(id); !ok {
		t.Fatalf("call %s not at the fake", id)
	}
}

func TestFakePKCELogin(t *testing.T) {
	f := newFixture(t, nil)
	const redirect = "https://dcm.example/dcm-connect-docs/index.html"
	f.s.AddClient(genesystest.Client{ID: "browser", GrantType: genesystest.GrantCode, RedirectURIs: []string{redirect}})
	ann := f.s.AddUser(genesystest.User{Name: "Ann", Email: "ann@example.com"})
	verifier := "a-verifier-of-enough-length-for-pkce-0123456789"
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.PostForm(f.s.URL()+"/oauth/authorize", url.Values{
		"client_id": {"browser"}, "response_type": {"code"}, "redirect_uri": {redirect},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "user_id": {ann.ID},
	})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("redirect = %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	code := loc.Query().Get("code")
	if _, err := f.c.Tokens.ExchangePKCE(context.Background(), "browser", code, "wrong-verifier", redirect); err == nil {
		t.Fatal("a wrong verifier was accepted")
	}
	// The failed attempt may have burnt the code; log in again for a fresh one.
	resp, _ = noFollow.PostForm(f.s.URL()+"/oauth/authorize", url.Values{
		"client_id": {"browser"}, "response_type": {"code"}, "redirect_uri": {redirect},
		"code_challenge": {challenge}, "code_challenge_method": {"S256"}, "user_id": {ann.ID},
	})
	resp.Body.Close()
	loc, _ = url.Parse(resp.Header.Get("Location"))
	tok, err := f.c.Tokens.ExchangePKCE(context.Background(), "browser", loc.Query().Get("code"), verifier, redirect)
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("exchange: %v", err)
	}
	v, err := f.c.VerifyUserToken(context.Background(), tok.AccessToken)
	if err != nil || v.ID != ann.ID {
		t.Fatalf("verify the exchanged token: %+v %v", v, err)
	}
}

func TestFakeAnalyticsAndInstallerCalls(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	start := f.clock.Now().Add(-time.Hour)
	for i := range 3 {
		f.s.AddConversation(genesystest.Conversation{StartTime: start.Add(time.Duration(i) * time.Minute), Participants: []genesystest.Participant{
			{Purpose: "customer", ANI: "tel:+3225551234", Calls: []genesystest.Media{{State: "disconnected", Direction: "inbound"}}},
		}})
	}
	interval := start.Add(-time.Minute).Format("2006-01-02T15:04:05.000Z") + "/" + f.clock.Now().Format("2006-01-02T15:04:05.000Z")
	convs, err := f.c.Analytics.QueryAllConversationDetails(ctx, &genesys.ConversationQuery{Interval: interval, Paging: &genesys.PagingSpec{PageSize: 2}})
	if err != nil || len(convs) != 3 {
		t.Fatalf("analytics: %d conversations, %v", len(convs), err)
	}

	in, err := f.c.Integrations.Create(ctx, "DCM Connect", "embedded-client-app")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := f.c.Integrations.GetConfig(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Properties = map[string]any{"url": "https://dcm.example/dcm-connect-docs/index.html", "displayType": "widget"}
	if _, err := f.c.Integrations.PutConfig(ctx, in.ID, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Integrations.Patch(ctx, in.ID, &genesys.Integration{IntendedState: "ENABLED"}); err != nil {
		t.Fatal(err)
	}
	all, err := f.c.Integrations.ListAll(ctx, nil)
	if err != nil || len(all) == 0 {
		t.Fatalf("integrations: %v %v", all, err)
	}
	types, err := f.c.Integrations.ListAllTypes(ctx)
	if err != nil || len(types) == 0 {
		t.Fatalf("types: %v %v", types, err)
	}
	roles, err := f.c.Authorization.ListRoles(ctx, &genesys.RoleListOptions{Name: "employee"})
	if err != nil || len(roles.Entities) != 1 {
		t.Fatalf("roles: %+v %v", roles, err)
	}
	oc, err := f.c.OAuthClients.Create(ctx, &genesys.OAuthClient{Name: "DCM background", AuthorizedGrantType: "CLIENT-CREDENTIALS", RoleIDs: []string{roles.Entities[0].ID}})
	if err != nil || oc.Secret == "" {
		t.Fatalf("oauth client: %v %v", oc, err)
	}
	g, err := f.c.Groups.Create(ctx, &genesys.Group{Name: "DCM_Agents"})
	if err != nil {
		t.Fatal(err)
	}
	found, err := f.c.Groups.Search(ctx, "DCM_")
	if err != nil || len(found) != 1 || found[0].ID != g.ID {
		t.Fatalf("group search: %+v %v", found, err)
	}
	if err := f.c.Integrations.Delete(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Integrations.Get(ctx, in.ID); !errors.Is(err, genesys.ErrNotFound) {
		t.Fatalf("deleted integration: %v", err)
	}
}

// With the platform's per-token limit enforced by the fake and our own
// bucket set far above it, the client waits out the window Genesys reports
// instead of spending requests on 429s.
func TestFakeReportedWindowIsWaitedOutWithoutA429(t *testing.T) {
	var f *fixture
	f = newFixture(t, func(o *genesys.Options) {
		o.RequestsPerMinute = 6000
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			f.w.Sleep(ctx, d)
			f.clock.Advance(d)
			return ctx.Err()
		}
	}, genesystest.WithTokenRateLimit(5))
	for i := range 12 {
		if _, err := f.c.Organizations.Me(context.Background()); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := f.s.Throttled(); n != 0 {
		t.Fatalf("the fake refused %d requests with 429; the client should have waited for the window", n)
	}
	var total time.Duration
	for _, d := range f.w.all() {
		total += d
	}
	// 12 requests at 5 a minute span two window ends; the first minute's
	// token request is not an API request.
	if total < time.Minute || total > 2*time.Minute+2*time.Second {
		t.Fatalf("waited %v in all (%v); want about two windows", total, f.w.all())
	}
}

// A client-credentials token sent as a user's bearer names no person:
// users/me answers 400, and the verification refuses it as unauthorized,
// remembered so a replay costs Genesys nothing.
func TestFakeClientCredentialsTokenIsNotAUser(t *testing.T) {
	f := newFixture(t, nil)
	req, _ := http.NewRequest("POST", f.s.URL()+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.SetBasicAuth(bgID, bgSecret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil || tok.AccessToken == "" {
		t.Fatalf("client-credentials token: %v %+v", err, tok)
	}
	for range 2 {
		_, err := f.c.VerifyUserToken(context.Background(), "Bearer "+tok.AccessToken)
		if !errors.Is(err, genesys.ErrUnauthorized) || !strings.Contains(err.Error(), "no user") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), tok.AccessToken) {
			t.Fatal("the error names the token")
		}
	}
	if n := f.s.Requests("GET /api/v2/users/me"); n != 1 {
		t.Fatalf("users/me calls = %d, want 1 (the refusal is remembered)", n)
	}
}
