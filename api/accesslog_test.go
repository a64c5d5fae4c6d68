package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// lockedBuffer is an io.Writer that records each Write separately.
type lockedBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	writes []int
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes = append(b.writes, len(p))
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSuffix(b.buf.String(), "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("not a JSON line: %q: %v", l, err)
		}
		out = append(out, m)
	}
	return out
}

// The batched access log writes the same fields as the slog line it
// replaces, and after Close every request has exactly one line.
func TestBatchedAccessLogLosesNothingAndMatchesSlog(t *testing.T) {
	var viaSlog, batched lockedBuffer
	plain, _ := newTestServer(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&viaSlog, nil)) })
	fast, _ := newTestServer(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&lockedBuffer{}, nil))
		o.AccessLog = &batched
	})
	path := "/dcm-connect-docs/index.html?code=secret-pkce-code"
	hdr := map[string]string{requestIDHeader: "req-1"}
	do(t, plain.Handler(), "GET", path, "", hdr)
	do(t, fast.Handler(), "GET", path, "", hdr)

	const n = 500
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req := httptest.NewRequest("GET", fmt.Sprintf("/dcm-connect-docs/nope-%d", i), nil)
			fast.Handler().ServeHTTP(httptest.NewRecorder(), req)
		})
	}
	wg.Wait()
	fast.Close()

	want, got := viaSlog.lines(t), batched.lines(t)
	if len(want) != 1 || len(got) != n+1 {
		t.Fatalf("lines: slog %d, batched %d; want 1 and %d", len(want), len(got), n+1)
	}
	for k, v := range want[0] {
		if k == "time" || k == "duration_ms" {
			if _, ok := got[0][k]; !ok {
				t.Errorf("batched line has no %q", k)
			}
			continue
		}
		if got[0][k] != v {
			t.Errorf("%s: batched %v, slog %v", k, got[0][k], v)
		}
	}
	if len(got[0]) != len(want[0]) {
		t.Errorf("fields: batched %v, slog %v", got[0], want[0])
	}
	if strings.Contains(batched.buf.String(), "secret-pkce-code") {
		t.Fatal("the query string reached the access log")
	}
	ids := map[any]bool{}
	for _, l := range got[1:] {
		if l["status"] != float64(404) || l["route"] != "/dcm-connect-docs/*filepath" {
			t.Fatalf("line %v", l)
		}
		ids[l["request_id"]] = true
	}
	if len(ids) != n {
		t.Fatalf("%d distinct request ids for %d requests", len(ids), n)
	}
	for _, w := range batched.writes {
		if w > writeChunk {
			t.Fatalf("a write of %d bytes, above %d", w, writeChunk)
		}
	}
	// After Close lines are written at once.
	do(t, fast.Handler(), "GET", "/healthz", "", nil)
	if l := batched.lines(t); len(l) != n+2 {
		t.Fatalf("after Close: %d lines, want %d", len(l), n+2)
	}
}

// A logger above info writes no access line for a 2xx or 4xx.
func TestBatchedAccessLogFollowsTheLogLevel(t *testing.T) {
	var out lockedBuffer
	s, _ := newTestServer(t, func(o *Options) {
		o.Logger = slog.New(slog.NewJSONHandler(&lockedBuffer{}, &slog.HandlerOptions{Level: slog.LevelWarn}))
		o.AccessLog = &out
	})
	do(t, s.Handler(), "GET", "/healthz", "", nil)
	do(t, s.Handler(), "POST", "/dcm-connect-service/DCMServices.asmx/Boom", `{}`, map[string]string{"Authorization": "Bearer good", "Content-Type": "application/json"})
	s.Close()
	got := out.lines(t)
	if len(got) != 1 || got[0]["level"] != "ERROR" || got[0]["status"] != float64(500) {
		t.Fatalf("lines at warn: %v", got)
	}
}

// writeLines cuts only at line ends.
func TestWriteLinesKeepsLinesWhole(t *testing.T) {
	var b bytes.Buffer
	for i := range 300 {
		fmt.Fprintf(&b, "line %d %s\n", i, strings.Repeat("x", i%97))
	}
	long := strings.Repeat("y", 3*writeChunk) + "\n"
	b.WriteString(long)
	var out lockedBuffer
	writeLines(&out, b.Bytes())
	if out.buf.String() != b.String() {
		t.Fatal("the lines changed")
	}
	off := 0
	for _, n := range out.writes {
		chunk := b.Bytes()[off : off+n]
		if chunk[len(chunk)-1] != '\n' || (n > writeChunk && string(chunk) != long) {
			t.Fatalf("write of %d bytes at %d is not whole lines within %d", n, off, writeChunk)
		}
		off += n
	}
}

// FuzzAccessLogString: any path encodes to a JSON string that decodes back
// to it (invalid UTF-8 as U+FFFD).
func FuzzAccessLogString(f *testing.F) {
	for _, s := range []string{"/dcm-connect-docs/index.html", "a\"b\\c", "\x00\x1f\x7f", "\xff\xfe", "ü€😀", "\u2028", "\n\r\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("%q encodes to invalid JSON %s: %v", s, b, err)
		}
		if want := string([]rune(s)); got != want { // each invalid byte becomes U+FFFD
			t.Fatalf("%q came back as %q", s, got)
		}
	})
}

// TestPlainJSONPrefixStopsAtTheFirstWordToEscape: for every byte value at
// every place of a 27-byte string otherwise plain, the plain prefix ends at
// the word holding that byte exactly when appendJSONString's loop would
// escape or decode it, and an access line's string comes out as the loop
// alone writes it.
func TestPlainJSONPrefixStopsAtTheFirstWordToEscape(t *testing.T) {
	plain := func(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf }
	base := []byte("/dcm-connect-docs/*filepath") // three words and a tail
	for c := range 256 {
		for at := range base {
			s := []byte(string(base))
			s[at] = byte(c)
			want := len(s)
			if !plain(byte(c)) {
				want = at / 8 * 8
			}
			if got := plainJSONPrefix(string(s)); got != want {
				t.Fatalf("byte %#x at %d: plain prefix %d, want %d", c, at, got, want)
			}
		}
	}
	// The first word to escape ends it, whatever follows.
	if got := plainJSONPrefix("01234567012\"4567\x00123456701234567"); got != 8 {
		t.Fatalf("two words to escape: plain prefix %d, want 8", got)
	}
	if got := plainJSONPrefix("0123456"); got != 0 {
		t.Fatalf("shorter than a word: plain prefix %d, want 0 (the loop checks it)", got)
	}
	if got := plainJSONPrefix("/dcm-connect-docs/*filepath"); got != 27 {
		t.Fatalf("a plain string: plain prefix %d, want all 27 bytes", got)
	}
}
