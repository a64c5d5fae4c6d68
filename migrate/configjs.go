package migrate

import (
	"regexp"
	"strconv"
	"strings"
)

// The old config.js is a hand-edited object literal (or a few assignments).
// It is read with a regular-expression lexer, never executed: strings and
// comments are recognised first so that "https://..." inside a string or a
// commented-out line is never taken for a property.
var jsToken = regexp.MustCompile(`\A(?:` +
	`(\s+)` + // 1 whitespace
	`|(//[^\n]*|(?s:/\*.*?\*/))` + // 2 comment
	`|("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|` + "`(?:[^`\\\\]|\\\\.)*`" + `)` + // 3 string
	`|([A-Za-z_$][\w$]*)` + // 4 identifier
	`|(-?\d[\w.]*)` + // 5 number
	`|(=>|===?|!==?|.)` + // 6 punctuation
	`)`)

type jsTok struct {
	kind byte // 's' string, 'i' identifier, 'n' number, 'p' punctuation
	text string
	line int
}

func lexJS(src string) []jsTok {
	var toks []jsTok
	line := 1
	for len(src) > 0 {
		m := jsToken.FindStringSubmatchIndex(src)
		if m == nil { // cannot happen: "." matches any rune; guard anyway
			break
		}
		text := src[:m[1]]
		switch {
		case m[2] >= 0, m[4] >= 0:
		case m[6] >= 0:
			toks = append(toks, jsTok{'s', text, line})
		case m[8] >= 0:
			toks = append(toks, jsTok{'i', text, line})
		case m[10] >= 0:
			toks = append(toks, jsTok{'n', text, line})
		default:
			toks = append(toks, jsTok{'p', text, line})
		}
		line += strings.Count(text, "\n")
		src = src[m[1]:]
	}
	return toks
}

// jsUnquote decodes a JS string literal's common escapes.
func jsUnquote(lit string) string {
	body := lit[1 : len(lit)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		i++
		switch body[i] {
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'u':
			if i+4 < len(body) {
				if r, err := strconv.ParseUint(body[i+1:i+5], 16, 32); err == nil {
					b.WriteRune(rune(r))
					i += 4
					continue
				}
			}
			b.WriteByte('u')
		default:
			b.WriteByte(body[i]) // \' \" \\ \/ and anything else: the character itself
		}
	}
	return b.String()
}

// jsSetting is a property found in config.js; expr is set when its value is
// computed by JavaScript and so cannot be migrated literally.
type jsSetting struct {
	setting
	expr bool
}

// parseConfigJS finds every "name: value" and "a.b.name = value" whose value
// is a literal, with its dotted path ("config.pages.party") and line.
func parseConfigJS(src string) []jsSetting {
	toks := lexJS(src)
	var out []jsSetting
	index := map[string]int{}
	var stack []string // object names, "" for anonymous objects
	is := func(i int, kind byte, text string) bool {
		return i >= 0 && i < len(toks) && toks[i].kind == kind && (text == "" || toks[i].text == text)
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == 'p' && t.text == "}" {
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if t.kind == 'p' && t.text == "{" {
			stack = append(stack, "")
			continue
		}
		if t.kind != 'i' && t.kind != 's' {
			continue
		}
		if !is(i+1, 'p', ":") && !is(i+1, 'p', "=") {
			continue
		}
		// "x ? a : b" and "case 'a':" are not properties.
		if is(i-1, 'p', "?") || is(i-1, 'i', "case") {
			continue
		}
		name := t.text
		if t.kind == 's' {
			name = jsUnquote(t.text)
		}
		// Dotted assignment target: window.config.clientId = ...
		for j := i - 1; is(j, 'p', ".") && is(j-1, 'i', ""); j -= 2 {
			name = toks[j-1].text + "." + name
		}
		v := i + 2
		if name == "" && !is(v, 'p', "{") {
			continue // "": 1 names nothing an administrator could map
		}
		if is(v, 'p', "{") {
			stack = append(stack, name)
			i = v
			continue
		}
		path := joinPath(stack, name)
		s := jsSetting{setting: setting{name: path, line: t.line}}
		switch {
		case is(v, 's', ""):
			s.value = jsUnquote(toks[v].text)
		case is(v, 'n', ""), is(v, 'i', "true"), is(v, 'i', "false"), is(v, 'i', "null"):
			s.value = toks[v].text
		case is(v, 'p', "["):
			s.value, s.expr = "(a list)", true
			for depth := 0; v < len(toks); v++ { // skip to the matching ]
				if toks[v].kind == 'p' && (toks[v].text == "[" || toks[v].text == "{") {
					depth++
				} else if toks[v].kind == 'p' && (toks[v].text == "]" || toks[v].text == "}") {
					if depth--; depth == 0 {
						break
					}
				}
			}
		default:
			s.value, s.expr = "(computed by JavaScript)", true
		}
		// A literal followed by an operator is part of an expression: 'https://' + host.
		if n := v + 1; !s.expr && n < len(toks) && toks[n].kind == 'p' && strings.Contains("+-*/.([?|&", toks[n].text) {
			s.value, s.expr = "(computed by JavaScript)", true
		}
		if k, ok := index[path]; ok {
			out[k] = s // a later assignment wins, as when the browser runs it
		} else {
			index[path] = len(out)
			out = append(out, s)
		}
		i = v
	}
	return out
}

func joinPath(stack []string, name string) string {
	parts := make([]string, 0, len(stack)+1)
	for _, s := range stack {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(append(parts, name), ".")
}
