package appbase

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Row is one ITEMS entry with its keys upper-cased. Values are what the JSON
// held: string, json.Number, bool, nil, or nested []any / map[string]any.
// AppBase sends numbers as strings or numbers at whim, so read through the
// helpers rather than by type assertion.
type Row map[string]any

func (r Row) get(key string) (any, bool) {
	if v, ok := r[key]; ok {
		return v, true
	}
	v, ok := r[strings.ToUpper(key)]
	return v, ok
}

// String returns the value as text: "" for a missing key or null, numbers
// in their JSON spelling.
func (r Row) String(key string) string {
	v, _ := r.get(key)
	return valueString(v)
}

// Int returns an integer value given as a number or a numeric string.
func (r Row) Int(key string) (int64, bool) {
	v, _ := r.get(key)
	return valueInt(v)
}

// Bool reads true/false, 1/0, "Y"/"N", "yes"/"no" in any case.
func (r Row) Bool(key string) (bool, bool) {
	v, _ := r.get(key)
	switch x := v.(type) {
	case bool:
		return x, true
	case nil:
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(valueString(v))) {
	case "1", "true", "y", "yes", "t":
		return true, true
	case "0", "false", "n", "no", "f":
		return false, true
	}
	return false, false
}

// Time reads Unix milliseconds (what `new Date(ms)` becomes, or a numeric
// string), WCF "/Date(ms)/", RFC 3339, or "2006-01-02[T ]15:04:05" (taken as UTC).
func (r Row) Time(key string) (time.Time, bool) {
	v, _ := r.get(key)
	if ms, ok := valueInt(v); ok {
		return time.UnixMilli(ms).UTC(), true
	}
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "/Date(") && strings.HasSuffix(s, ")/") {
		inner := s[len("/Date(") : len(s)-2]
		// "/Date(123+0100)/": the offset is display-only; skip a leading minus.
		if len(inner) > 1 {
			if i := strings.IndexAny(inner[1:], "+-"); i >= 0 {
				inner = inner[:i+1]
			}
		}
		if ms, err := strconv.ParseInt(inner, 10, 64); err == nil {
			return time.UnixMilli(ms).UTC(), true
		}
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

func valueString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

func valueInt(v any) (int64, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = x.String()
	case string:
		s = strings.TrimSpace(x)
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<63 {
			return int64(x), true
		}
		return 0, false
	case int:
		return int64(x), true
	case int64:
		return x, true
	default:
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return n, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<63 {
		return int64(f), true
	}
	return 0, false
}

// isZeroCode is true for an absent/empty/0 error code.
func isZeroCode(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.EqualFold(s, "null") {
		return true
	}
	f, err := strconv.ParseFloat(s, 64)
	return err == nil && f == 0
}
