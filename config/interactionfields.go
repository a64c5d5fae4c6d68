package config

import (
	"errors"
	"slices"
	"strings"

	"dcmconnect/internal/fieldmap"
)

// interactionFields checks interactions.fields: each entry names a rule
// input and a source the interactions package can read.
func (v *checker) interactionFields() {
	const key = "interactions.fields"
	inputs := make([]string, 0, len(v.c.Interactions.Fields))
	for k := range v.c.Interactions.Fields {
		inputs = append(inputs, k)
	}
	slices.Sort(inputs)
	for _, in := range inputs {
		_, errs := fieldmap.Parse(map[string]string{in: v.c.Interactions.Fields[in]})
		for _, err := range errs {
			problem, fix := err.Error(), "write attr:<name>, const:<text>, a conversation field or off"
			var se *fieldmap.SourceError
			if errors.As(err, &se) {
				problem, fix = se.Problem, se.Fix
			}
			v.ps.add(key+"."+strings.ToUpper(strings.TrimSpace(in)), fix, "%s%s", problem, v.at(key))
		}
	}
}
