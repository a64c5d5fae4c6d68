package api

import (
	"bytes"
	"io"
	"os"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"
)

// accessLog writes the access log's JSON lines (the same fields and format
// as the slog JSON handler's) in batches, off the request path: a request
// appends its line to a buffer, a goroutine writes the buffer out every
// flushEvery or when it passes flushAt. A buffer past maxBuffered is written
// by the request itself, so a slow log slows requests instead of losing
// lines. Close writes what is left.
type accessLog struct {
	w io.Writer
	// file: w is a regular file, which takes a batch in one write (the
	// 4 KiB chunks keep lines whole in a pipe shared with other writers).
	file bool
	mu   sync.Mutex
	buf  []byte
	wake chan struct{}
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// closed: the writer goroutine is gone; lines are written at once.
	closed bool
}

const (
	flushEvery  = 200 * time.Millisecond
	flushAt     = 32 << 10
	maxBuffered = 1 << 20
	// writeChunk keeps each write at most one pipe buffer's worth of whole
	// lines, so lines from other writers of the same pipe (the server's
	// other logs) are never cut into ours.
	writeChunk = 4096
)

func newAccessLog(w io.Writer) *accessLog {
	l := &accessLog{w: w, file: regularFile(w), wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go l.run()
	return l
}

func regularFile(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode().IsRegular()
}

// write writes whole lines: a batch at once to a file, else in chunks.
func (l *accessLog) write(b []byte) {
	if l.file && len(b) > 0 {
		_, _ = l.w.Write(b)
		return
	}
	writeLines(l.w, b)
}

func (l *accessLog) run() {
	defer close(l.done)
	t := time.NewTicker(flushEvery)
	defer t.Stop()
	var spare []byte
	for {
		select {
		case <-l.stop:
			l.mu.Lock()
			l.write(l.buf)
			l.buf = l.buf[:0]
			l.closed = true
			l.mu.Unlock()
			return
		case <-t.C:
		case <-l.wake:
		}
		l.mu.Lock()
		out := l.buf
		l.buf = spare[:0]
		l.mu.Unlock()
		l.write(out)
		spare = out
	}
}

// add appends one line (which must end in '\n').
func (l *accessLog) add(line []byte) {
	l.mu.Lock()
	if l.closed {
		l.write(line)
		l.mu.Unlock()
		return
	}
	l.buf = append(l.buf, line...)
	n := len(l.buf)
	if n >= maxBuffered {
		l.write(l.buf)
		l.buf = l.buf[:0]
	}
	l.mu.Unlock()
	if n >= flushAt {
		select {
		case l.wake <- struct{}{}:
		default:
		}
	}
}

// Close writes the lines not yet written; later lines are written at once.
func (l *accessLog) Close() {
	l.once.Do(func() { close(l.stop) })
	<-l.done
}

// writeLines writes b in chunks of whole lines of at most writeChunk bytes
// (a longer line goes alone). Errors are dropped: there is nowhere else to
// report that the log cannot be written.
func writeLines(w io.Writer, b []byte) {
	for len(b) > 0 {
		n := len(b)
		if n > writeChunk {
			if i := bytes.LastIndexByte(b[:writeChunk], '\n'); i >= 0 {
				n = i + 1
			} else if i := bytes.IndexByte(b, '\n'); i >= 0 {
				n = i + 1
			}
		}
		_, _ = w.Write(b[:n])
		b = b[n:]
	}
}

// accessLine is the fields of one access-log line.
type accessLine struct {
	time                               time.Time
	level                              string
	requestID, method, path, route, ip string
	status, bytes                      int
	duration                           time.Duration
}

// appendTo encodes the line as the slog JSON handler would.
func (a *accessLine) appendTo(b []byte) []byte {
	b = append(b, `{"time":"`...)
	b = appendRFC3339Nano(b, a.time)
	b = append(b, `","level":"`...)
	b = append(b, a.level...)
	b = append(b, `","msg":"http request","request_id":`...)
	b = appendJSONString(b, a.requestID)
	b = append(b, `,"method":`...)
	b = appendJSONString(b, a.method)
	b = append(b, `,"path":`...)
	b = appendJSONString(b, a.path)
	b = append(b, `,"route":`...)
	b = appendJSONString(b, a.route)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(a.status), 10)
	b = append(b, `,"bytes":`...)
	b = strconv.AppendInt(b, int64(a.bytes), 10)
	b = append(b, `,"duration_ms":`...)
	b = appendMillis(b, a.duration.Microseconds())
	b = append(b, `,"remote":`...)
	b = appendJSONString(b, a.ip)
	return append(b, "}\n"...)
}

// appendMillis appends us microseconds in milliseconds as
// strconv.AppendFloat(b, float64(us)/1000, 'f', -1, 64) does: the exact
// decimal (at most three places, trailing zeros dropped) is that float's
// shortest form while the float's spacing is well below 0.001 (under 2^50
// us, 35 years).
func appendMillis(b []byte, us int64) []byte {
	if us < 0 || us >= 1<<50 {
		return strconv.AppendFloat(b, float64(us)/1000, 'f', -1, 64)
	}
	b = strconv.AppendInt(b, us/1000, 10)
	frac := us % 1000
	if frac == 0 {
		return b
	}
	digits := [4]byte{'.', byte('0' + frac/100), byte('0' + frac/10%10), byte('0' + frac%10)}
	n := 4
	for digits[n-1] == '0' {
		n--
	}
	return append(b, digits[:n]...)
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 as U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	// The fields of an access line (ids, paths, routes, addresses) are
	// nearly always printable ASCII: skip that prefix eight bytes at a time.
	for i := plainJSONPrefix(s); i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainJSONPrefix is the length of a prefix of s that a JSON string holds
// as it is (no control character, quote, backslash or byte of a multi-byte
// character: the bytes appendJSONString's loop would escape or decode), found
// eight bytes at a time: all of s when it is plain and at least a word long,
// else the plain words before the first that is not.
func plainJSONPrefix(s string) int {
	if len(s) < 8 {
		return 0
	}
	for done := 0; ; done += 8 {
		// The last word ends at the end of s, overlapping plain bytes.
		at := min(done, len(s)-8)
		w := s[at : at+8] // of known length: one load, no bounds checks
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		if escapedBytes(x) != 0 {
			return done
		}
		if at+8 == len(s) {
			return len(s)
		}
	}
}

// escapedBytes has a high bit set when a byte of x is >= 0x80 (x), < 0x20
// (x - 0x20 where x's bit is clear) or a quote or backslash (the zero-byte
// test of x^'"' and x^'\\'): each test is exact for whether there is such a
// byte, though not for which.
func escapedBytes(x uint64) uint64 {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	q, bs := x^(ones*'"'), x^(ones*'\\')
	return (x | (x-ones*0x20)&^x | (q-ones)&^q | (bs-ones)&^bs) & highs
}
