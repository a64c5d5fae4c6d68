package appbase

import (
	"errors"
	"strings"
	"testing"
)

func TestSanitize(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain JSON untouched", `{"a":1}`, `{"a":1}`},
		{"BOM dropped", "\xEF\xBB\xBF{\"a\":1}", `{"a":1}`},
		{"date literal", `{"D":new Date(1589230156000)}`, `{"D":1589230156000}`},
		{"negative date with spaces", `{"D":new Date( -86400000 ),"E":2}`, `{"D":-86400000,"E":2}`},
		{"several dates in an array", `[new Date(1),new Date(2)]`, `[1,2]`},
		{"inside a string untouched", `{"S":"new Date(5)","D":new Date(6)}`, `{"S":"new Date(5)","D":6}`},
		{"escaped quote keeps string state", `{"S":"a\"new Date(5)","D":new Date(6)}`, `{"S":"a\"new Date(5)","D":6}`},
		{"escaped backslash ends string", `{"S":"a\\","D":new Date(7)}`, `{"S":"a\\","D":7}`},
		{"malformed left for the decoder", `{"D":new Date(x)}`, `{"D":new Date(x)}`},
		{"BOM and date together", "\xEF\xBB\xBF[new Date(3)]", `[3]`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := string(sanitize([]byte(c.in))); got != c.want {
				t.Fatalf("sanitize(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// CallerText keeps where the call failed and AppBase's own words, and drops
// the hint and the transport cause (which names the host).
func TestCallerTextDropsHintAndCause(t *testing.T) {
	e := &Error{Kind: KindTransport, Rule: "ROOT_X", Hint: "check servicejourney.url",
		err: errors.New("dial tcp 10.1.2.3:443: connection refused")}
	got := e.CallerText()
	if !strings.Contains(got, "rule ROOT_X") || strings.Contains(got, "10.1.2.3") || strings.Contains(got, "servicejourney.url") {
		t.Fatalf("CallerText = %q", got)
	}
	if !strings.Contains(e.Error(), "10.1.2.3") || !strings.Contains(e.Error(), "servicejourney.url") {
		t.Fatalf("Error() lost the details for the log: %q", e.Error())
	}
}
