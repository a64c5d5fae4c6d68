package migrate

import (
	"strings"
	"testing"
)

func TestParseWebConfigSemantics(t *testing.T) {
	src := `<?xml version="1.0"?>
<configuration>
  <appSettings file="secrets.config">
    <add key="a" value="1"/>
    <add key="B" value="2"/>
    <add key="A" value="3"/>
    <remove key="b"/>
    <add key="c" value="x &amp; y"/>
  </appSettings>
  <location path="x"><appSettings><add key="ignored" value="1"/></appSettings></location>
  <system.web><add key="also-ignored" value="1"/></system.web>
</configuration>`
	got, notes, err := parseWebConfig([]byte("\xEF\xBB\xBF" + src))
	if err != nil {
		t.Fatal(err)
	}
	want := []setting{{"A", "3", 6}, {"c", "x & y", 8}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("setting %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if len(notes) != 1 || !strings.Contains(notes[0], "secrets.config") {
		t.Errorf("notes = %v", notes)
	}
	_, notes, err = parseWebConfig([]byte("<configuration/>"))
	if err != nil || len(notes) != 1 || !strings.Contains(notes[0], "no <configuration><appSettings>") {
		t.Errorf("no appSettings: %v %v", notes, err)
	}
}
