package migrate

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"dcmconnect/config"
)

// write renders the mapped keys as YAML, each with a comment saying where it
// came from; keys not mapped keep their defaults and are left out.
func (m *mapper) write(opts MigrateOptions, rep *Report) error {
	secrets, err := m.writeSecrets(opts, rep)
	if err != nil {
		return err
	}
	root := &yaml.Node{Kind: yaml.MappingNode}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
	var sources []string
	for _, p := range []string{opts.WebConfigPath, opts.ConfigJSPath} {
		if p != "" {
			sources = append(sources, p)
		}
	}
	doc.HeadComment = "Written by `dcmconnect migrate` from " + strings.Join(sources, " and ") + ".\n" +
		"Keys not listed keep their defaults (see deploy/dcmconnect.example.yaml).\n" +
		"Check it with: dcmconnect check-config --config " + opts.OutPath
	// The old pages logged in with a "Token Implicit Grant" client (install
	// step 6); keep that grant until a PKCE client replaces it.
	_, implicit := m.keys["genesys.browserClientId"]
	sectionHead := map[string][]string{}
	for _, k := range config.Keys() {
		if sf, ok := secrets[k]; ok {
			sec, _, _ := strings.Cut(k, ".")
			sectionHead[sec] = append(sectionHead[sec],
				fmt.Sprintf("%s is in %s (mode 0600): run with %s=%s", k[len(sec)+1:], sf.Path, sf.EnvVar, sf.Path))
		}
	}
	for _, k := range config.Keys() {
		var value, comment string
		if e, ok := m.keys[k]; ok {
			if _, inFile := secrets[k]; inFile {
				continue
			}
			value, comment = e.value, "from "+e.m.from()
			if ph := config.Placeholder(e.value); ph != "" {
				comment = "TODO: still a placeholder in " + e.m.from() + "; replace it"
			}
			for _, c := range m.conflicts {
				if c.Key == k {
					comment += "; " + c.Dropped.from() + " disagrees"
					if !config.IsSecret(k) {
						comment += fmt.Sprintf(" (%q)", c.Dropped.Value)
					}
				}
			}
		} else if k == "genesys.browserGrant" && implicit {
			value, comment = "implicit", "the old browser client uses the implicit grant; create a PKCE client and switch to pkce before March 2027"
		} else if k == "servicejourney.profile" {
			// The old install worked through its own custom rules, one per
			// operation; the default (standard) would call stock rules instead.
			value, comment = "connector", "the old connector's custom rules (<integrationCode>_<OP>); standard would run the stock DCM rules instead"
		} else {
			continue
		}
		parent := mappingFor(root, strings.Split(k, "."))
		last := k[strings.LastIndex(k, ".")+1:]
		parent.Content = append(parent.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: last},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, LineComment: comment})
	}
	// Secret hints go above their section, creating it if only the secret was there.
	for _, sec := range []string{"genesys", "servicejourney"} {
		if head := sectionHead[sec]; len(head) > 0 {
			if findKey(root, sec) == nil {
				root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: sec}, &yaml.Node{Kind: yaml.MappingNode})
			}
			for i := 0; i < len(root.Content); i += 2 {
				if root.Content[i].Value == sec {
					root.Content[i].HeadComment = strings.Join(head, "\n")
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("rendering YAML: %w", err)
	}
	mode := os.FileMode(0o644)
	if opts.InlineSecrets {
		mode = 0o600
	}
	f, err := os.OpenFile(opts.OutPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return fmt.Errorf("writing %s: %w", opts.OutPath, err)
	}
	if _, err := f.Write(buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", opts.OutPath, err)
	}
	return f.Close()
}

func findKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// mappingFor returns the mapping that holds the last element of path,
// creating the mappings on the way.
func mappingFor(root *yaml.Node, path []string) *yaml.Node {
	cur := root
	for _, name := range path[:len(path)-1] {
		next := findKey(cur, name)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			cur.Content = append(cur.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: name}, next)
		}
		cur = next
	}
	return cur
}
