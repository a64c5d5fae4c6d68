package main

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"dcmconnect/config"
)

// With server.metricsListen set, /metrics answers on its own address and
// not on the public one; the pages stay on the public one.
func TestMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	ml, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := newTestDemo(t, demoOptions{Edit: func(c *config.Config) { c.Server.MetricsListen = ml.Addr().String() }})
	d.app.metricsLn = ml
	serveTestDemo(t, d)
	get := func(u string) (int, string) {
		t.Helper()
		resp, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("http://" + ml.Addr().String() + "/metrics"); code != 200 || !strings.Contains(body, "dcmconnect_http_requests_total") {
		t.Fatalf("metrics listener: %d %.200s", code, body)
	}
	if code, _ := get(d.PublicURL + "/metrics"); code != http.StatusNotFound {
		t.Fatalf("public /metrics = %d, want 404 with server.metricsListen set", code)
	}
	if code, _ := get(d.PublicURL + "/dcm-connect-docs/index.html"); code != 200 {
		t.Fatalf("pages on the public listener = %d", code)
	}
}
