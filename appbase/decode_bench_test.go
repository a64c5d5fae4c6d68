package appbase

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkDecodeEnvelope: a 100-row GETUSERS page, clean and with quirks.
func BenchmarkDecodeEnvelope(b *testing.B) {
	for _, quirks := range []bool{false, true} {
		var sb strings.Builder
		if quirks {
			sb.WriteString("\xEF\xBB\xBF")
		}
		sb.WriteString(`{"DATA":{"R":{"ITEMS":[`)
		for i := 0; i < 100; i++ {
			if i > 0 {
				sb.WriteByte(',')
			}
			if quirks {
				fmt.Fprintf(&sb, `{"Id":"%d","Code":"u%d","Email":"u%d@x.org","Name":null,"RN":"%d","MODIFIED":new Date(1589230156000)}`, i, i, i, i+1)
			} else {
				fmt.Fprintf(&sb, `{"ID":%d,"CODE":"u%d","EMAIL":"u%d@x.org","NAME":"","STATUS":"Active"}`, i, i, i)
			}
		}
		sb.WriteString(`],"TOTALCOUNT":"100","ERRORCODE":null,"ERRORMESSAGE":null}}}`)
		body := []byte(sb.String())
		b.Run(fmt.Sprintf("quirks=%v", quirks), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for i := 0; i < b.N; i++ {
				if r, e := decodeEnvelope("R", body); e != nil || len(r.Items) != 100 {
					b.Fatal(e)
				}
			}
		})
	}
}
