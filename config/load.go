package config

import (
	"os"
)

// fileKey is the Problem.Key for problems with the file as a whole.
const fileKey = "config file"

// loader carries one Load/Parse run: the config being built, the problems
// found, and where each key's value came from so messages can say
// "(line 12)" or "(from DCM_GENESYS_APIURL)".
type loader struct {
	cfg    *Config
	probs  *Problems
	origin map[string]string
	// setBy records, per source pass, which name set each key to which value,
	// to catch an alias and the new key disagreeing.
	setBy map[string]setter
	// bad marks keys already reported while reading, so validation does not
	// pile "missing" on top of "cannot read the file named by ...".
	bad map[string]bool
	// broken is set when the file could not be read or parsed: validating
	// the rest would only report its keys as missing.
	broken bool
}

type setter struct {
	name  string // key path or alias name
	value string // normalised for comparison
	where string
	alias bool
}

func newLoader() *loader {
	c := &Config{}
	c.Defaults()
	return &loader{cfg: c, probs: &Problems{}, origin: map[string]string{}, bad: map[string]bool{}}
}

// Load reads the YAML file at path (or nothing when path is ""), applies
// defaults and the env overrides in env (os.Environ() form), normalises and
// validates. It always returns a Config (best effort) and the problems found;
// check Problems.Err() before using the Config.
func Load(path string, env []string) (*Config, *Problems) {
	l := newLoader()
	var data []byte
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			l.probs.add(fileKey, "check the --config path and the file's permissions, or pass no file and configure with DCM_* variables",
				"cannot read %s: %v", path, errText(err))
			l.broken = true
		}
	}
	return l.run(data, env)
}

// Parse is Load for YAML already in memory.
func Parse(data []byte, env []string) (*Config, *Problems) {
	return newLoader().run(data, env)
}

func (l *loader) run(data []byte, env []string) (*Config, *Problems) {
	l.decodeYAML(data)
	l.applyEnv(env)
	l.cfg.normalize()
	if !l.broken {
		l.probs.List = append(l.probs.List, validate(l.cfg, l.origin, l.bad).List...)
	}
	return l.cfg, l.probs
}

// record notes that name set key (in the current source pass) and reports a
// problem when an alias and the new key, or two aliases, disagree. It
// returns false when the value should not be applied (the new key wins).
func (l *loader) record(key string, s setter) bool {
	prev, ok := l.setBy[key]
	if !ok {
		l.setBy[key] = s
		return true
	}
	if prev.value == s.value {
		return true
	}
	if IsSecret(key) {
		l.probs.add(key, "keep only one of them", "set twice with different values, by %s%s and by %s%s", prev.name, prev.where, s.name, s.where)
	} else {
		l.probs.add(key, "keep only one of them", "set twice with different values: %s%s says %q, %s%s says %q",
			prev.name, prev.where, prev.value, s.name, s.where, s.value)
	}
	if prev.alias && !s.alias {
		l.setBy[key] = s
		return true
	}
	return false // the first of two aliases, or the new key, stays
}

// errText strips the Go error down to its message (no secrets are involved
// in file errors; this only keeps messages short).
func errText(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}
