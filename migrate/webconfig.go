package migrate

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
)

// setting is one name=value found in an old file.
type setting struct {
	name  string
	value string
	line  int
}

// parseWebConfig reads <configuration><appSettings><add key value/> the way
// ASP.NET does: later <add> wins, <remove key> and <clear/> apply in order.
// notes collects things the admin should know (an external appSettings file).
func parseWebConfig(data []byte) (settings []setting, notes []string, err error) {
	data, err = toUTF8(data)
	if err != nil {
		return nil, nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	// After toUTF8 every input is UTF-8, whatever the declaration says.
	dec.CharsetReader = func(label string, in io.Reader) (io.Reader, error) { return in, nil }
	var stack []string
	index := map[string]int{} // lower-cased key -> position in settings
	sawAppSettings := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				return nil, nil, fmt.Errorf("line %d: malformed XML: %s; fix: repair the file (an unclosed tag or an unescaped & or < in a value is typical) or copy the <appSettings> block into a new file", se.Line, se.Msg)
			}
			line, _ := dec.InputPos()
			return nil, nil, fmt.Errorf("line %d: cannot read XML: %v", line, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := strings.ToLower(t.Name.Local)
			parent := strings.Join(stack, "/")
			stack = append(stack, name)
			if parent == "configuration" && name == "appsettings" {
				sawAppSettings = true
				for _, a := range t.Attr {
					if strings.EqualFold(a.Name.Local, "file") || strings.EqualFold(a.Name.Local, "configSource") {
						notes = append(notes, fmt.Sprintf("appSettings also reads %q (%s=); run migrate on a copy that includes those settings", a.Value, a.Name.Local))
					}
				}
			}
			if parent != "configuration/appsettings" {
				continue
			}
			line, _ := dec.InputPos()
			key, value := attr(t, "key"), attr(t, "value")
			switch name {
			case "add":
				if key == "" {
					notes = append(notes, fmt.Sprintf("line %d: <add> without a key attribute ignored", line))
					continue
				}
				s := setting{name: key, value: value, line: line}
				if i, ok := index[strings.ToLower(key)]; ok {
					settings[i] = s // a later <add> replaces the earlier one
				} else {
					index[strings.ToLower(key)] = len(settings)
					settings = append(settings, s)
				}
			case "remove":
				if i, ok := index[strings.ToLower(key)]; ok {
					settings[i].name = "" // tombstone keeps indexes valid
					delete(index, strings.ToLower(key))
				}
			case "clear":
				for i := range settings {
					settings[i].name = ""
				}
				clear(index)
			}
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) != 0 {
		return nil, nil, fmt.Errorf("malformed XML: <%s> is never closed", stack[len(stack)-1])
	}
	if !sawAppSettings {
		notes = append(notes, "Web.config has no <configuration><appSettings> section")
	}
	out := settings[:0]
	for _, s := range settings {
		if s.name != "" {
			out = append(out, s)
		}
	}
	return out, notes, nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if strings.EqualFold(a.Name.Local, name) {
			return a.Value
		}
	}
	return ""
}

// toUTF8 strips a UTF-8 byte-order mark and converts UTF-16 (which Windows
// tools sometimes save) to UTF-8, so the XML decoder sees one encoding.
func toUTF8(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		le := data[0] == 0xFF
		data = data[2:]
		if len(data)%2 != 0 {
			return nil, errors.New("truncated UTF-16 file; save it again (as UTF-8)")
		}
		u := make([]uint16, len(data)/2)
		for i := range u {
			if le {
				u[i] = uint16(data[2*i]) | uint16(data[2*i+1])<<8
			} else {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			}
		}
		return []byte(string(utf16.Decode(u))), nil
	}
	return data, nil
}
