package appbasetest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"dcmconnect/appbase/appbasetest"
)

func get(t *testing.T, u string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func post(t *testing.T, u, ctype, body string) (int, string) {
	t.Helper()
	resp, err := http.Post(u, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func login(t *testing.T, s *appbasetest.Server) string {
	t.Helper()
	status, _, body := get(t, s.URL()+"/Security.WebService/AuthenticationServiceRest.svc/login?u="+url.QueryEscape(s.User())+"&p="+url.QueryEscape(s.Password()))
	var tok string
	if status != 200 || json.Unmarshal([]byte(body), &tok) != nil || tok == "" {
		t.Fatalf("login: %d %s, want a JSON string", status, body)
	}
	return tok
}

func ruleURL(s *appbasetest.Server, cmd, op, tok string) string {
	return s.URL() + "/BDS.WebService/DataServiceRest.svc/" + cmd + "/" + s.Domain() + "/" + s.RuleName(op) + "?t=" + url.QueryEscape(tok)
}

// All three wire forms reach the same rule; the DATA key echoes the spelling used.
func TestCommands(t *testing.T) {
	s := appbasetest.NewServerT(t)
	tok := login(t, s)
	status, body := post(t, ruleURL(s, "post", "SETSYNCSTATE", tok), "application/x-www-form-urlencoded", "NAME=a&VALUE=form")
	if status != 200 || s.SyncState("a") != "form" {
		t.Fatalf("form post: %d %s", status, body)
	}
	status, body = post(t, ruleURL(s, "exec2", "SETSYNCSTATE", tok), "application/json", `{"Parameters":[{"Name":"name","Value":"a"},{"Name":"VALUE","Value":7}]}`)
	if status != 200 || s.SyncState("a") != "7" {
		t.Fatalf("exec2: %d %s", status, body)
	}
	lower := strings.Replace(ruleURL(s, "exec", "GETSYNCSTATE", tok), s.RuleName("GETSYNCSTATE"), "root_genesys_getsyncstate", 1)
	status, _, body = get(t, lower+"&NAME=a")
	want := `{"DATA":{"root_genesys_getsyncstate":{"ERRORCODE":null,"ERRORMESSAGE":null,"ITEMS":[{"NAME":"a","VALUE":"7"}],"TOTALCOUNT":1}}}`
	if status != 200 || body != want {
		t.Fatalf("exec: %d\n%s\nwant\n%s", status, body, want)
	}
	status, body = post(t, ruleURL(s, "post.json", "SETSYNCSTATE", tok), "application/json", `not json`)
	if status != 400 {
		t.Fatalf("bad JSON body: %d %s", status, body)
	}
	status, _, _ = get(t, ruleURL(s, "post.json", "SETSYNCSTATE", tok))
	if status != 405 {
		t.Fatalf("GET on post.json: %d", status)
	}
}

func TestQuirksOnTheWire(t *testing.T) {
	s := appbasetest.NewServerT(t, appbasetest.WithQuirks(true))
	s.AddUser(appbasetest.User{ID: "5", Name: "Ann", Email: ""})
	tok := login(t, s)
	_, _, body := get(t, ruleURL(s, "get.json", "GETUSERS", tok)+"&FIRST=0&LIMIT=10")
	for _, want := range []string{"\xEF\xBB\xBF{", `"TotalCount":"1"`, `"ID":"5"`, `"RN":"1"`, `"Email":null`, `"Name":"Ann"`, `"ErrorCode":null`} {
		if !strings.Contains(body, want) {
			t.Errorf("quirks body lacks %q:\n%s", want, body)
		}
	}
	_, body = post(t, ruleURL(s, "post.json", "UPSERTINTERACTION", tok), "application/json", `{"Parameters":[{"Name":"CONVERSATIONID","Value":"c"}]}`)
	if !strings.Contains(body, `"MODIFIEDDATE":new Date(`) || !strings.Contains(body, `"CREATED":"1"`) {
		t.Errorf("quirks upsert lacks new Date / string flag:\n%s", body)
	}
	s.SetQuirks(false)
	_, body = post(t, ruleURL(s, "post.json", "UPSERTINTERACTION", tok), "application/json", `{"Parameters":[{"Name":"CONVERSATIONID","Value":"c"}]}`)
	if !strings.Contains(body, `"CREATED":0`) || strings.Contains(body, "new Date") || strings.HasPrefix(body, "\xEF") {
		t.Errorf("clean upsert:\n%s", body)
	}
}

func TestTopLevelErrors(t *testing.T) {
	s := appbasetest.NewServerT(t)
	_, _, body := get(t, ruleURL(s, "get.json", "GETUSERS", "nope"))
	if !strings.Contains(body, `"ErrorCode":500`) || !strings.Contains(body, "token") {
		t.Errorf("bad token: %s", body)
	}
	tok := login(t, s)
	_, _, body = get(t, strings.Replace(ruleURL(s, "get.json", "GETUSERS", tok), s.Domain(), "Other.tenant2", 1))
	if !strings.Contains(body, `"ErrorCode":500`) || !strings.Contains(body, "Domain") {
		t.Errorf("bad domain: %s", body)
	}
	s.RemoveRule("getusers")
	_, _, body = get(t, ruleURL(s, "get.json", "GETUSERS", tok))
	if !strings.Contains(body, "not found") || s.Requests("GETUSERS") != 3 {
		t.Errorf("removed rule: %s (requests %d)", body, s.Requests("GETUSERS"))
	}
	status, _, body := get(t, s.URL()+"/Security.WebService/AuthenticationServiceRest.svc/login?u=x&p=y")
	if status != 401 || !strings.Contains(body, "ErrorMessage") {
		t.Errorf("bad login: %d %s", status, body)
	}
	if s.Logins() != 2 {
		t.Errorf("logins = %d", s.Logins())
	}
}

func TestFaultTimesAndWildcard(t *testing.T) {
	s := appbasetest.NewServerT(t)
	tok := login(t, s)
	s.Fault("*", appbasetest.Fault{HTTP500: true, Times: 2})
	u := ruleURL(s, "get.json", "GETSYNCSTATE", tok) + "&NAME=x"
	for i, want := range []int{500, 500, 200} {
		if status, _, _ := get(t, u); status != want {
			t.Fatalf("request %d: %d, want %d", i, status, want)
		}
	}
	s.Fault("GETSYNCSTATE", appbasetest.Fault{Drop: true})
	if resp, err := http.Get(u); err == nil {
		resp.Body.Close()
		t.Fatal("dropped connection answered")
	}
	s.ClearFaults()
	if status, _, _ := get(t, u); status != 200 {
		t.Fatalf("after ClearFaults: %d", status)
	}
	s.Fault("GETSYNCSTATE", appbasetest.Fault{Latency: 80 * time.Millisecond, Times: 1})
	start := time.Now()
	get(t, u)
	if el := time.Since(start); el < 80*time.Millisecond {
		t.Fatalf("latency fault took %v", el)
	}
	if s.Requests("*") < 5 {
		t.Errorf("Requests(*) = %d", s.Requests("*"))
	}
}

func TestEcxPage(t *testing.T) {
	s := appbasetest.NewServerT(t)
	s.AddParty(appbasetest.Party{ID: "77", Name: "ACME <Ltd>", Phone: "+353861234567"})
	s.FrameHeaders("SAMEORIGIN", "frame-ancestors 'self'")
	status, h, body := get(t, s.URL()+"/Ecx.Web/en-US/do/root_PARTY_DETAIL?d="+s.Domain()+"&Party_Id=77&t=secret-token")
	if status != 200 || h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("Content-Security-Policy") != "frame-ancestors 'self'" {
		t.Fatalf("status %d headers %v", status, h)
	}
	for _, want := range []string{`<h1 id="page">root_PARTY_DETAIL</h1>`, `ACME &lt;Ltd&gt;`, `data-param="Party_Id">77<`, s.Domain()} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "secret-token") {
		t.Error("page shows the token")
	}
	s.FrameHeaders("", "")
	_, h, _ = get(t, s.URL()+"/Ecx.Web/do/x")
	if h.Get("X-Frame-Options") != "" {
		t.Error("frame header sent after clearing")
	}
	if status, _, _ := get(t, s.URL()+"/Ecx.Web/nothing"); status != 404 {
		t.Errorf("unknown page path: %d", status)
	}
}

func TestStartOn(t *testing.T) {
	s := appbasetest.NewUnstartedServer(appbasetest.WithDomain("X_Production.tenant7"), appbasetest.WithCredentials("a", "b"))
	if err := s.StartOn("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.StartOn("127.0.0.1:0"); err == nil {
		t.Error("second StartOn accepted")
	}
	o := s.ClientOptions()
	if o.URL != s.URL() || o.Domain != "X_Production.tenant7" || o.User != "a" || o.Password != "b" || !strings.HasPrefix(o.URL, "http://127.0.0.1:") {
		t.Fatalf("ClientOptions = %+v", o)
	}
	login(t, s)
}

// Faults queue per target, as in genesystest: the target's own queue first,
// in order, then the wildcard's.
func TestFaultsQueueInOrder(t *testing.T) {
	s := appbasetest.NewServerT(t)
	tok := login(t, s)
	u := ruleURL(s, "get.json", "GETSYNCSTATE", tok) + "&NAME=x"
	s.Fault("*", appbasetest.Fault{TopLevelError500: true, Times: 1})
	s.Fault("getsyncstate", appbasetest.Fault{HTTP500: true, Times: 1})
	s.Fault("GETSYNCSTATE", appbasetest.Fault{HTTP500: true, Times: 1})
	for i, want := range []string{"Server Error", "Server Error", `"ErrorCode":500`, `"ITEMS"`} {
		if _, _, body := get(t, u); !strings.Contains(body, want) {
			t.Fatalf("request %d: %s, want %s", i, body, want)
		}
	}
}

type recorder struct{ fatals []string }

func (r *recorder) Helper()          {}
func (r *recorder) Cleanup(f func()) { f() } // nothing to keep running
func (r *recorder) Fatalf(f string, a ...any) {
	r.fatals = append(r.fatals, fmt.Sprintf(f, a...))
}

func TestFaultOnUnknownTarget(t *testing.T) {
	rec := &recorder{}
	appbasetest.NewServerT(rec).Fault("FINDPARTY", appbasetest.Fault{Drop: true})
	if len(rec.fatals) != 1 || !strings.Contains(rec.fatals[0], `unknown target "FINDPARTY"`) ||
		!strings.Contains(rec.fatals[0], "FINDPARTIES") {
		t.Fatalf("reported %q, want the target and the known ones", rec.fatals)
	}
	s := appbasetest.NewServer() // without a test to fail, the fake panics
	defer s.Close()
	defer func() {
		if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), `"FINDPARTY"`) {
			t.Fatalf("panic = %v, want one naming the target", p)
		}
	}()
	s.Fault("FINDPARTY", appbasetest.Fault{Drop: true})
}
