package fieldmap

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSources(t *testing.T) {
	for in, want := range map[string]Source{
		"attr:OrderNumber": {Attr, "OrderNumber"},
		" ATTR: Order.No ": {Attr, "Order.No"},
		"queue.name":       {Field, "queue.name"},
		"Queue.Name":       {Field, "queue.name"},
		"const:Genesys":    {Const, "Genesys"},
		"const:":           {Const, ""},
		"off":              {Kind: Off},
	} {
		got, err := ParseSource(in)
		if err != nil || got != want {
			t.Errorf("ParseSource(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for in, wantInErr := range map[string]string{
		"queue.nmae":      `did you mean queue.name?`,
		"ordernumber":     `attr:ordernumber`,
		"atr:OrderNumber": `unknown prefix "atr"`,
		"attr:":           `attr:OrderNumber`,
		"attr:Order Name": `letters, digits`,
		"":                "empty",
	} {
		_, err := ParseSource(in)
		if err == nil || !strings.Contains(err.Error(), wantInErr) {
			t.Errorf("ParseSource(%q) error = %v; want it to contain %q", in, err, wantInErr)
		}
	}
}

func TestParseNamesEveryBadInput(t *testing.T) {
	m, errs := Parse(map[string]string{"ordernumber": "attr:OrderNumber", "BAD": "queue.nmae", "no good": "ani", "CHANNEL": "const:Genesys"})
	if len(errs) != 2 {
		t.Fatalf("errors = %v; want two (BAD, no good)", errs)
	}
	var fe *Error
	if !errors.As(errs[0], &fe) || fe.Input != "BAD" {
		t.Errorf("first error = %v; want one naming BAD", errs[0])
	}
	if !strings.Contains(errs[1].Error(), `"no good" is not a rule input name`) {
		t.Errorf("second error = %v", errs[1])
	}
	if m["ORDERNUMBER"] != (Source{Attr, "OrderNumber"}) || m["CHANNEL"] != (Source{Const, "Genesys"}) || len(m) != 2+len(Defaults) {
		t.Errorf("map = %+v", m)
	}
}

func TestValuesLeaveEmptyOut(t *testing.T) {
	m, _ := Parse(map[string]string{"A": "queue.name", "B": "attr:X", "C": "const:k", "D": "attr:Missing"})
	got := m.Values(func(f string) string {
		if f == "queue.name" {
			return "Support"
		}
		return ""
	}, func(a string) string {
		if a == "X" {
			return "42"
		}
		return ""
	})
	if len(got) != 3 || got["A"] != "Support" || got["B"] != "42" || got["C"] != "k" {
		t.Errorf("values = %v", got)
	}
}

func TestOffDropsADefault(t *testing.T) {
	old := Defaults
	t.Cleanup(func() { Defaults = old })
	Defaults = map[string]string{"SUMMARY": "queue.name", "KEEP": "ani"}
	m, errs := Parse(map[string]string{"summary": "off"})
	if len(errs) != 0 || len(m) != 1 || m["KEEP"].Name != "ani" {
		t.Errorf("map = %+v, %v; want only KEEP", m, errs)
	}
}
