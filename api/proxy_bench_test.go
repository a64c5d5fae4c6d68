package api_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/usermap"
)

// cannedAppBase answers login with a token and every rule call with reply,
// at no cost of its own, so a benchmark in front of it measures the proxy.
func cannedAppBase(b *testing.B, reply []byte) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		if strings.Contains(r.URL.Path, "/AuthenticationServiceRest.svc/") {
			_, _ = w.Write([]byte(`"canned-token"`))
			return
		}
		_, _ = w.Write(reply)
	}))
	b.Cleanup(s.Close)
	return s
}

// findPartiesReply is the fake's FINDPARTIES answer for one party, as the
// wire carries it.
func findPartiesReply(b *testing.B) (reply []byte, rulePath string, ruleBody []byte, rule string) {
	fake := appbasetest.NewServerT(b)
	fake.AddParty(appbasetest.Party{ID: "P-1", Name: "Alice Customer", Phone: "+14155550101", Email: "alice@example.com"})
	resp, err := http.Get(fake.URL() + "/Security.WebService/AuthenticationServiceRest.svc/login?" +
		url.Values{"u": {fake.User()}, "p": {fake.Password()}}.Encode())
	if err != nil {
		b.Fatal(err)
	}
	var tok string
	err = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	if err != nil {
		b.Fatal(err)
	}
	rule = fake.RuleName(appbase.OpFindParties)
	rulePath = "/BDS.WebService/DataServiceRest.svc/post.json/" + url.PathEscape(fake.Domain()) + "/" + rule
	ruleBody = []byte(`{"Parameters":[{"Name":"PHONE","Value":"+14155550101"}]}`)
	resp, err = http.Post(fake.URL()+rulePath+"?t="+url.QueryEscape(tok), "application/json", bytes.NewReader(ruleBody))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	if reply, err = io.ReadAll(resp.Body); err != nil || resp.StatusCode != 200 || !bytes.Contains(reply, []byte("P-1")) {
		b.Fatalf("fake FINDPARTIES: %d %s %v", resp.StatusCode, reply, err)
	}
	return reply, rulePath + "?t=canned-token", ruleBody, rule
}

// BenchmarkRuleProxy sets DCMServices ExecuteRule (as `dcmconnect serve`
// wires it: Genesys verifier with its cache, user map, allowlist, appbase
// client, access log to a file) beside a bare httputil.ReverseProxy, both
// in front of one canned AppBase (no latency, no work of its own) and
// called over loopback by 32 concurrent clients, in alternating blocks.
// x-reverseproxy is dcmconnect's median block throughput over the bare
// proxy's (goal ≥ 0.9); us/req are the median blocks' wall time per request.
func BenchmarkRuleProxy(b *testing.B) {
	reply, rulePath, ruleBody, rule := findPartiesReply(b)
	up := cannedAppBase(b, reply)

	g := genesystest.NewServerT(b)
	const agent = "a0000000-0000-4000-8000-000000000001"
	g.AddClient(genesystest.Client{ID: "cc", Secret: "cc-secret"})
	g.AddUser(genesystest.User{ID: agent, Name: "Ann Agent", Email: "ann@example.com"})
	quiet := slog.New(slog.DiscardHandler)
	gc, err := genesys.New(genesys.Options{APIURL: g.URL(), LoginURL: g.URL(), ClientID: "cc", ClientSecret: "cc-secret", Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	ab, err := appbase.New(appbase.Options{URL: up.URL, Domain: "DCM_Production.tenant1", User: "u", Password: "p", Logger: quiet})
	if err != nil {
		b.Fatal(err)
	}
	users := usermap.NewStore(usermap.StoreOptions{})
	users.Replace(usermap.Build([]usermap.GenesysUser{{ID: agent, Email: "ann@example.com"}},
		[]usermap.SJUser{{ID: "101", Name: "Ann Agent", Email: "ann@example.com"}}))
	logFile, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { logFile.Close() })
	srv, err := api.New(api.Options{Verifier: api.GenesysVerifier{Client: gc},
		Methods:   api.CoreMethods(ab, api.StoreMapper{Store: users}, []string{rule}, api.Supervisors{}),
		AccessLog: logFile, Logger: slog.New(slog.NewJSONHandler(logFile, nil))})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(srv.Close)
	dcm := httptest.NewServer(srv.Handler())
	b.Cleanup(dcm.Close)

	target, _ := url.Parse(up.URL)
	rp := httputil.NewSingleHostReverseProxy(target)
	rtr := http.DefaultTransport.(*http.Transport).Clone()
	rtr.MaxIdleConnsPerHost = 64
	rp.Transport = rtr
	bare := httptest.NewServer(rp)
	b.Cleanup(bare.Close)

	ctr := http.DefaultTransport.(*http.Transport).Clone()
	ctr.MaxIdleConnsPerHost = 64
	client := &http.Client{Transport: ctr, Timeout: 10 * time.Second}
	token := g.UserToken(agent)
	call, _ := json.Marshal(map[string]any{"rule": rule, "parameters": map[string]string{"PHONE": "+14155550101"}})
	toDCM := func() *http.Request {
		req, _ := http.NewRequest("POST", dcm.URL+"/dcm-connect-service/DCMServices.asmx/ExecuteRule", bytes.NewReader(call))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		return req
	}
	toBare := func() *http.Request {
		req, _ := http.NewRequest("POST", bare.URL+rulePath, bytes.NewReader(ruleBody))
		req.Header.Set("Content-Type", "application/json")
		return req
	}
	do := func(req *http.Request) error {
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err == nil && (resp.StatusCode != 200 || !bytes.Contains(body, []byte("P-1"))) {
			return &api.Error{Status: resp.StatusCode, Message: string(body)}
		}
		return err
	}
	for _, mk := range []func() *http.Request{toDCM, toBare} {
		if err := do(mk()); err != nil {
			b.Fatal(err)
		}
	}
	const workers, perWorker = 32, 8
	block := func(mk func() *http.Request) time.Duration {
		start := time.Now()
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for range workers {
			wg.Go(func() {
				for range perWorker {
					if err := do(mk()); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		wg.Wait()
		took := time.Since(start)
		close(errs)
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
		return took
	}
	var dcmTook, bareTook []time.Duration
	for b.Loop() {
		dcmTook = append(dcmTook, block(toDCM))
		bareTook = append(bareTook, block(toBare))
	}
	slices.Sort(dcmTook)
	slices.Sort(bareTook)
	d, r := dcmTook[len(dcmTook)/2], bareTook[len(bareTook)/2]
	const n = workers * perWorker
	b.ReportMetric(float64(d.Microseconds())/n, "dcm-us/req")
	b.ReportMetric(float64(r.Microseconds())/n, "bare-us/req")
	b.ReportMetric(float64(r)/float64(d), "x-reverseproxy")
}
