// Command fakeappbase serves the in-memory ServiceJourney fake
// (appbasetest) on loopback with a fixed latency on every request, as the
// upstream that bench/compare.sh sets dcmconnect's ExecuteRule, nginx
// proxy_pass and a bare httputil.ReverseProxy in front of. It logs in once
// itself and writes, into the -out directory, what a proxy in front needs:
// url (the base URL), rulepath (the FINDPARTIES post.json path with that
// token), rulebody.json (the AppBase parameters of that call) and
// client.json (what dcmconnect needs to reach the fake). Loopback only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

// Phone is the number the rule looks up: one party has it.
const Phone = "+14155550101"

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to serve on")
	latency := flag.Duration("latency", 0, "delay before every answer (login included)")
	out := flag.String("out", "", "directory to write url, rulepath and rulebody.json into")
	flag.Parse()
	if err := run(*listen, *latency, *out); err != nil {
		fmt.Fprintln(os.Stderr, "fakeappbase:", err)
		os.Exit(1)
	}
}

func run(listen string, latency time.Duration, out string) error {
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: give a loopback address such as 127.0.0.1:8091", listen)
	}
	if out == "" {
		return fmt.Errorf("-out: give the directory to write the upstream's details into")
	}
	s := appbasetest.NewUnstartedServer(appbasetest.WithTokenTTL(24 * time.Hour))
	s.AddUser(appbasetest.User{ID: "101", Name: "Ann Agent", Email: "ann@example.com"})
	s.AddParty(appbasetest.Party{ID: "P-1", Name: "Alice Customer", Phone: Phone, Email: "alice@example.com"})
	if latency > 0 {
		s.Fault(appbasetest.AnyTarget, appbasetest.Fault{Latency: latency})
	}
	if err := s.StartOn(listen); err != nil {
		return err
	}
	defer s.Close()

	tok, err := login(s)
	if err != nil {
		return err
	}
	// The request appbase.Client.ExecuteRaw makes for FINDPARTIES.
	rulePath := "/BDS.WebService/DataServiceRest.svc/post.json/" + url.PathEscape(s.Domain()) + "/" +
		url.PathEscape(s.RuleName(appbase.OpFindParties)) + "?t=" + url.QueryEscape(tok)
	body, _ := json.Marshal(map[string]any{"Parameters": []map[string]string{{"Name": "PHONE", "Value": Phone}}})
	// client.json: what dcmconnect needs to reach this fake (bench/dcmserver -upstream).
	o := s.ClientOptions()
	client, _ := json.Marshal(Client{URL: o.URL, Domain: o.Domain, User: o.User, Password: o.Password,
		IntegrationCode: o.IntegrationCode, Profile: o.Profile, Rule: s.RuleName(appbase.OpFindParties), Phone: Phone})
	for name, v := range map[string][]byte{"url": []byte(s.URL()), "rulepath": []byte(rulePath), "rulebody.json": body, "client.json": client} {
		if err := os.WriteFile(filepath.Join(out, name), v, 0o644); err != nil {
			return err
		}
	}
	fmt.Println("listening on", s.URL())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return nil
}

// Client is client.json: the fake's appbase.Options fields, the rule to
// run and its PHONE parameter. bench/dcmserver reads the same shape.
type Client struct {
	URL, Domain, User, Password, IntegrationCode, Profile string
	Rule, Phone                                           string
}

// login gets a system-user token with GET login?u=&p=, as the client does.
func login(s *appbasetest.Server) (string, error) {
	q := url.Values{"u": {s.User()}, "p": {s.Password()}}
	resp, err := http.Get(s.URL() + "/Security.WebService/AuthenticationServiceRest.svc/login?" + q.Encode())
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var tok string
	if err := json.Unmarshal(b, &tok); err != nil || resp.StatusCode != 200 {
		return "", fmt.Errorf("login: %d %s", resp.StatusCode, b)
	}
	return tok, nil
}
