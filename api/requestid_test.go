package api

import (
	"sync"
	"testing"
)

func TestRequestIDsAreUniqueUnderConcurrency(t *testing.T) {
	const workers, each = 8, 5 * idsPerBlock / 2 // each worker spans several blocks
	ids := make([][]string, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for range each {
				ids[w] = append(ids[w], newRequestID()...)
			}
		})
	}
	wg.Wait()
	seen := map[string]bool{}
	for _, list := range ids {
		for _, id := range list {
			if len(id) != idLen || !plainID(id) || id[:8] != ids[0][0][:8] {
				t.Fatalf("id %q: want %d hex digits starting with the process prefix %s", id, idLen, ids[0][0][:8])
			}
			if seen[id] {
				t.Fatalf("id %q given twice", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != workers*each {
		t.Fatalf("%d ids, want %d", len(seen), workers*each)
	}
}

func TestRequestIDValuesKeepAPlainCallerIDAndReplaceAnyOther(t *testing.T) {
	given := []string{"abc-123_X", "second"}
	v := requestIDValues(given)
	if len(v) != 1 || cap(v) != 1 || v[0] != "abc-123_X" {
		t.Errorf("plain caller id: got %q (cap %d), want [abc-123_X] of capacity 1", v, cap(v))
	}
	for _, bad := range [][]string{nil, {""}, {"has space"}, {"<script>"}, {string(make([]byte, 65))}} {
		v := requestIDValues(bad)
		if len(v) != 1 || cap(v) != 1 || len(v[0]) != idLen || v[0] == "" || (len(bad) > 0 && v[0] == bad[0]) {
			t.Errorf("caller id %q: got %q (cap %d), want a new id of capacity 1", bad, v, cap(v))
		}
	}
}

func BenchmarkNewRequestID(b *testing.B) {
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			_ = newRequestID()
		}
	})
}
