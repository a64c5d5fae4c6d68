package api

import (
	"log/slog"
	"net/http/httptest"
	"os"
	"testing"
)

// BenchmarkServeIndexLogged serves index.html through the whole middleware
// chain with the access log on, written to a real file (/dev/null), as in
// production: the log's encoding and its writes are part of the cost.
func BenchmarkServeIndexLogged(b *testing.B) {
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
	h := s.Handler()
	etag := do(b, h, "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	for _, bc := range []struct {
		name string
		hdr  map[string]string
	}{{"full", nil}, {"gzip", map[string]string{"Accept-Encoding": "gzip"}}, {"if-none-match", map[string]string{"If-None-Match": etag}}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest("GET", "/dcm-connect-docs/index.html", nil)
			for k, v := range bc.hdr {
				req.Header.Set(k, v)
			}
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					w := httptest.NewRecorder()
					h.ServeHTTP(w, req)
					if w.Code != 200 && w.Code != 304 {
						b.Fatal(w.Code)
					}
				}
			})
		})
	}
}
