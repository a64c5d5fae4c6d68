// Command staticserver serves dcmconnect's pages through the same api.Server
// and api.Serve as `dcmconnect serve` (middleware chain, batched access log,
// precomputed gzip bodies, ETag), without any upstream, so bench/compare.sh
// can set it beside nginx. Loopback only.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"dcmconnect/api"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to serve on")
	accessLog := flag.String("access-log", os.DevNull, "file the access log is appended to")
	flag.Parse()
	if err := run(*listen, *accessLog); err != nil {
		fmt.Fprintln(os.Stderr, "staticserver:", err)
		os.Exit(1)
	}
}

func run(listen, accessLog string) error {
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
	srv, err := api.New(api.Options{
		AppsOrigin: "https://apps.mypurecloud.com",
		PageConfig: api.PageConfig{Environment: "mypurecloud.com", BrowserClientID: "bench"},
		AccessLog:  out,
		Logger:     log,
	})
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
