package fieldmap

import "testing"

// BenchmarkValues resolves the default mapping plus five configured
// entries, as every interaction write does.
func BenchmarkValues(b *testing.B) {
	m, errs := Parse(map[string]string{"ORDERNUMBER": "attr:OrderNumber", "QUEUE": "queue.name", "CHANNEL": "const:Genesys",
		"CUSTOMER": "customer.name", "NOTES": "wrapup.notes"})
	if len(errs) > 0 {
		b.Fatal(errs)
	}
	field := func(name string) string {
		if name == "queue.name" {
			return "Support"
		}
		return ""
	}
	attr := func(string) string { return "ORD-1" }
	b.ReportAllocs()
	for b.Loop() {
		if v := m.Values(field, attr); len(v) != 3 {
			b.Fatal(v)
		}
	}
}
