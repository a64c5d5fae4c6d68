package interactions

import (
	"strings"
	"testing"
	"time"
)

// FuzzDecodeState: whatever ServiceJourney holds as the sync state (an
// administrator may set it by hand), decoding never panics, fails only with
// an error naming the state and the fix, and what it accepts encodes to a
// value that decodes to the same state, so the job never stores a state it
// cannot read back.
func FuzzDecodeState(f *testing.F) {
	for _, s := range []string{
		`2024-05-01T00:00:00Z`,
		` 2024-05-01T10:20:30.123+02:00 `,
		`{"v":1,"watermark":"2024-05-01T10:05:00.000Z"}`,
		`{"v":1,"watermark":"2024-05-01T10:05:00.000Z","pending":{"c1":"2024-05-01T09:00:00.000Z","c2":"2024-04-30T23:59:59.999Z"}}`,
		`{"v":1,"watermark":"0000-01-01T00:00:00+01:00"}`,
		`{"v":1,"watermark":"bad"}`,
		`{"v":1,"watermark":"2024-05-01T10:05:00Z","pending":{"":"2024-05-01T09:00:00Z"}}`,
		`not json`, ``, `{}`, `null`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		st, err := decodeState("interactions", raw)
		if err != nil {
			if msg := err.Error(); !strings.Contains(msg, `"interactions"`) || !strings.Contains(msg, "ISO-8601") {
				t.Fatalf("error without the state name or the fix: %v", err)
			}
			return
		}
		if st.Watermark.Location() != time.UTC {
			t.Fatalf("watermark %v not in UTC", st.Watermark)
		}
		enc := st.encode()
		again, err := decodeState("interactions", enc)
		if err != nil {
			t.Fatalf("accepted %q but cannot read back its encoding %q: %v", raw, enc, err)
		}
		if !again.Watermark.Equal(st.Watermark.Truncate(time.Millisecond)) || len(again.Pending) != len(st.Pending) {
			t.Fatalf("round trip of %q: %+v, want %+v", raw, again, st)
		}
		for id, start := range st.Pending {
			if got, ok := again.Pending[id]; !ok || !got.Equal(start.Truncate(time.Millisecond)) {
				t.Fatalf("pending %q: %v, want %v", id, got, start)
			}
		}
		if again.encode() != enc {
			t.Fatalf("encoding not stable: %q then %q", enc, again.encode())
		}
	})
}
