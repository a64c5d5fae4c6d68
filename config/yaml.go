package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// decodeYAML walks the YAML node tree itself rather than using
// yaml.Decoder.KnownFields: that stops at the first unknown key, and we want
// every mistake, each with its line and a "did you mean" suggestion.
func (l *loader) decodeYAML(data []byte) {
	if len(bytes.TrimSpace(data)) == 0 {
		return
	}
	l.setBy = map[string]setter{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) {
			l.malformed(err)
		}
		return
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		l.probs.add(fileKey, "keep one document: remove the '---' separator and merge the parts",
			"a second YAML document starts at line %d; only one is read", extra.Line)
	} else if !errors.Is(err, io.EOF) {
		l.malformed(err)
		return
	}
	root := resolve(&doc)
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = resolve(root.Content[0])
	}
	if isNull(root) {
		return
	}
	if root.Kind != yaml.MappingNode {
		l.probs.add(fileKey, "start the file with the sections server:, genesys:, servicejourney:, usermap:, interactions:",
			"line %d: the file must be a mapping of sections, not a %s", root.Line, kindName(root))
		return
	}
	l.decodeTop(root)
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

func (l *loader) malformed(err error) {
	l.broken = true
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	fix := "check indentation and quoting"
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		fix += " around line " + m[1]
	}
	if strings.Contains(msg, "cannot start any token") {
		fix += "; indent with spaces, never tabs, and quote values starting with @, ` or %"
	} else {
		fix += "; quote values that contain \": \" or start with a special character"
	}
	l.probs.add(fileKey, fix, "malformed YAML: %s", msg)
}

func resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n == nil || n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	case yaml.ScalarNode:
		return "single value"
	}
	return "node"
}

func sections() []string {
	t := reflect.TypeOf(Config{})
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = yamlName(t.Field(i))
	}
	return out
}

// pairs yields the key/value pairs of a mapping node, reporting duplicate keys.
func (l *loader) pairs(m *yaml.Node, prefix string) [][2]*yaml.Node {
	seen := map[string]int{}
	var out [][2]*yaml.Node
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], resolve(m.Content[i+1])
		if first, dup := seen[k.Value]; dup {
			l.probs.add(join(prefix, k.Value), "keep only one of them",
				"defined twice (lines %d and %d)", first, k.Line)
			continue
		}
		seen[k.Value] = k.Line
		out = append(out, [2]*yaml.Node{k, v})
	}
	return out
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func (l *loader) decodeTop(root *yaml.Node) {
	secs := sections()
	for _, kv := range l.pairs(root, "") {
		k, v := kv[0], kv[1]
		switch {
		case contains(secs, k.Value):
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.MappingNode {
				l.probs.add(k.Value, "indent the section's keys under it", "line %d: expected a mapping of keys, found a %s", v.Line, kindName(v))
				continue
			}
			l.decodeStruct(v, k.Value, reflect.TypeOf(Config{}).Field(indexOf(secs, k.Value)).Type)
		default:
			if a, ok := LookupAlias(k.Value); ok {
				l.setAliasNode(a, k, v)
				continue
			}
			candidates := append(append([]string(nil), secs...), aliasNames()...)
			l.unknownKey("", k, candidates)
		}
	}
}

func aliasNames() []string {
	out := make([]string, len(aliases))
	for i, a := range aliases {
		out[i] = a.Name
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// unknownKey reports k with the closest sibling, or failing that the full
// key of the same name elsewhere ("domain" at top level -> servicejourney.domain).
func (l *loader) unknownKey(prefix string, k *yaml.Node, siblings []string) {
	key := join(prefix, k.Value)
	fix := "remove it, or check the spelling against deploy/dcmconnect.example.yaml"
	if s := suggest(k.Value, siblings); s != "" {
		fix = "did you mean " + join(prefix, s) + "?"
		if _, isAlias := LookupAlias(s); isAlias && prefix == "" {
			fix = "did you mean " + s + " (old name of " + mustAlias(s).Key + ")?"
		}
	} else if s := suggestLeaf(k.Value); s != "" {
		fix = "did you mean " + s + "? (it belongs in section " + section(s) + ")"
	}
	l.probs.add(key, fix, "unknown key at line %d", k.Line)
}

func mustAlias(name string) Alias {
	a, _ := LookupAlias(name)
	return a
}

// suggestLeaf finds a key anywhere whose last part is (nearly) name.
func suggestLeaf(name string) string {
	var lasts []string
	byLast := map[string]string{}
	for _, f := range fields {
		parts := strings.Split(f.path, ".")
		last := parts[len(parts)-1]
		if _, dup := byLast[last]; !dup {
			byLast[last] = f.path
			lasts = append(lasts, last)
		}
	}
	if s := suggest(name, lasts); s != "" {
		return byLast[s]
	}
	return ""
}

// decodeStruct decodes mapping m into the struct of type t found at prefix.
func (l *loader) decodeStruct(m *yaml.Node, prefix string, t reflect.Type) {
	names := make([]string, t.NumField())
	for i := range names {
		names[i] = yamlName(t.Field(i))
	}
	for _, kv := range l.pairs(m, prefix) {
		k, v := kv[0], kv[1]
		i := indexOf(names, k.Value)
		if i < 0 {
			l.unknownKey(prefix, k, names)
			continue
		}
		key := join(prefix, k.Value)
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Struct && ft != durationType {
			if isNull(v) {
				continue
			}
			if v.Kind != yaml.MappingNode {
				l.probs.add(key, "indent its keys under it", "line %d: expected a mapping, found a %s", v.Line, kindName(v))
				continue
			}
			l.decodeStruct(v, key, ft)
			continue
		}
		l.decodeLeaf(fieldByPath[key], k, v)
	}
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func (l *loader) decodeLeaf(f *field, k, v *yaml.Node) {
	if isNull(v) {
		return // "key:" with no value means "not set here"
	}
	where := fmt.Sprintf(" (line %d)", v.Line)
	target := l.cfg.value(f)
	switch {
	case f.typ.Kind() == reflect.Map:
		if v.Kind != yaml.MappingNode {
			l.probs.add(f.path, "write one OPERATION: RULE_NAME pair per line under it", "line %d: expected a mapping, found a %s", v.Line, kindName(v))
			return
		}
		entries := reflect.MakeMap(f.typ)
		for _, kv := range l.pairs(v, f.path) {
			if kv[1].Kind != yaml.ScalarNode {
				l.probs.add(f.path+"."+kv[0].Value, "give the rule name as a single value", "line %d: expected a single value, found a %s", kv[1].Line, kindName(kv[1]))
				continue
			}
			entries.SetMapIndex(reflect.ValueOf(kv[0].Value), reflect.ValueOf(kv[1].Value))
		}
		target.Set(entries)
	case f.typ.Kind() == reflect.Slice:
		var items []string
		switch v.Kind {
		case yaml.SequenceNode:
			items = make([]string, 0, len(v.Content))
			for _, it := range v.Content {
				it = resolve(it)
				if it.Kind != yaml.ScalarNode {
					l.probs.add(f.path, "list plain values only", "line %d: list item is a %s", it.Line, kindName(it))
					continue
				}
				items = append(items, it.Value)
			}
			target.Set(reflect.ValueOf(items))
		case yaml.ScalarNode:
			// One value (or a comma-separated line) is accepted as the list, as in env vars.
			_ = setText(target, v.Value)
		default:
			l.probs.add(f.path, "write a YAML list, e.g. [a, b]", "line %d: expected a list, found a %s", v.Line, kindName(v))
			return
		}
	default:
		if v.Kind != yaml.ScalarNode {
			l.probs.add(f.path, "give a single value", "line %d: expected a single value, found a %s", v.Line, kindName(v))
			return
		}
		if f.typ == durationType && v.Tag == "!!int" {
			l.probs.add(f.path, "add a unit, e.g. "+v.Value+"s", "line %d: %s has no unit", v.Line, v.Value)
			return
		}
		if err := setText(target, v.Value); err != nil {
			l.valueProblem(f, err, where)
			return
		}
		l.record(f.path, setter{name: f.path, value: comparable(f.path, v.Value), where: where})
	}
	l.origin[f.path] = fmt.Sprintf("line %d", v.Line)
}

func (l *loader) valueProblem(f *field, err error, where string) {
	var ve *valueError
	msg, fix := err.Error(), ""
	if errors.As(err, &ve) {
		msg, fix = ve.msg, ve.fix
	}
	if f.secret {
		msg = "the value cannot be used"
	}
	l.bad[f.path] = true
	l.probs.add(f.path, fix, "%s%s", msg, where)
}

// setAliasNode applies a top-level old name such as SJ_SERVER_ADDRESS.
func (l *loader) setAliasNode(a Alias, k, v *yaml.Node) {
	if isNull(v) {
		return
	}
	if v.Kind != yaml.ScalarNode {
		l.probs.add(a.Name, "give a single value", "line %d: expected a single value, found a %s", v.Line, kindName(v))
		return
	}
	where := fmt.Sprintf(" (line %d)", v.Line)
	val := a.Value(v.Value)
	if l.record(a.Key, setter{name: a.Name, value: comparable(a.Key, val), where: where, alias: true}) {
		_ = l.cfg.Set(a.Key, val)
		l.origin[a.Key] = fmt.Sprintf("%s at line %d", a.Name, k.Line)
	}
}

// comparable normalises a value the way an alias would, so that
// "api.mypurecloud.ie" and "eu_west_1" count as the same environment.
func comparable(key, v string) string {
	return Alias{Key: key}.Value(v)
}

// section is the first part of a dotted key ("server" of "server.publicURL").
func section(key string) string {
	sec, _, _ := strings.Cut(key, ".")
	return sec
}
