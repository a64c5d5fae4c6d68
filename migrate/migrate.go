// Package migrate turns the old IIS install's Web.config (appSettings) and
// config.js into a dcmconnect YAML file. Old names are mapped with the one
// alias table in package config, so `migrate` and the aliases accepted at
// load time can never disagree.
package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"dcmconnect/config"
)

// MigrateOptions says what to read and where to write.
type MigrateOptions struct {
	WebConfigPath string // old C:\AppBaseGenesys\dcmservices\Web.config ("" to skip)
	ConfigJSPath  string // old C:\AppBaseGenesys\docs\config\config.js ("" to skip)
	OutPath       string // YAML to write; default "dcmconnect.yaml"; must not exist
	// InlineSecrets writes secrets into the YAML instead of separate files.
	InlineSecrets bool
}

// Mapping is an old value that went (or would go) to a new key.
type Mapping struct {
	Source string // "Web.config" or "config.js"
	Name   string // old name: appSettings key or config.js property path
	Line   int
	Key    string // new key; "" when the name is not known
	Value  string // as found; "******" for secrets
}

func (m Mapping) from() string {
	return fmt.Sprintf("%s %s (line %d)", m.Source, m.Name, m.Line)
}

// Unmapped is an old setting that has no place in the new config.
type Unmapped struct {
	Source, Name string
	Line         int
	Reason       string
}

// Conflict is two old values for one key that disagree; Kept won.
type Conflict struct {
	Key           string
	Kept, Dropped Mapping
}

// SecretFile is a secret written next to the YAML.
type SecretFile struct {
	Key, Path, EnvVar string
}

// Report is what Run did, for the administrator.
type Report struct {
	OutPath      string
	Mapped       []Mapping
	Placeholders []Mapping // values still of the form @NAME@
	Unmapped     []Unmapped
	Conflicts    []Conflict
	SecretFiles  []SecretFile
	Notes        []string
	// Problems is the result of loading the written file (with the secret
	// files supplied as *_FILE): what is left to fix before `serve`.
	Problems *config.Problems
}

// Run reads the old files, writes the new YAML (and secret files) and
// reports. Unreadable inputs, malformed XML and an existing OutPath are
// errors; everything else is in the Report.
func Run(opts MigrateOptions) (Report, error) {
	if opts.WebConfigPath == "" && opts.ConfigJSPath == "" {
		return Report{}, errors.New("nothing to migrate: give the old Web.config (--web-config) and/or config.js (--config-js)")
	}
	if opts.OutPath == "" {
		opts.OutPath = "dcmconnect.yaml"
	}
	rep := Report{OutPath: opts.OutPath}
	if _, err := os.Stat(opts.OutPath); err == nil {
		return rep, fmt.Errorf("%s already exists; choose another --out or move it away (migrate never overwrites a config)", opts.OutPath)
	}
	m := newMapper()
	if opts.WebConfigPath != "" {
		data, err := os.ReadFile(opts.WebConfigPath)
		if err != nil {
			return rep, fmt.Errorf("reading Web.config: %w", err)
		}
		settings, notes, err := parseWebConfig(data)
		if err != nil {
			return rep, fmt.Errorf("%s: %w", opts.WebConfigPath, err)
		}
		rep.Notes = append(rep.Notes, notes...)
		for _, s := range settings {
			a, ok := lookupWebConfig(s.name)
			m.add(config.OriginWebConfig, s, a, ok, "")
		}
	}
	if opts.ConfigJSPath != "" {
		data, err := os.ReadFile(opts.ConfigJSPath)
		if err != nil {
			return rep, fmt.Errorf("reading config.js: %w", err)
		}
		for _, s := range parseConfigJS(string(data)) {
			reason := ""
			if s.expr {
				reason = "the value is computed by JavaScript; set the new key by hand"
			}
			a, ok := lookupConfigJS(s.name, s.value)
			m.add(config.OriginConfigJS, s.setting, a, ok, reason)
		}
	}
	rep.Mapped, rep.Placeholders, rep.Unmapped, rep.Conflicts = m.all, m.placeholders, m.unmapped, m.conflicts
	if err := m.write(opts, &rep); err != nil {
		return rep, err
	}
	env := make([]string, 0, len(rep.SecretFiles))
	for _, sf := range rep.SecretFiles {
		env = append(env, sf.EnvVar+"="+sf.Path)
	}
	_, rep.Problems = config.Load(opts.OutPath, env)
	return rep, nil
}

// lookupWebConfig matches an appSettings key: exactly, else ignoring case
// (ASP.NET reads appSettings case-insensitively).
func lookupWebConfig(name string) (config.Alias, bool) {
	if a, ok := config.LookupAlias(name); ok {
		return a, true
	}
	for _, a := range config.Aliases() {
		if strings.EqualFold(a.Name, name) {
			return a, true
		}
	}
	return config.Alias{}, false
}

// lookupConfigJS matches a config.js property by its last name against the
// placeholders config.js held (clientId ~ @CLIENT_ID@, solutionUrl ~
// @SOLUTION_URL@), or, failing that, by the placeholder still in its value.
func lookupConfigJS(path, value string) (config.Alias, bool) {
	last := path[strings.LastIndex(path, ".")+1:]
	for _, a := range config.Aliases() {
		if a.Origin != config.OriginWebConfig && fold(a.Name) == fold(last) {
			return a, true
		}
	}
	if ph := config.Placeholder(value); ph == strings.TrimSpace(value) && ph != "" {
		return config.LookupAlias(strings.Trim(ph, "@"))
	}
	return config.Alias{}, false
}

func fold(s string) string {
	return strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
}

// mapper collects the values per new key.
type mapper struct {
	all          []Mapping // every real (non-placeholder) value mapped, in file order
	keys         map[string]*entry
	order        []string
	placeholders []Mapping
	unmapped     []Unmapped
	conflicts    []Conflict
}

type entry struct {
	m     Mapping
	value string // normalised by the alias, unredacted
}

func newMapper() *mapper { return &mapper{keys: map[string]*entry{}} }

func (m *mapper) add(source string, s setting, a config.Alias, ok bool, reason string) {
	if !ok {
		if reason == "" {
			reason = "no dcmconnect key; not needed any more, or set by hand"
		}
		m.unmapped = append(m.unmapped, Unmapped{Source: source, Name: s.name, Line: s.line, Reason: reason})
		return
	}
	if reason != "" {
		m.unmapped = append(m.unmapped, Unmapped{Source: source, Name: s.name, Line: s.line, Reason: reason + " (" + a.Key + ")"})
		return
	}
	raw := strings.TrimSpace(s.value)
	// Show the value as it will be written (base URL, bare environment).
	shown := a.Value(raw)
	if config.IsSecret(a.Key) {
		shown = "******"
	}
	mp := Mapping{Source: source, Name: s.name, Line: s.line, Key: a.Key, Value: shown}
	if raw == "" {
		m.unmapped = append(m.unmapped, Unmapped{Source: source, Name: s.name, Line: s.line, Reason: "empty; set " + a.Key + " by hand"})
		return
	}
	isPlaceholder := config.Placeholder(raw) != ""
	if isPlaceholder {
		m.placeholders = append(m.placeholders, mp)
	} else {
		m.all = append(m.all, mp)
	}
	e := &entry{m: mp, value: a.Value(raw)}
	prev, seen := m.keys[a.Key]
	switch {
	case !seen:
		m.keys[a.Key] = e
		m.order = append(m.order, a.Key)
	case prev.value == e.value:
	case config.Placeholder(prev.value) != "" && !isPlaceholder:
		m.keys[a.Key] = e // a real value beats a placeholder
	case isPlaceholder:
	default:
		m.conflicts = append(m.conflicts, Conflict{Key: a.Key, Kept: prev.m, Dropped: mp})
	}
}

// secretFileName is the file a secret key is written to: genesys.clientSecret
// -> genesys-client-secret.
func secretFileName(key string) string {
	var b strings.Builder
	for _, r := range key {
		switch {
		case r == '.':
			b.WriteByte('-')
		case r >= 'A' && r <= 'Z':
			b.WriteByte('-')
			b.WriteRune(r + ('a' - 'A'))
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (m *mapper) writeSecrets(opts MigrateOptions, rep *Report) (map[string]SecretFile, error) {
	files := map[string]SecretFile{}
	if opts.InlineSecrets {
		return files, nil
	}
	dir := filepath.Join(filepath.Dir(opts.OutPath), "secrets")
	// Check every file before writing any: a secrets file left by an earlier
	// migrate in this directory may be what another config reads, so it is
	// reused when it holds the same value and never overwritten.
	type secretOut struct{ key, path, content string }
	var outs []secretOut
	for _, k := range m.order {
		e := m.keys[k]
		if !config.IsSecret(k) || config.Placeholder(e.value) != "" {
			continue
		}
		path := filepath.Join(dir, secretFileName(k))
		content := e.value + "\n"
		if old, err := os.ReadFile(path); err == nil && string(old) != content {
			return nil, fmt.Errorf("%s already exists with another value (another config may read it); move it away, or write this config to another directory with --out (migrate never overwrites a secret)", path)
		} else if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("checking %s: %w", path, err)
		}
		outs = append(outs, secretOut{k, path, content})
	}
	for _, o := range outs {
		k, path := o.key, o.path
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("creating %s: %w", dir, err)
		}
		// O_EXCL: created with 0600 from the start; an existing one holds this very value.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		switch {
		case errors.Is(err, os.ErrExist):
		case err != nil:
			return nil, fmt.Errorf("writing %s: %w", path, err)
		default:
			_, werr := f.WriteString(o.content)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				return nil, fmt.Errorf("writing %s: %w", path, werr)
			}
		}
		if err := os.Chmod(path, 0o600); err != nil {
			return nil, err
		}
		abs, err := filepath.Abs(path)
		if err != nil {
			abs = path
		}
		sf := SecretFile{Key: k, Path: abs, EnvVar: config.EnvName(k) + "_FILE"}
		files[k] = sf
		rep.SecretFiles = append(rep.SecretFiles, sf)
	}
	return files, nil
}
