package appbase_test

import (
	"os"
	"strings"
	"testing"

	"dcmconnect/appbase"
)

// The README's rule-contract tables are the contracts the client runs.
func TestREADMECarriesTheContractTables(t *testing.T) {
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	for _, p := range []string{appbase.ProfileStandard, appbase.ProfileConnector} {
		want, err := appbase.ContractTable(p)
		if err != nil {
			t.Fatal(err)
		}
		start, end := "<!-- contract:"+p+" -->\n", "<!-- /contract:"+p+" -->"
		i, j := strings.Index(readme, start), strings.Index(readme, end)
		if i < 0 || j < i {
			t.Fatalf("README lacks the %s table between %q and %q", p, start, end)
		}
		if got := readme[i+len(start) : j]; got != want {
			t.Errorf("README's %s table is out of date; replace it with:\n%s", p, want)
		}
	}
}
