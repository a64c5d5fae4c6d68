package config

import (
	"errors"
	"fmt"
	"strings"
)

// Problem is one thing wrong (or, with Warning, merely suspicious) in the
// configuration. Key is the dotted config key, e.g. "servicejourney.domain";
// Message says what is wrong and Fix how to put it right. Neither ever holds
// a secret value.
type Problem struct {
	Key, Message, Fix string
	Warning           bool
}

// String renders "key: message — fix: fix" ("key: warning: ..." for warnings).
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Key)
	b.WriteString(": ")
	if p.Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Message)
	if p.Fix != "" {
		b.WriteString(" — fix: ")
		b.WriteString(p.Fix)
	}
	return b.String()
}

// Problems collects every problem found in one run so an administrator sees
// all mistakes at once instead of fixing them one restart at a time.
type Problems struct {
	List []Problem
}

func (ps *Problems) add(key, fix, format string, args ...any) {
	ps.List = append(ps.List, Problem{Key: key, Message: fmt.Sprintf(format, args...), Fix: fix})
}

func (ps *Problems) warn(key, fix, format string, args ...any) {
	ps.List = append(ps.List, Problem{Key: key, Message: fmt.Sprintf(format, args...), Fix: fix, Warning: true})
}

// Errors returns the problems that are not warnings.
func (ps *Problems) Errors() []Problem {
	if ps == nil {
		return nil
	}
	var out []Problem
	for _, p := range ps.List {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Warnings returns the problems that are only warnings.
func (ps *Problems) Warnings() []Problem {
	if ps == nil {
		return nil
	}
	var out []Problem
	for _, p := range ps.List {
		if p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// Err is nil when nothing but warnings (or nothing at all) was found;
// otherwise its message lists every error, one per line.
func (ps *Problems) Err() error {
	errs := ps.Errors()
	if len(errs) == 0 {
		return nil
	}
	lines := make([]string, len(errs))
	for i, p := range errs {
		lines[i] = p.String()
	}
	noun := "problems"
	if len(errs) == 1 {
		noun = "problem"
	}
	return errors.New(fmt.Sprintf("configuration has %d %s:\n", len(errs), noun) + strings.Join(lines, "\n"))
}

// String lists every problem, errors and warnings, one per line.
func (ps *Problems) String() string {
	if ps == nil {
		return ""
	}
	lines := make([]string, len(ps.List))
	for i, p := range ps.List {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
