package api

import (
	"log/slog"
	"os"
	"testing"
	"time"
)

// BenchmarkServeIndexLogged serves index.html through the whole middleware
// chain with the access log on, written to a real file (/dev/null), as in
// production: the log's encoding and its writes are part of the cost.
func BenchmarkServeIndexLogged(b *testing.B) {
	s := newLoggedServer(b)
	serveIndexCases(b, s.Handler(), true)
}

// newLoggedServer is a test server whose log and access log go to a real
// file (/dev/null), as in production; it closes when the benchmark ends.
func newLoggedServer(b *testing.B) *Server {
	out, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { out.Close() })
	s, _ := newTestServer(b, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(out, nil))
		o.AccessLog = out
	})
	b.Cleanup(func() { s.Close() })
	return s
}

// BenchmarkAccessLine encodes the access line of a page request (what every
// static answer adds to the batch).
func BenchmarkAccessLine(b *testing.B) {
	line := accessLine{time: time.Date(2026, 12, 2, 3, 4, 5, 123456789, time.UTC), level: "INFO", requestID: "1f2e3d4c00000001",
		method: "GET", path: "/dcm-connect-docs/index.html", route: docsRoute, status: 304, duration: 41 * time.Microsecond, ip: "127.0.0.1"}
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = line.appendTo(buf[:0])
	}
}
