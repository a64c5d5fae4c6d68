package config

import (
	"reflect"
)

// redactedMark replaces a secret in displays.
const redactedMark = "******"

// APIBaseURL is genesys.apiURL when set, else https://api.<environment>.
func (c *Config) APIBaseURL() string {
	return c.hostURL(c.Genesys.APIURL, "api.")
}

// LoginBaseURL is genesys.loginURL when set, else https://login.<environment>.
func (c *Config) LoginBaseURL() string {
	return c.hostURL(c.Genesys.LoginURL, "login.")
}

// AppsOrigin is https://apps.<environment>: the origin of the Genesys Cloud
// desktop, which frames our pages.
func (c *Config) AppsOrigin() string {
	return c.hostURL("", "apps.")
}

func (c *Config) hostURL(override, prefix string) string {
	if override != "" {
		return override
	}
	if c.Genesys.Environment == "" {
		return ""
	}
	return "https://" + prefix + c.Genesys.Environment
}

// InProcessUserSync reports whether serve runs the user sync job itself
// (default true; false when a CronJob runs `dcmconnect sync users`).
func (c *Config) InProcessUserSync() bool {
	return c.UserMap.InProcess == nil || *c.UserMap.InProcess
}

// InProcessInteractionSync is InProcessUserSync for the interaction sync job.
func (c *Config) InProcessInteractionSync() bool {
	return c.Interactions.InProcess == nil || *c.Interactions.InProcess
}

// Redacted returns a deep copy safe to display: every field tagged
// secret:"true" that is set reads "******".
func (c *Config) Redacted() *Config {
	out := c.clone()
	for _, f := range fields {
		if v := out.value(f); f.secret && v.String() != "" {
			v.SetString(redactedMark)
		}
	}
	return out
}

// clone deep-copies c so that slices, maps and pointers are not shared.
func (c *Config) clone() *Config {
	out := *c
	for _, f := range fields {
		v := out.value(f)
		switch v.Kind() {
		case reflect.Slice:
			if !v.IsNil() {
				cp := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
				reflect.Copy(cp, v)
				v.Set(cp)
			}
		case reflect.Map:
			if !v.IsNil() {
				cp := reflect.MakeMapWithSize(v.Type(), v.Len())
				for _, k := range v.MapKeys() {
					cp.SetMapIndex(k, v.MapIndex(k))
				}
				v.Set(cp)
			}
		case reflect.Pointer:
			if !v.IsNil() {
				cp := reflect.New(v.Type().Elem())
				cp.Elem().Set(v.Elem())
				v.Set(cp)
			}
		}
	}
	return &out
}
