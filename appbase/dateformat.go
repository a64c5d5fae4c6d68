package appbase

import (
	"fmt"
	"strings"
)

// dateTokens are the parts of AppBase's (Oracle's) date notation that
// GoLayout understands, longest first.
var dateTokens = []struct{ appbase, goLayout string }{
	{"yyyy", "2006"}, {"hh24", "15"}, {"ff3", "000"}, {"mm", "01"}, {"dd", "02"}, {"mi", "04"}, {"ss", "05"},
}

// GoLayout turns a date format in AppBase's notation (yyyy, mm, dd, hh24,
// mi, ss, ff3; literal T, Z, "T" and - : . / and space) into a Go time
// layout: "yyyy-mm-ddThh24:mi:ss" gives "2006-01-02T15:04:05".
func GoLayout(format string) (string, error) {
	f := strings.TrimSpace(format)
	var b strings.Builder
	for i := 0; i < len(f); {
		matched := false
		for _, t := range dateTokens {
			if strings.HasPrefix(strings.ToLower(f[i:]), t.appbase) {
				b.WriteString(t.goLayout)
				i += len(t.appbase)
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		switch ch := f[i]; ch {
		case '"':
			i++ // quotes only protect literals such as "T"
		case 'T', 'Z', '-', ':', '.', '/', ' ':
			b.WriteByte(ch)
			i++
		default:
			return "", fmt.Errorf("%q is not a date format this server understands (at %q); use yyyy, mm, dd, hh24, mi, ss, ff3 and - : . / T Z, e.g. yyyy-mm-ddThh24:mi:ss", format, f[i:])
		}
	}
	if b.Len() == 0 {
		return "", fmt.Errorf("date format is empty; use e.g. yyyy-mm-ddThh24:mi:ss")
	}
	return b.String(), nil
}
