package appbase

import "bytes"

var (
	utf8BOM     = []byte{0xEF, 0xBB, 0xBF}
	newDateWord = []byte("new Date(")
)

// sanitize turns what AppBase really sends into JSON: it drops a UTF-8 BOM
// and rewrites the JavaScript literal `new Date(<ms>)` (outside strings) to
// the bare number <ms>, as the portal scripts do before JSON.parse
// (docs/upstreams.md). Row.Time reads such numbers as Unix milliseconds. The input is
// returned unchanged (no copy) when there is nothing to rewrite.
func sanitize(body []byte) []byte {
	body = bytes.TrimPrefix(body, utf8BOM)
	if !bytes.Contains(body, newDateWord) {
		return body
	}
	out := make([]byte, 0, len(body))
	inString, escaped := false, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if c == '"' {
			inString = true
			out = append(out, c)
			continue
		}
		if c == 'n' && bytes.HasPrefix(body[i:], newDateWord) {
			if num, n := dateLiteral(body[i+len(newDateWord):]); n > 0 {
				out = append(out, num...)
				i += len(newDateWord) + n - 1
				continue
			}
		}
		out = append(out, c)
	}
	return out
}

// dateLiteral parses ` -123 )` after "new Date(" and returns the number and
// the bytes consumed including the closing parenthesis; n == 0 if it is not
// that shape (then the body is left alone and JSON decoding reports it).
func dateLiteral(b []byte) (num []byte, n int) {
	i := 0
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == digits {
		return nil, 0
	}
	end := i
	for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
		i++
	}
	if i >= len(b) || b[i] != ')' {
		return nil, 0
	}
	return b[start:end], i + 1
}
