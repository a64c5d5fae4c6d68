package api

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
)

// net/http writes a response through a 4 KiB buffer, so an answer whose
// header and body pass 4 KiB (index.html is 4.7 KB) leaves in two writes:
// two system calls, and on loopback or a fast link two wake-ups of the
// client. Serve's connections can hold what net/http writes while the
// static path answers and send it in one write when the answer is
// complete (net/http still produces every byte; nothing is hijacked).

// coalescingListener wraps each accepted connection (but TLS ones, which
// net/http must see as they are) in a coalescingConn.
type coalescingListener struct{ net.Listener }

func (l coalescingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if _, ok := c.(*tls.Conn); ok {
		return c, nil
	}
	return &coalescingConn{Conn: c}, nil
}

// coalescingConn holds writes between hold and release. Only the goroutine
// serving the connection writes to it (net/http serves HTTP/1 requests of a
// connection one after another on one goroutine), so it needs no lock.
type coalescingConn struct {
	net.Conn
	held bool
	buf  *[]byte
}

// maxHeld bounds what a connection holds: a larger answer is written as it
// comes (in net/http's own writes), after what was held.
const maxHeld = 16 << 10

var heldBuffers = sync.Pool{New: func() any { b := make([]byte, 0, maxHeld); return &b }}

// hold starts keeping writes; c may be nil (not served by Serve).
func (c *coalescingConn) hold() {
	if c != nil {
		c.held = true
	}
}

func (c *coalescingConn) Write(p []byte) (int, error) {
	if !c.held {
		return c.Conn.Write(p)
	}
	if c.buf == nil {
		c.buf = heldBuffers.Get().(*[]byte)
	}
	if len(*c.buf)+len(p) <= maxHeld {
		*c.buf = append(*c.buf, p...)
		return len(p), nil
	}
	// Too much to hold: what is held goes first, then p, in one writev. The
	// buffer goes back to the pool only once written: another connection
	// takes it from there and writes into it.
	bufs := net.Buffers{*c.buf, p}
	held := len(*c.buf)
	n, err := bufs.WriteTo(c.Conn)
	c.put()
	return max(int(n)-held, 0), err
}

// release writes what is held in one write and stops holding; c may be nil.
func (c *coalescingConn) release() error {
	if c == nil {
		return nil
	}
	c.held = false
	if c.buf == nil {
		return nil
	}
	_, err := c.Conn.Write(*c.buf)
	c.put()
	return err
}

func (c *coalescingConn) put() {
	*c.buf = (*c.buf)[:0]
	heldBuffers.Put(c.buf)
	c.buf = nil
	c.held = false
}

// CloseWrite keeps net/http's half-close before closing after an error
// answer (so the client reads it rather than a reset).
func (c *coalescingConn) CloseWrite() error {
	_ = c.release()
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// ReadFrom keeps the connection's own ReadFrom (sendfile for files).
func (c *coalescingConn) ReadFrom(r io.Reader) (int64, error) {
	if err := c.release(); err != nil {
		return 0, err
	}
	if rf, ok := c.Conn.(io.ReaderFrom); ok {
		return rf.ReadFrom(r)
	}
	return io.Copy(c.Conn, r)
}

type coalescingConnKey struct{}

// connContext puts a request's coalescingConn in its context.
func connContext(ctx context.Context, c net.Conn) context.Context {
	if cc, ok := c.(*coalescingConn); ok {
		return context.WithValue(ctx, coalescingConnKey{}, cc)
	}
	return ctx
}

// coalescingConnOf is the connection r came on, nil when it was not
// accepted by Serve.
func coalescingConnOf(r *http.Request) *coalescingConn {
	cc, _ := r.Context().Value(coalescingConnKey{}).(*coalescingConn)
	return cc
}
