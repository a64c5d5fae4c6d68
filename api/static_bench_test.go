package api

import (
	"log/slog"
	"os"
	"testing"
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
