package fakehttp

import "testing"

func TestFaultsQueuePerTargetInOrder(t *testing.T) {
	var q Faults[string]
	q.Add("a", "first", 1)
	q.Add("a", "second", 2)
	q.Add("a", "last", 0)
	q.Add(AnyTarget, "any", 0)
	var got []string
	for range 5 {
		f, ok := q.Take("a")
		if !ok {
			t.Fatal("no fault for a")
		}
		got = append(got, f)
	}
	want := []string{"first", "second", "second", "last", "last"}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("faults taken = %q, want %q", got, want)
		}
	}
	if f, ok := q.Take("b"); !ok || f != "any" {
		t.Fatalf("target without a queue got %q, %v; want AnyTarget's fault", f, ok)
	}
	q.Clear()
	if f, ok := q.Take("a"); ok {
		t.Fatalf("fault %q after Clear", f)
	}
}
