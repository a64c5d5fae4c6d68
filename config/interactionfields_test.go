package config

import (
	"strings"
	"testing"
)

func TestInteractionFieldsValidation(t *testing.T) {
	for _, tc := range []struct{ yml, key, want, fix string }{
		{"interactions:\n  fields:\n    ORDER: queue.nmae\n", "interactions.fields.ORDER", `unknown source "queue.nmae"`, "did you mean queue.name?"},
		{"interactions:\n  fields:\n    ORDER: atr:OrderNumber\n", "interactions.fields.ORDER", `unknown prefix "atr"`, "attr:<name>"},
		{"interactions:\n  fields:\n    ORDER: 'attr:Order Number'\n", "interactions.fields.ORDER", "not a participant data name", "attr:OrderNumber"},
		{"interactions:\n  fields:\n    ORDER NO: ani\n", "interactions.fields.ORDER NO", "not a rule input name", "letters, digits and _"},
	} {
		_, ps := Parse([]byte(validYAML+tc.yml), nil)
		p := onlyProblem(t, ps, tc.key, false)
		if !strings.Contains(p.Message, tc.want) || !strings.Contains(p.Fix, tc.fix) {
			t.Errorf("%s: %q / fix %q; want %q and %q", tc.key, p.Message, p.Fix, tc.want, tc.fix)
		}
	}
	c, ps := Parse([]byte(validYAML+"interactions:\n  fields:\n    OrderNumber: attr:OrderNumber\n    CHANNEL: const:Genesys\n    QUEUE: Queue.Name\n"), nil)
	if len(problemsFor(ps, "interactions.fields.ORDERNUMBER")) != 0 || len(ps.List) != 0 || c.Interactions.Fields["OrderNumber"] != "attr:OrderNumber" {
		t.Fatalf("good mapping: %v, problems %v", c.Interactions.Fields, ps)
	}
	// One entry from the environment, as for servicejourney.rules.
	c, ps = Parse([]byte(validYAML), []string{"DCM_INTERACTIONS_FIELDS_ORDERNUMBER=attr:OrderNumber"})
	if len(ps.List) != 0 || c.Interactions.Fields["ORDERNUMBER"] != "attr:OrderNumber" {
		t.Fatalf("from env: %v, problems %v", c.Interactions.Fields, ps)
	}
}
