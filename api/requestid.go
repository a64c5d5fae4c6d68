package api

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"sync"
	"sync/atomic"
)

const requestIDHeader = "X-Request-Id"

// Request ids are unique, not secret (a caller may send its own): a random
// per-process prefix and a counter, 16 hex digits, so making one costs no
// system call. They are made a block at a time, one string and one slice of
// header values for idsPerBlock ids, so a response's id costs no allocation
// of its own.
var (
	idPrefix = func() (p [4]byte) {
		_, _ = rand.Read(p[:])
		return p
	}()
	idCounter   atomic.Uint32
	idPrefixHex = hex.EncodeToString(idPrefix[:]) // the first half of every id
)

const (
	idsPerBlock = 64
	idLen       = 16
)

// idBlock is ids not yet given out. A block is used by one goroutine at a
// time (it comes from a pool); the slices it gave out are never written
// again (fill makes new ones), so headers holding them can outlive it.
type idBlock struct {
	values []string // each id as a one-value header slice
	next   int
}

var idBlocks = sync.Pool{New: func() any { return new(idBlock) }}

// newRequestID is a new id as a header value slice of length = capacity
// (an Add copies, never writes into it).
func newRequestID() []string {
	b := idBlocks.Get().(*idBlock)
	if b.next == len(b.values) {
		b.fill()
	}
	v := b.values[b.next : b.next+1 : b.next+1]
	b.next++
	idBlocks.Put(b)
	return v
}

// fill takes the next idsPerBlock counter values at once, so ids made by
// different blocks never repeat.
func (b *idBlock) fill() {
	first := idCounter.Add(idsPerBlock) - idsPerBlock + 1
	buf := make([]byte, 0, idsPerBlock*idLen)
	var count [4]byte
	for i := range uint32(idsPerBlock) {
		buf = append(buf, idPrefixHex...)
		binary.BigEndian.PutUint32(count[:], first+i)
		buf = hex.AppendEncode(buf, count[:])
	}
	text := string(buf)
	b.values = make([]string, idsPerBlock)
	for i := range b.values {
		b.values[i] = text[i*idLen : (i+1)*idLen]
	}
	b.next = 0
}

// requestIDValues is the caller's X-Request-Id when it is plain (one value,
// reused as it is), else a new id.
func requestIDValues(given []string) []string {
	if len(given) > 0 && plainID(given[0]) {
		return given[:1:1]
	}
	return newRequestID()
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
