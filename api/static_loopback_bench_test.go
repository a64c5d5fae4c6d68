//go:build unix

package api

import (
	"bufio"
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkServeIndexOverLoopback serves index.html through Serve (the
// production http.Server and its timeouts) on loopback to keep-alive
// clients, so net/http's own work per response (header clone and sort, the
// socket writes) is counted with ours; "bare" is a plain handler sending
// the very headers and body dcmconnect sent, under the same server, the
// floor for any handler. ns/op and allocs/op include the in-process
// clients' share, the same for both.
func BenchmarkServeIndexOverLoopback(b *testing.B) {
	s := newLoggedServer(b)
	dcm := serveLoopback(b, s.Handler())
	etag := do(b, s.Handler(), "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	cases := []struct{ name, hdr string }{{"full", ""}, {"gzip", "Accept-Encoding: gzip\r\n"}, {"304", "If-None-Match: " + etag + "\r\n"}}
	for _, c := range cases {
		req := []byte("GET /dcm-connect-docs/index.html HTTP/1.1\r\nHost: bench\r\n" + c.hdr + "\r\n")
		bare := serveLoopback(b, bareHandler(b, s.Handler(), req))
		for _, srv := range []struct {
			name string
			addr string
		}{{"dcm", dcm}, {"bare", bare}} {
			b.Run(c.name+"/"+srv.name, func(b *testing.B) { loopbackClients(b, srv.addr, req) })
		}
	}
}

// serveLoopback runs h through Serve on a loopback port until the benchmark ends.
func serveLoopback(b *testing.B, h http.Handler) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- Serve(ctx, ln, h, Timeouts{Read: 10 * time.Second, Write: 10 * time.Second, Idle: time.Minute, Shutdown: 5 * time.Second}, slog.New(slog.DiscardHandler))
	}()
	b.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			b.Error(err)
		}
	})
	return ln.Addr().String()
}

// bareHandler answers every request with what h answered to req.
func bareHandler(b *testing.B, h http.Handler, req []byte) http.Handler {
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(req)))
	if err != nil {
		b.Fatal(err)
	}
	r.RemoteAddr = "127.0.0.1:1"
	w := do(b, h, r.Method, r.URL.Path, "", map[string]string{"Accept-Encoding": r.Header.Get("Accept-Encoding"), "If-None-Match": r.Header.Get("If-None-Match")})
	hdr := w.Header().Clone()
	delete(hdr, "Date") // net/http writes its own
	status, body := w.Code, w.Body.Bytes()
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		out := w.Header()
		for k, v := range hdr {
			out[k] = v
		}
		w.WriteHeader(status)
		_, _ = w.Write(body)
	})
}

// loopbackClients sends req over 32 keep-alive connections and reads each
// answer to its end. cpu-ns/op is the process's CPU time (user+system) per
// request, which other load on the machine changes less than ns/op.
func loopbackClients(b *testing.B, addr string, req []byte) {
	b.SetParallelism(16)
	b.ReportAllocs()
	cpu0 := processCPU(b)
	defer func() { b.ReportMetric(float64(processCPU(b)-cpu0)/float64(b.N), "cpu-ns/op") }()
	b.RunParallel(func(pb *testing.PB) {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			b.Error(err)
			return
		}
		defer conn.Close()
		br := bufio.NewReaderSize(conn, 16<<10)
		for pb.Next() {
			if _, err := conn.Write(req); err != nil {
				b.Error(err)
				return
			}
			if err := readAnswer(br); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// processCPU is the CPU time this process has used, in nanoseconds.
func processCPU(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// readAnswer reads one 200 or 304 answer with its Content-Length body.
func readAnswer(br *bufio.Reader) error {
	line, err := br.ReadSlice('\n')
	if err != nil {
		return err
	}
	if !bytes.HasPrefix(line, []byte("HTTP/1.1 200 ")) && !bytes.HasPrefix(line, []byte("HTTP/1.1 304 ")) {
		return &net.ParseError{Type: "status line", Text: string(line)}
	}
	n := 0
	for {
		line, err = br.ReadSlice('\n')
		if err != nil {
			return err
		}
		if len(line) <= 2 {
			break
		}
		if v, ok := bytes.CutPrefix(line, []byte("Content-Length: ")); ok {
			n, _ = strconv.Atoi(string(bytes.TrimSpace(v)))
		}
	}
	_, err = br.Discard(n)
	if err == nil && n == 0 {
		return nil
	}
	return err
}
