package migrate

import (
	"fmt"
	"strings"
)

// String renders the report for the terminal. Secret values never appear
// (Mapping.Value already holds "******" for them).
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Wrote %s\n", r.OutPath)
	if len(r.Mapped) > 0 {
		fmt.Fprintf(&b, "\nMapped (%d):\n", len(r.Mapped))
		for _, m := range r.Mapped {
			fmt.Fprintf(&b, "  %-48s -> %s = %s\n", m.from(), m.Key, m.Value)
		}
	}
	if len(r.Placeholders) > 0 {
		fmt.Fprintf(&b, "\nStill placeholders, replace them (%d):\n", len(r.Placeholders))
		for _, m := range r.Placeholders {
			fmt.Fprintf(&b, "  %-48s -> %s = %s\n", m.from(), m.Key, m.Value)
		}
	}
	if len(r.Conflicts) > 0 {
		fmt.Fprintf(&b, "\nDisagreeing values (%d), the first was kept:\n", len(r.Conflicts))
		for _, c := range r.Conflicts {
			fmt.Fprintf(&b, "  %s: %s = %s, but %s = %s\n", c.Key, c.Kept.from(), c.Kept.Value, c.Dropped.from(), c.Dropped.Value)
		}
	}
	if len(r.Unmapped) > 0 {
		fmt.Fprintf(&b, "\nNot mapped (%d):\n", len(r.Unmapped))
		for _, u := range r.Unmapped {
			fmt.Fprintf(&b, "  %-48s %s\n", fmt.Sprintf("%s %s (line %d)", u.Source, u.Name, u.Line), u.Reason)
		}
	}
	if len(r.SecretFiles) > 0 {
		fmt.Fprintf(&b, "\nSecrets written to files (mode 0600); set these when running dcmconnect:\n")
		for _, s := range r.SecretFiles {
			fmt.Fprintf(&b, "  %s=%s\n", s.EnvVar, s.Path)
		}
	}
	for _, n := range r.Notes {
		fmt.Fprintf(&b, "\nNote: %s\n", n)
	}
	if r.Problems != nil && len(r.Problems.List) > 0 {
		fmt.Fprintf(&b, "\nStill to fix before `dcmconnect serve`:\n")
		for _, p := range r.Problems.List {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	} else if r.Problems != nil {
		fmt.Fprintf(&b, "\nThe new configuration is valid.\n")
	}
	return b.String()
}
