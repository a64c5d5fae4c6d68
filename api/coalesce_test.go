package api

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"dcmconnect/web"
)

// countingListener counts the writes of the connections it accepts.
type countingListener struct {
	net.Listener
	writes *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// Through Serve a page leaves in one write, whole: full (4.7 KB with its
// header, past net/http's 4 KiB buffer), gzip, 304 and HEAD; an asset
// larger than a connection holds and gin's answers arrive whole as before.
func TestStaticAnswerLeavesInOneWrite(t *testing.T) {
	s, _ := newTestServer(t, nil)
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var writes atomic.Int64
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, countingListener{tcp, &writes}, s.Handler(), Timeouts{Read: 5 * time.Second, Write: 5 * time.Second, Idle: 5 * time.Second, Shutdown: 5 * time.Second}, slog.New(slog.DiscardHandler))
	}()
	defer func() {
		cancel()
		if err := <-served; err != nil {
			t.Error(err)
		}
	}()
	conn, err := net.Dial("tcp", tcp.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	br := bufio.NewReader(conn)
	page, _ := io.ReadAll(must(web.Docs().Open("index.html")))
	big, _ := io.ReadAll(must(web.Docs().Open("vendor/genesys-spark-tokens.css")))
	small, _ := io.ReadAll(must(web.Docs().Open("assets/icon.svg")))
	if len(small) > fitsNetHTTPBuffer {
		t.Fatalf("the small asset (%d bytes) is not small (%d)", len(small), fitsNetHTTPBuffer)
	}
	longID := "X-Request-Id: " + strings.Repeat("r", 64) + "\r\n"
	if len(big) <= maxHeld {
		t.Fatalf("the big asset (%d bytes) fits what a connection holds (%d)", len(big), maxHeld)
	}
	etag := do(t, s.Handler(), "GET", "/dcm-connect-docs/index.html", "", nil).Header().Get("ETag")
	for _, tc := range []struct {
		name, method, path, hdr string
		status                  int
		body                    []byte
		gzipped                 bool
		oneWrite                bool
	}{
		{"full", "GET", "/dcm-connect-docs/index.html", "", 200, page, false, true},
		{"gzip", "GET", "/dcm-connect-docs/index.html", "Accept-Encoding: gzip\r\n", 200, page, true, true},
		{"304", "GET", "/dcm-connect-docs/index.html", "If-None-Match: " + etag + "\r\n", 304, nil, false, true},
		{"HEAD", "HEAD", "/dcm-connect-docs/index.html", "", 200, nil, false, true},
		// Not held: these fit net/http's buffer with their header.
		{"small", "GET", "/dcm-connect-docs/assets/icon.svg", longID, 200, small, false, true},
		{"304 with a long caller id", "GET", "/dcm-connect-docs/index.html", "If-None-Match: " + etag + "\r\n" + longID, 304, nil, false, true},
		{"big", "GET", "/dcm-connect-docs/vendor/genesys-spark-tokens.css", "", 200, big, false, false},
		{"gin", "GET", "/healthz", "", 200, []byte(`{"status":"ok"}`), false, false},
		{"full again", "GET", "/dcm-connect-docs/index.html", "", 200, page, false, true},
	} {
		before := writes.Load()
		if _, err := io.WriteString(conn, tc.method+" "+tc.path+" HTTP/1.1\r\nHost: t\r\n"+tc.hdr+"\r\n"); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(br, &http.Request{Method: tc.method})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var body io.Reader = resp.Body
		if tc.gzipped {
			if resp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: not gzipped: %v", tc.name, resp.Header)
			}
			body = must(gzip.NewReader(resp.Body))
		}
		got, err := io.ReadAll(body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != tc.status || !bytes.Equal(bytes.TrimSpace(got), bytes.TrimSpace(tc.body)) {
			t.Fatalf("%s: %d, %d bytes (%v), want %d, %d bytes", tc.name, resp.StatusCode, len(got), err, tc.status, len(tc.body))
		}
		if n := writes.Load() - before; tc.oneWrite && n != 1 {
			t.Errorf("%s: the answer left in %d writes, want 1", tc.name, n)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// A connection holds writes only between hold and release; what passes the
// bound is written at once after what was held, in order; CloseWrite sends
// what is held before it half-closes.
func TestCoalescingConnKeepsOrder(t *testing.T) {
	client, server := tcpPair(t)
	c := &coalescingConn{Conn: server}
	read := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(client)
		read <- b
	}()
	var want bytes.Buffer
	write := func(s string) {
		t.Helper()
		if n, err := c.Write([]byte(s)); n != len(s) || err != nil {
			t.Fatalf("write of %d bytes: %d, %v", len(s), n, err)
		}
		want.WriteString(s)
	}
	write("plain ")
	c.hold()
	write("held ")
	write(strings.Repeat("a", maxHeld)) // past the bound: written with what was held
	if c.held || c.buf != nil {
		t.Fatal("still holding after passing the bound")
	}
	write(" after ")
	c.hold()
	write("held at close")
	if err := c.CloseWrite(); err != nil {
		t.Fatal(err)
	}
	if got := <-read; !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("peer read %d bytes, want %d: %.40q...", len(got), want.Len(), got)
	}
	var nilConn *coalescingConn // outside Serve the static path has none
	nilConn.hold()
	if err := nilConn.release(); err != nil {
		t.Fatal(err)
	}
}

// poolTakingConn is a connection that, before each write, has "another
// connection" take a held buffer from the pool and write into it.
type poolTakingConn struct {
	net.Conn
	got bytes.Buffer
}

func (c *poolTakingConn) Write(p []byte) (int, error) {
	b := heldBuffers.Get().(*[]byte)
	*b = append(*b, strings.Repeat("x", 256)...)
	*b = (*b)[:0] // as put leaves it
	heldBuffers.Put(b)
	return c.got.Write(p)
}

// What a connection held is written before its buffer goes back to the
// pool: a buffer put back first was taken by another connection and
// overwritten while still on its way (a corrupted gzip answer in Chromium,
// ERR_CONTENT_DECODING_FAILED, once in a dozen parallel browser test runs).
func TestCoalescingConnWritesWhatItHeldBeforeLettingGo(t *testing.T) {
	for range 20 { // the race detector's pool drops some puts
		conn := &poolTakingConn{}
		c := &coalescingConn{Conn: conn}
		c.hold()
		held := strings.Repeat("h", 300)
		past := strings.Repeat("p", maxHeld)
		if _, err := c.Write([]byte(held)); err != nil {
			t.Fatal(err)
		}
		if n, err := c.Write([]byte(past)); n != len(past) || err != nil {
			t.Fatalf("write past the bound: %d, %v", n, err)
		}
		if got := conn.got.String(); got != held+past {
			t.Fatalf("the peer got %.40q..., want %d bytes of h then p", got, len(held+past))
		}
	}
}

func tcpPair(t *testing.T) (client, server net.Conn) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := ln.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		t.Fatal("accept failed")
	}
	t.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}
