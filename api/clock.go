package api

import (
	"net/http"
	"sync/atomic"
	"time"
)

// second is one second's formatted times, shared by every request in it:
// the Date header (which net/http would format for each response) and the
// access line's RFC 3339 time up to the second, so a request formats only
// its fraction.
type second struct {
	unix int64
	loc  *time.Location
	date []string // http.TimeFormat, as net/http writes Date; length = capacity
	head string   // "2006-01-02T15:04:05" in loc
	zone string   // "Z" or "+01:00"
	ok   bool     // head and zone are usable (a four-digit year)
}

var lastSecond atomic.Pointer[second]

// secondOf is t's second, formatted once.
func secondOf(t time.Time) *second {
	s := lastSecond.Load()
	if s != nil && s.unix == t.Unix() && s.loc == t.Location() {
		return s
	}
	s = &second{unix: t.Unix(), loc: t.Location()}
	whole := time.Unix(s.unix, 0).In(s.loc)
	s.date = []string{whole.UTC().Format(http.TimeFormat)}
	// RFC3339Nano leaves out a zero fraction: the whole second is head+zone.
	full := whole.Format(time.RFC3339Nano)
	if y := whole.Year(); y >= 0 && y <= 9999 && len(full) > 19 {
		s.head, s.zone, s.ok = full[:19], full[19:], true
	}
	lastSecond.Store(s)
	return s
}

// appendRFC3339Nano is t.AppendFormat(b, time.RFC3339Nano).
func appendRFC3339Nano(b []byte, t time.Time) []byte {
	s := secondOf(t)
	if !s.ok {
		return t.AppendFormat(b, time.RFC3339Nano)
	}
	b = append(b, s.head...)
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		for i := 9; i > 0; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		n := 10
		for frac[n-1] == '0' {
			n--
		}
		b = append(b, frac[:n]...)
	}
	return append(b, s.zone...)
}
