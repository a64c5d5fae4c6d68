package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Every page and asset goes out with its own length (not chunked), full or
// gzipped, on GET and HEAD; a 304 has no body; the headers of one response
// do not leak into the next.
func TestStaticFilesCarryTheirLength(t *testing.T) {
	s, _ := newTestServer(t, nil)
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	get := func(method, path string, hdr ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, b
	}
	for _, p := range []string{"/dcm-connect-docs/index.html", "/dcm-connect-docs/assets/dcm.js", "/dcm-connect-docs/assets/app.css"} {
		for _, enc := range []string{"", "gzip"} {
			resp, body := get("GET", p, "Accept-Encoding", enc)
			if resp.StatusCode != 200 || len(resp.TransferEncoding) != 0 || resp.ContentLength != int64(len(body)) || len(body) == 0 {
				t.Fatalf("GET %s (%q): %d, transfer %v, length %d, body %d bytes", p, enc, resp.StatusCode, resp.TransferEncoding, resp.ContentLength, len(body))
			}
			if got := resp.Header.Get("Content-Encoding"); got != enc {
				t.Fatalf("GET %s (%q): Content-Encoding %q", p, enc, got)
			}
			if v := resp.Header.Values("Vary"); len(v) != 1 || v[0] != "Accept-Encoding" {
				t.Fatalf("GET %s: Vary %q", p, v)
			}
			head, hbody := get("HEAD", p, "Accept-Encoding", enc)
			if head.StatusCode != 200 || len(hbody) != 0 || head.ContentLength != int64(len(body)) || head.Header.Get("ETag") != resp.Header.Get("ETag") {
				t.Fatalf("HEAD %s (%q): %d, length %d (GET %d), body %d", p, enc, head.StatusCode, head.ContentLength, len(body), len(hbody))
			}
			nm, nbody := get("GET", p, "Accept-Encoding", enc, "If-None-Match", resp.Header.Get("ETag"))
			if nm.StatusCode != http.StatusNotModified || len(nbody) != 0 || nm.Header.Get("ETag") != resp.Header.Get("ETag") {
				t.Fatalf("If-None-Match %s: %d, %d bytes", p, nm.StatusCode, len(nbody))
			}
		}
	}
	if resp, _ := get("GET", "/dcm-connect-docs/nope.html"); resp.StatusCode != 404 || resp.Header.Get("ETag") != "" {
		t.Fatalf("404: %d, ETag %q", resp.StatusCode, resp.Header.Get("ETag"))
	}
}
