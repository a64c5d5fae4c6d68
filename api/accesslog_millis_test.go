package api

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// appendMillis writes what strconv.AppendFloat wrote for the line's
// duration_ms, across the range and at the edges.
func TestAppendMillisIsAppendFloats(t *testing.T) {
	us := []int64{0, 1, 9, 10, 99, 100, 999, 1000, 1001, 1010, 1100, 12345, 999999, 1000000,
		int64(time.Hour / time.Microsecond), 1<<50 - 1, 1 << 50, 1<<53 - 1, 1 << 53, 1<<62 + 7, -1, -1500}
	for i := int64(0); i < 200000; i++ {
		us = append(us, i*7919%100000007, 1<<50-1-i*104729)
	}
	// Two buffers for all the values: an allocation each per value was
	// half of the test's CPU under the race detector.
	var got, want []byte
	for _, u := range us {
		want = strconv.AppendFloat(want[:0], float64(u)/1000, 'f', -1, 64)
		if got = appendMillis(got[:0], u); string(got) != string(want) {
			t.Fatalf("%d us: %s, want %s", u, got, want)
		}
	}
}

// A batch goes to a regular file in one write; a pipe or any other writer
// gets whole lines in chunks.
func TestAccessLogWritesAFileInWholeBatches(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "access.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if !regularFile(f) || regularFile(w) || regularFile(&lockedBuffer{}) {
		t.Fatalf("regular file: file %v, pipe %v, buffer %v", regularFile(f), regularFile(w), regularFile(&lockedBuffer{}))
	}
	l := newAccessLog(f)
	line := []byte(`{"msg":"http request"}` + "\n")
	n := 3 * writeChunk / len(line)
	for range n {
		l.add(line)
	}
	l.Close()
	b, err := os.ReadFile(f.Name())
	if err != nil || len(b) != n*len(line) {
		t.Fatalf("file has %d bytes (%v), want %d", len(b), err, n*len(line))
	}
}
