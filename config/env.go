package config

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
)

// maxSecretFile bounds *_FILE reads: a secret is short, and a path pointing
// at something large is a mistake worth reporting rather than loading.
const maxSecretFile = 64 << 10

// applyEnv applies overrides from env (os.Environ() form; a later duplicate
// wins). Accepted names:
//   - DCM_<SECTION>_<KEY>, case-insensitive, "_" inside KEY ignored
//     (DCM_GENESYS_CLIENT_SECRET = DCM_GENESYS_CLIENTSECRET = genesys.clientSecret);
//   - DCM_SERVICEJOURNEY_RULES_<OPERATION> for one entry of the rules map;
//   - <name>_FILE for secrets: the file's contents, trailing newline trimmed;
//   - the old install's names (Alias.Name), exactly as spelled, plus _FILE for secrets.
//
// DCM_* variables whose section is not ours (DCM_SKIP_BROWSER, say) belong
// to other tools and are ignored.
func (l *loader) applyEnv(env []string) {
	vars := map[string]string{}
	for _, kv := range env {
		name, val, ok := strings.Cut(kv, "=")
		if ok && name != "" {
			vars[name] = val
		}
	}
	names := make([]string, 0, len(vars))
	for n := range vars {
		names = append(names, n)
	}
	slices.Sort(names)
	l.setBy = map[string]setter{}
	for _, name := range names {
		l.applyEnvVar(name, vars[name], vars)
	}
}

func (l *loader) applyEnvVar(name, val string, vars map[string]string) {
	if a, ok := LookupAlias(name); ok {
		l.setEnv(a.Key, name, a.Value(val), true)
		return
	}
	if base, isFile := strings.CutSuffix(name, "_FILE"); isFile {
		if a, ok := LookupAlias(base); ok {
			if !IsSecret(a.Key) {
				l.probs.add(a.Key, "set "+base+" itself", "%s: only secrets can be read from a file", name)
				return
			}
			l.setEnvFile(fieldByPath[a.Key], name, base, val, vars, true)
			return
		}
	}
	upper := strings.ToUpper(name)
	if !strings.HasPrefix(upper, "DCM_") {
		return
	}
	rest := name[len("DCM_"):]
	norm := normName(rest)
	for _, f := range fields {
		if f.norm == norm {
			l.setEnv(f.path, name, val, false)
			return
		}
	}
	// "DCM_FILE" alone ends in _FILE but names no key: base is then "DCM".
	if base, isFile := strings.CutSuffix(upper, "_FILE"); isFile && strings.HasPrefix(base, "DCM_") {
		bnorm := normName(base[len("DCM_"):])
		for _, f := range fields {
			if f.norm == bnorm {
				if !f.secret {
					l.probs.add(f.path, "set "+EnvName(f.path)+" itself", "%s: only secrets can be read from a file", name)
					return
				}
				l.setEnvFile(f, name, name[:len(name)-len("_FILE")], val, vars, false)
				return
			}
		}
	}
	for _, f := range fields {
		if f.typ.Kind() != reflect.Map {
			continue
		}
		for i := 0; i < len(rest); i++ {
			if rest[i] == '_' && normName(rest[:i]) == f.norm && i+1 < len(rest) {
				op := strings.ToUpper(rest[i+1:])
				_ = l.cfg.Set(f.path+"."+op, strings.TrimSpace(val))
				l.origin[f.path] = "from " + name
				return
			}
		}
	}
	l.unknownEnv(name, rest, norm)
}

// unknownEnv reports a DCM_ variable that looks meant for us but matches no key.
func (l *loader) unknownEnv(name, rest, norm string) {
	for _, a := range aliases {
		if strings.EqualFold(a.Name, name) {
			l.probs.warn(a.Key, "rename it to "+a.Name+" (old names are case-sensitive) or use "+EnvName(a.Key),
				"environment variable %s is ignored", name)
			return
		}
	}
	section, _, _ := strings.Cut(rest, "_")
	for _, s := range sections() {
		if strings.HasPrefix(norm, strings.ToLower(s)) {
			envs := make([]string, len(fields))
			for i, f := range fields {
				envs[i] = EnvName(f.path)
			}
			fix := "remove it; names are DCM_<SECTION>_<KEY>, e.g. " + EnvName(firstKey(s))
			if sg := suggest(name, envs); sg != "" {
				fix = "did you mean " + sg + "?"
			}
			l.probs.add(s, fix, "environment variable %s matches no key", name)
			return
		}
	}
	if sg := suggest(section, sections()); sg != "" {
		l.probs.warn(sg, "the sections are "+strings.Join(sections(), ", "),
			"environment variable %s is ignored: no section %q (did you mean %s?)", name, section, strings.ToUpper(sg))
	}
}

// setEnv applies one value from the environment.
func (l *loader) setEnv(key, name, val string, alias bool) {
	f := fieldByPath[key]
	where := " (from " + name + ")"
	if l.record(key, setter{name: name, value: comparable(key, val), where: "", alias: alias}) {
		if err := setText(l.cfg.value(f), val); err != nil {
			l.valueProblem(f, err, where)
			return
		}
		l.origin[key] = "from " + name
	}
}

// setEnvFile applies a secret from the file named by env var name; base is
// the same variable without _FILE, which must not be set as well.
func (l *loader) setEnvFile(f *field, name, base, path string, vars map[string]string, alias bool) {
	if _, both := vars[base]; both {
		l.probs.add(f.path, "unset one of them", "both %s and %s are set", base, name)
		l.bad[f.path] = true
		return
	}
	secret, err := readSecretFile(path)
	if err != nil {
		l.bad[f.path] = true
		l.probs.add(f.path, "point "+name+" at a readable file holding only the secret",
			"cannot read the file named by %s: %v", name, err)
		return
	}
	l.setEnv(f.path, name, secret, alias)
}

func readSecretFile(path string) (string, error) {
	if strings.TrimSpace(path) == "" {
		return "", fmt.Errorf("the variable is empty")
	}
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("%s: %s", path, errText(err))
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, maxSecretFile+1))
	if err != nil {
		return "", fmt.Errorf("%s: %s", path, errText(err))
	}
	if len(data) > maxSecretFile {
		return "", fmt.Errorf("%s is larger than %d KiB; is it the right file?", path, maxSecretFile>>10)
	}
	s := strings.TrimRight(string(data), "\r\n")
	if s == "" {
		return "", fmt.Errorf("%s is empty", path)
	}
	return s, nil
}

func firstKey(section string) string {
	for _, f := range fields {
		if strings.HasPrefix(f.path, section+".") {
			return f.path
		}
	}
	return section
}
