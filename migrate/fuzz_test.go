package migrate

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"
)

func seedFile(f *testing.F, name string) {
	f.Helper()
	dirs, _ := filepath.Glob(filepath.Join("testdata", "*"))
	for _, d := range dirs {
		if b, err := os.ReadFile(filepath.Join(d, name)); err == nil {
			f.Add(b)
		}
	}
}

// FuzzParseWebConfig: any bytes (an old Web.config may be UTF-16 or broken)
// give settings or an error, never a panic, and every setting has a key.
func FuzzParseWebConfig(f *testing.F) {
	seedFile(f, "Web.config")
	f.Add([]byte(`<configuration><appSettings><add key="clientId" value="x"/></appSettings></configuration>`))
	f.Add([]byte("\xff\xfe<\x00c\x00"))
	f.Add([]byte(`<configuration><appSettings><add key="a"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		settings, _, err := parseWebConfig(data)
		if err != nil {
			return
		}
		for _, s := range settings {
			if s.name == "" {
				t.Errorf("setting without a name: %+v", s)
			}
			if !utf8.ValidString(s.value) {
				t.Errorf("setting %s has a value that is not UTF-8", s.name)
			}
		}
	})
}

// FuzzParseConfigJS: any source text gives settings with a name and a line
// inside the text, never a panic or an endless loop.
func FuzzParseConfigJS(f *testing.F) {
	seedFile(f, "config.js")
	f.Add([]byte(`var config = { clientId: "@CLIENT_ID@", pages: { party: 'root_PartyDetail' } };`))
	f.Add([]byte(`config.a.b = "x\u0041\x41\n"; // comment /* "`))
	f.Add([]byte("`template ${x}` /re\"gex/ 'unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		src := string(data)
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		for _, s := range parseConfigJS(src) {
			if s.name == "" {
				t.Errorf("setting without a name: %+v", s)
			}
			if s.line < 1 || s.line > lines {
				t.Errorf("setting %s on line %d of a %d-line text", s.name, s.line, lines)
			}
		}
	})
}
