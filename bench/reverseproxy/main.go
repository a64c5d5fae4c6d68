// Command reverseproxy is the bare-Go anchor of bench/compare.sh: an
// httputil.ReverseProxy in front of one upstream, with nothing else (no
// middleware, no log, no decoding), on a transport that keeps as many idle
// upstream connections as dcmconnect's appbase client (64). Loopback only.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"time"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to serve on")
	upstream := flag.String("upstream", "", "base URL to proxy to, e.g. http://127.0.0.1:8091")
	flag.Parse()
	if err := run(*listen, *upstream); err != nil {
		fmt.Fprintln(os.Stderr, "reverseproxy:", err)
		os.Exit(1)
	}
}

func run(listen, upstream string) error {
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: give a loopback address such as 127.0.0.1:8092", listen)
	}
	u, err := url.Parse(upstream)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return fmt.Errorf("-upstream %q: give the upstream's base URL, such as http://127.0.0.1:8091", upstream)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	p := httputil.NewSingleHostReverseProxy(u)
	p.Transport = tr
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	fmt.Println("listening on", ln.Addr())
	srv := &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}
