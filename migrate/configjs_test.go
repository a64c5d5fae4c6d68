package migrate

import (
	"reflect"
	"testing"
)

func TestParseConfigJS(t *testing.T) {
	cases := []struct {
		name string
		src  string
		want map[string]string // path -> value; "(computed by JavaScript)" for expressions
	}{
		{"object literal", `var config = { clientId: 'a', "redirectUri": "b", ` + "wizardUrl: `c`" + ` };`,
			map[string]string{"config.clientId": "a", "config.redirectUri": "b", "config.wizardUrl": "c"}},
		{"assignments", "window.config = {};\nwindow.config.clientId = 'a';\nconfig.solutionUrl=\"https://x\"\n",
			map[string]string{"window.config.clientId": "a", "config.solutionUrl": "https://x"}},
		{"comments are ignored", "/* clientId: 'no' */\n// domainCode: 'no'\nvar c = { domainCode: 'yes' // trailing\n};",
			map[string]string{"c.domainCode": "yes"}},
		{"urls inside strings are not properties", `x = { wizardUrl: 'https://h/a?state=pcEnvironment=usw2.pure.cloud&x=y' }`,
			map[string]string{"x.wizardUrl": "https://h/a?state=pcEnvironment=usw2.pure.cloud&x=y"}},
		{"escapes", `c = { a: 'it\'s', b: "say \"hi\"", u: '\u0041\/' }`,
			map[string]string{"c.a": "it's", "c.b": `say "hi"`, "c.u": "A/"}},
		{"literals", `c = { n: 5000, f: false, z: null, neg: -1 }`,
			map[string]string{"c.n": "5000", "c.f": "false", "c.z": "null", "c.neg": "-1"}},
		{"nested objects", `var config = { pages: { party: 'p', deep: { x: 'y' } }, after: 'z' }`,
			map[string]string{"config.pages.party": "p", "config.pages.deep.x": "y", "config.after": "z"}},
		{"expressions are flagged", `c = { a: location.origin + '/x', b: 'x' + y, d: f('q'), e: ['l', {k: 'v'}], g: 'ok' }`,
			map[string]string{"c.a": "(computed by JavaScript)", "c.b": "(computed by JavaScript)", "c.d": "(computed by JavaScript)", "c.e": "(a list)", "c.g": "ok"}},
		{"ternary and switch are not properties", "v = a ? 'b' : 'c';\nswitch (x) { case 'k': y = 'z'; }",
			map[string]string{"v": "(computed by JavaScript)", "y": "z"}},
		{"later assignment wins", "c = { a: '1' };\nc.a = '2';\n", map[string]string{"c.a": "2"}},
		{"unterminated string does not hang", "c = { a: 'oops\n, b: 'fine' }",
			map[string]string{"c.a": "(computed by JavaScript)", "c.b": "fine"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := map[string]string{}
			for _, s := range parseConfigJS(tc.src) {
				got[s.name] = s.value
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got  %v\nwant %v", got, tc.want)
			}
		})
	}
}

func TestParseConfigJSLines(t *testing.T) {
	src := "/* header\n comment */\nvar config = {\n  clientId: 'a',\n\n  domainCode: 'b'\n};\n"
	got := parseConfigJS(src)
	if len(got) != 2 || got[0].line != 4 || got[1].line != 6 {
		t.Fatalf("lines: %+v", got)
	}
}
