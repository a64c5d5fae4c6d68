// Command dcmserver serves dcmconnect's pages, and with -upstream its
// DCMServices ExecuteRule, through the same api.Server and api.Serve as
// `dcmconnect serve` (the same garbage-collection policy, middleware chain, batched access log, precomputed gzip
// bodies, ETag, the Genesys token verifier, the user map, the appbase
// client), so bench/compare.sh can set it beside nginx and a bare reverse
// proxy. Loopback only.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"time"

	"dcmconnect/api"
	"dcmconnect/appbase"
	"dcmconnect/genesys"
	"dcmconnect/genesys/genesystest"
	"dcmconnect/internal/gcheadroom"
	"dcmconnect/usermap"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to serve on")
	accessLog := flag.String("access-log", os.DevNull, "file the access log is appended to")
	cpuProfile := flag.String("cpuprofile", "", "file a CPU profile of the whole run is written to (go tool pprof)")
	memProfile := flag.String("memprofile", "", "file a heap profile (allocations since start: go tool pprof -sample_index=alloc_objects) is written to on exit")
	upstream := flag.String("upstream", "", "directory bench/fakeappbase wrote its details into; serves ExecuteRule against it and writes token and rulebody.json (what a page sends) there")
	flag.Parse()
	// The collector policy `dcmconnect` starts with (cmd/dcmconnect main).
	gc := gcheadroom.Start(os.Getenv, gcheadroom.DefaultHeadroom)
	fmt.Println("gc policy:", gc)
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "dcmserver: -cpuprofile:", err)
			os.Exit(1)
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer writeHeapProfile(*memProfile)
	}
	if err := run(*listen, *accessLog, *upstream); err != nil {
		fmt.Fprintln(os.Stderr, "dcmserver:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func writeHeapProfile(file string) {
	f, err := os.Create(file)
	if err == nil {
		err = pprof.Lookup("allocs").WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "dcmserver: -memprofile:", err)
	}
}

func run(listen, accessLog, upstream string) error {
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: give a loopback address such as 127.0.0.1:8090", listen)
	}
	out, err := os.OpenFile(accessLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return fmt.Errorf("-access-log: %w", err)
	}
	defer out.Close()
	// Info: the access log is written only when the logger takes info lines.
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	opts := api.Options{
		AppsOrigin: "https://apps.mypurecloud.com",
		PageConfig: api.PageConfig{Environment: "mypurecloud.com", BrowserClientID: "bench"},
		AccessLog:  out,
		Logger:     log,
	}
	if upstream != "" {
		stop, err := ruleMethods(&opts, upstream, log)
		if err != nil {
			return fmt.Errorf("-upstream: %w", err)
		}
		defer stop()
	}
	srv, err := api.New(opts)
	if err != nil {
		return err
	}
	defer srv.Close() // flushes the access log
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	fmt.Println("listening on", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return api.Serve(ctx, ln, srv.Handler(), api.Timeouts{Read: 10 * time.Second, Write: 10 * time.Second, Idle: time.Minute, Shutdown: 5 * time.Second}, log)
}

// fakeClient is bench/fakeappbase's client.json.
type fakeClient struct {
	URL, Domain, User, Password, IntegrationCode, Profile string
	Rule, Phone                                           string
}

// ruleMethods adds ExecuteRule as `dcmconnect serve` wires it: the appbase
// client against the fake in dir, the Genesys verifier (its verifications
// cached, as for a page that calls again) against an in-process Genesys
// fake that only ever answers the first call of the token, and a user map
// in which the caller is linked. It writes dir/token and dir/call.json
// (the bearer and the body a page sends).
func ruleMethods(opts *api.Options, dir string, log *slog.Logger) (stop func(), err error) {
	raw, err := os.ReadFile(filepath.Join(dir, "client.json"))
	if err != nil {
		return nil, err
	}
	var fc fakeClient
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, fmt.Errorf("%s/client.json: %w", dir, err)
	}
	ab, err := appbase.New(appbase.Options{URL: fc.URL, Domain: fc.Domain, User: fc.User, Password: fc.Password,
		IntegrationCode: fc.IntegrationCode, Profile: fc.Profile, Logger: log})
	if err != nil {
		return nil, err
	}
	g := genesystest.NewServer()
	const agent = "a0000000-0000-4000-8000-000000000001"
	g.AddClient(genesystest.Client{ID: "cc", Secret: "cc-secret"})
	g.AddUser(genesystest.User{ID: agent, Name: "Ann Agent", Email: "ann@example.com"})
	gc, err := genesys.New(genesys.Options{APIURL: g.URL(), LoginURL: g.URL(), ClientID: "cc", ClientSecret: "cc-secret", Logger: log})
	if err != nil {
		g.Close()
		return nil, err
	}
	users := usermap.NewStore(usermap.StoreOptions{})
	users.Replace(usermap.Build([]usermap.GenesysUser{{ID: agent, Email: "ann@example.com"}},
		[]usermap.SJUser{{ID: "101", Name: "Ann Agent", Email: "ann@example.com"}}))
	opts.Verifier = api.GenesysVerifier{Client: gc}
	opts.Methods = api.CoreMethods(ab, api.StoreMapper{Store: users}, []string{fc.Rule}, api.Supervisors{})
	call, _ := json.Marshal(map[string]any{"rule": fc.Rule, "parameters": map[string]string{"PHONE": fc.Phone}})
	if err := os.WriteFile(filepath.Join(dir, "call.json"), call, 0o644); err != nil {
		g.Close()
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "token"), []byte(g.UserToken(agent)), 0o600); err != nil {
		g.Close()
		return nil, err
	}
	return g.Close, nil
}
