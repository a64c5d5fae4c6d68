package config

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// field describes one leaf key of Config, found by reflection so the YAML
// decoder, the env overrides, validation and the example-file test all agree
// on the same set of keys without a hand-kept list.
type field struct {
	path   string // dotted YAML path, e.g. "genesys.clientSecret"
	norm   string // path lower-cased without dots: what DCM_* names are matched against
	index  []int  // reflect field index path from Config
	typ    reflect.Type
	secret bool
}

var (
	durationType = reflect.TypeOf(time.Duration(0))
	fields       = collectFields(reflect.TypeOf(Config{}), "", nil)
	fieldByPath  = func() map[string]*field {
		m := make(map[string]*field, len(fields))
		for _, f := range fields {
			m[f.path] = f
		}
		return m
	}()
)

func collectFields(t reflect.Type, prefix string, index []int) []*field {
	var out []*field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name := yamlName(sf)
		path := name
		if prefix != "" {
			path = prefix + "." + name
		}
		idx := append(append([]int(nil), index...), i)
		if sf.Type.Kind() == reflect.Struct && sf.Type != durationType {
			out = append(out, collectFields(sf.Type, path, idx)...)
			continue
		}
		out = append(out, &field{
			path:   path,
			norm:   normName(path),
			index:  idx,
			typ:    sf.Type,
			secret: sf.Tag.Get("secret") == "true",
		})
	}
	return out
}

func yamlName(sf reflect.StructField) string {
	name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
	if name == "" {
		name = strings.ToLower(sf.Name)
	}
	return name
}

// normName folds a key or env-var tail for matching: case and the
// separators "_" and "." do not matter.
func normName(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("_", "", ".", "", "-", "").Replace(s)
}

// Keys lists every leaf key of Config in declaration order, e.g.
// "server.listen", "genesys.clientSecret", "servicejourney.pages.party".
func Keys() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.path
	}
	return out
}

// IsSecret reports whether key holds a secret (never shown, may come from *_FILE).
func IsSecret(key string) bool {
	f, ok := fieldByPath[key]
	return ok && f.secret
}

// EnvName is the canonical environment variable for key, e.g.
// "genesys.clientSecret" -> "DCM_GENESYS_CLIENTSECRET".
func EnvName(key string) string {
	return "DCM_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))
}

func (c *Config) value(f *field) reflect.Value {
	return reflect.ValueOf(c).Elem().FieldByIndex(f.index)
}

// Set assigns key from its text form, exactly as an environment variable
// would: lists comma-separated, durations in Go syntax ("90s"), booleans
// true/false. Map keys (servicejourney.rules) are set as "servicejourney.rules.GETUSERS".
func (c *Config) Set(key, text string) error {
	if f, ok := fieldByPath[key]; ok {
		if err := setText(c.value(f), text); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		return nil
	}
	for _, f := range fields {
		if f.typ.Kind() == reflect.Map && strings.HasPrefix(key, f.path+".") {
			mapKey := strings.TrimPrefix(key, f.path+".")
			if mapKey == "" {
				return fmt.Errorf("%s: empty map key", key)
			}
			setMapEntry(c.value(f), mapKey, text)
			return nil
		}
	}
	return fmt.Errorf("unknown key %q", key)
}

// Get returns key's value in its text form (the inverse of Set); secrets are
// returned as they are, so callers must not print them.
func (c *Config) Get(key string) (string, bool) {
	f, ok := fieldByPath[key]
	if !ok {
		return "", false
	}
	return textOf(c.value(f)), true
}

func setMapEntry(v reflect.Value, k, text string) {
	if v.IsNil() {
		v.Set(reflect.MakeMap(v.Type()))
	}
	v.SetMapIndex(reflect.ValueOf(k), reflect.ValueOf(text))
}

// valueError is a parse failure with the fix to offer.
type valueError struct{ msg, fix string }

func (e *valueError) Error() string { return e.msg }

// setText parses text into v according to v's type.
func setText(v reflect.Value, text string) error {
	text = strings.TrimSpace(text)
	switch {
	case v.Type() == durationType:
		d, err := time.ParseDuration(text)
		if err != nil {
			return &valueError{fmt.Sprintf("%q is not a duration", text), "use Go duration syntax with a unit, e.g. 30s, 5m or 1h30m"}
		}
		v.SetInt(int64(d))
	case v.Kind() == reflect.String:
		v.SetString(text)
	case v.Kind() == reflect.Int:
		n, err := strconv.Atoi(text)
		if err != nil {
			return &valueError{fmt.Sprintf("%q is not a whole number", text), "write a plain integer such as 300"}
		}
		v.SetInt(int64(n))
	case v.Kind() == reflect.Int64:
		n, err := parseBytes(text)
		if err != nil {
			return err
		}
		v.SetInt(n)
	case v.Kind() == reflect.Bool:
		b, err := parseBool(text)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case v.Kind() == reflect.Pointer && v.Type().Elem().Kind() == reflect.Bool:
		b, err := parseBool(text)
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(&b))
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.String:
		var list []string
		for _, s := range strings.Split(text, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		v.Set(reflect.ValueOf(list))
	case v.Kind() == reflect.Map:
		return &valueError{"expected a map of names to values", "set one entry per key, e.g. DCM_SERVICEJOURNEY_RULES_GETUSERS=MY_RULE"}
	default:
		return &valueError{fmt.Sprintf("unsupported type %s", v.Type()), ""}
	}
	return nil
}

func textOf(v reflect.Value) string {
	switch {
	case v.Type() == durationType:
		return time.Duration(v.Int()).String()
	case v.Kind() == reflect.String:
		return v.String()
	case v.Kind() == reflect.Int, v.Kind() == reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case v.Kind() == reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case v.Kind() == reflect.Pointer:
		if v.IsNil() {
			return ""
		}
		return textOf(v.Elem())
	case v.Kind() == reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = v.Index(i).String()
		}
		return strings.Join(parts, ",")
	case v.Kind() == reflect.Map:
		keys := v.MapKeys()
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, k.String()+"="+v.MapIndex(k).String())
		}
		slices.Sort(parts)
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}

func parseBool(text string) (bool, error) {
	switch strings.ToLower(text) {
	case "true", "yes", "on", "1":
		return true, nil
	case "false", "no", "off", "0":
		return false, nil
	}
	return false, &valueError{fmt.Sprintf("%q is not a boolean", text), "write true or false"}
}

// parseBytes accepts a plain byte count or one with a binary/decimal unit
// (KiB, MiB, GiB, KB, MB, GB), because "1MiB" is easier to get right than 1048576.
func parseBytes(text string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"kib", 1 << 10}, {"mib", 1 << 20}, {"gib", 1 << 30}, {"kb", 1000}, {"mb", 1000 * 1000}, {"gb", 1000 * 1000 * 1000}, {"b", 1}}
	lower := strings.ToLower(strings.TrimSpace(text))
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(lower, u.suffix) {
			lower, mult = strings.TrimSpace(strings.TrimSuffix(lower, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(lower, 10, 64)
	if err != nil || n > (1<<62)/mult {
		return 0, &valueError{fmt.Sprintf("%q is not a byte size", text), "write a number of bytes, optionally with a unit: 1048576, 1MiB, 512KiB"}
	}
	return n * mult, nil
}
