// Command barestatic is the floor for serving a page from Go: a bare
// net/http handler that answers with the very headers and bodies dcmconnect
// sent for it (full, gzip, 304), copied once at start-up from -from, and
// nothing else (no router, request id of its own, metrics or access log).
// bench/compare.sh sets dcmconnect beside it, so what is left between
// dcmconnect and nginx can be told apart from what net/http itself costs.
// Loopback only.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
)

// answer is one response as dcmconnect sent it.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "loopback address to serve on")
	from := flag.String("from", "", "the page's URL on dcmconnect (bench/dcmserver)")
	cpuProfile := flag.String("cpuprofile", "", "file a CPU profile of the run, until SIGINT or SIGTERM, is written to (go tool pprof)")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "barestatic: -cpuprofile:", err)
			os.Exit(1)
		}
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
		go func() {
			<-stop
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(0)
		}()
	}
	if err := run(*listen, *from); err != nil {
		fmt.Fprintln(os.Stderr, "barestatic:", err)
		os.Exit(1)
	}
}

func run(listen, from string) error {
	host, _, err := net.SplitHostPort(listen)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("-listen %q: give a loopback address such as 127.0.0.1:8091", listen)
	}
	full, err := fetch(from, nil)
	if err != nil {
		return err
	}
	gz, err := fetch(from, map[string]string{"Accept-Encoding": "gzip"})
	if err != nil {
		return err
	}
	etag := full.header.Get("Etag")
	notModified, err := fetch(from, map[string]string{"If-None-Match": etag})
	if err != nil {
		return err
	}
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := full
		switch {
		case r.Header.Get("If-None-Match") == etag:
			a = notModified
		case strings.Contains(r.Header.Get("Accept-Encoding"), "gzip"):
			a = gz
		}
		out := w.Header()
		for k, v := range a.header {
			out[k] = v
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	})
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	fmt.Println("listening on", ln.Addr())
	return http.Serve(ln, h)
}

func fetch(url string, hdr map[string]string) (answer, error) {
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return answer{}, fmt.Errorf("-from: %w", err)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("-from: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{}, fmt.Errorf("-from: %w", err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		return answer{}, fmt.Errorf("-from %s: %s", url, resp.Status)
	}
	h := resp.Header.Clone()
	h.Del("Date") // net/http writes its own
	if resp.ContentLength >= 0 && resp.StatusCode == http.StatusOK {
		h.Set("Content-Length", fmt.Sprint(resp.ContentLength))
	}
	return answer{status: resp.StatusCode, header: h, body: body}, nil
}
