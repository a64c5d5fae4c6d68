package deploy

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"dcmconnect/config"
)

// obj is one Kubernetes object, kept generic: the test reads fields by path.
type obj map[string]any

func (o obj) get(path ...string) any {
	var cur any = map[string]any(o)
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[p]
	}
	return cur
}

func (o obj) str(path ...string) string { s, _ := o.get(path...).(string); return s }

func (o obj) list(path ...string) []obj {
	raw, _ := o.get(path...).([]any)
	out := make([]obj, 0, len(raw))
	for _, r := range raw {
		if m, ok := r.(map[string]any); ok {
			out = append(out, obj(m))
		}
	}
	return out
}

func (o obj) name() string { return o.str("metadata", "name") }

// loadManifests decodes every document of every YAML file under kubernetes/.
func loadManifests(t *testing.T) (map[string][]obj, []string) {
	t.Helper()
	files, err := filepath.Glob("kubernetes/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	byKind := map[string][]obj{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(data))
		for i := 0; ; i++ {
			var doc map[string]any
			err := dec.Decode(&doc)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s document %d: %v", f, i, err)
			}
			o := obj(doc)
			if o.str("apiVersion") == "" || o.str("kind") == "" {
				t.Errorf("%s document %d lacks apiVersion or kind", f, i)
			}
			if o.str("kind") != "Kustomization" && o.name() == "" {
				t.Errorf("%s document %d lacks metadata.name", f, i)
			}
			byKind[o.str("kind")] = append(byKind[o.str("kind")], o)
		}
	}
	return byKind, files
}

func one(t *testing.T, byKind map[string][]obj, kind string) obj {
	t.Helper()
	if len(byKind[kind]) != 1 {
		t.Fatalf("want one %s, got %d", kind, len(byKind[kind]))
	}
	return byKind[kind][0]
}

func envOf(c obj) map[string]string {
	env := map[string]string{}
	for _, e := range c.list("env") {
		env[e.str("name")] = e.str("value")
	}
	return env
}

func TestDeploymentProbesAndJobsOff(t *testing.T) {
	byKind, _ := loadManifests(t)
	d := one(t, byKind, "Deployment")
	pod := obj(d.get("spec", "template", "spec").(map[string]any))
	containers := pod.list("containers")
	if len(containers) != 1 {
		t.Fatalf("containers: %d", len(containers))
	}
	c := containers[0]
	if got := c.str("readinessProbe", "httpGet", "path"); got != "/readyz" {
		t.Errorf("readiness probe path %q, want /readyz", got)
	}
	if got := c.str("livenessProbe", "httpGet", "path"); got != "/healthz" {
		t.Errorf("liveness probe path %q, want /healthz", got)
	}
	ports := c.list("ports")
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		port := c.get(probe, "httpGet", "port")
		if len(ports) != 1 || (port != ports[0].str("name") && port != ports[0].get("containerPort")) {
			t.Errorf("%s port %v is not the container port %v", probe, port, ports)
		}
	}
	env := envOf(c)
	if env["DCM_USERMAP_INPROCESS"] != "false" || env["DCM_INTERACTIONS_INPROCESS"] != "false" {
		t.Errorf("in-process jobs not disabled: %v", env)
	}
	// The environment really switches them off when config reads it.
	cfg := loadWithPodEnv(t, byKind, env)
	if cfg.InProcessUserSync() || cfg.InProcessInteractionSync() {
		t.Error("config still runs the jobs in-process with the Deployment's env")
	}
	// Replicas elect the one event listener through the Lease.
	if env["DCM_EVENTS_LEADER_MODE"] != "kubernetes" || cfg.Events.Leader.Mode != "kubernetes" {
		t.Errorf("events.leader.mode = %q with the Deployment's env %v; want kubernetes", cfg.Events.Leader.Mode, env)
	}
	for _, r := range []string{"cpu", "memory"} {
		if c.get("resources", "requests", r) == nil {
			t.Errorf("no %s request", r)
		}
	}
	checkHardened(t, "Deployment", pod, c)
	if args := strings.Join(toStrings(c.get("args")), " "); !strings.HasPrefix(args, "serve ") {
		t.Errorf("Deployment args %q do not run serve", args)
	}
}

func TestCronJobsForbidConcurrency(t *testing.T) {
	byKind, _ := loadManifests(t)
	jobs := map[string]bool{}
	for _, cj := range byKind["CronJob"] {
		if got := cj.str("spec", "concurrencyPolicy"); got != "Forbid" {
			t.Errorf("CronJob %s concurrencyPolicy %q, want Forbid", cj.name(), got)
		}
		pod := obj(cj.get("spec", "jobTemplate", "spec", "template", "spec").(map[string]any))
		cs := pod.list("containers")
		if len(cs) != 1 {
			t.Fatalf("CronJob %s: %d containers", cj.name(), len(cs))
		}
		args := toStrings(cs[0].get("args"))
		if len(args) < 2 || args[0] != "sync" {
			t.Errorf("CronJob %s args %v do not run dcmconnect sync", cj.name(), args)
			continue
		}
		jobs[args[1]] = true
		checkHardened(t, "CronJob "+cj.name(), pod, cs[0])
		loadWithPodEnv(t, byKind, envOf(cs[0]))
		if r := pod.str("restartPolicy"); r != "Never" && r != "OnFailure" {
			t.Errorf("CronJob %s restartPolicy %q", cj.name(), r)
		}
	}
	if !jobs["users"] || !jobs["interactions"] || len(jobs) != 2 {
		t.Errorf("want CronJobs for sync users and sync interactions, got %v", jobs)
	}
}

// checkHardened asserts the pod runs non-root on a read-only root file system
// and mounts the credentials it names in *_FILE variables.
func checkHardened(t *testing.T, what string, pod, c obj) {
	t.Helper()
	if c.get("securityContext", "readOnlyRootFilesystem") != true {
		t.Errorf("%s: readOnlyRootFilesystem is not true", what)
	}
	if c.get("securityContext", "runAsNonRoot") != true && pod.get("securityContext", "runAsNonRoot") != true {
		t.Errorf("%s: runAsNonRoot is not true", what)
	}
	if c.get("securityContext", "allowPrivilegeEscalation") != false {
		t.Errorf("%s: allowPrivilegeEscalation is not false", what)
	}
	// Only the server mounts a token, for the event listener's Lease, and only
	// of the service account TestLeaseRBAC confines to that Lease.
	if pod.get("automountServiceAccountToken") != false && (what != "Deployment" || pod.str("serviceAccountName") != leaseAccount) {
		t.Errorf("%s: service account token mounted (only the Deployment, as %s, may)", what, leaseAccount)
	}
	mounts := map[string]string{} // mount path -> volume name
	for _, m := range c.list("volumeMounts") {
		mounts[m.str("mountPath")] = m.str("name")
	}
	secretVolumes := map[string]bool{}
	for _, v := range pod.list("volumes") {
		if v.str("secret", "secretName") == "dcmconnect-credentials" {
			secretVolumes[v.str("name")] = true
		}
	}
	files := 0
	for name, value := range envOf(c) {
		if !strings.HasSuffix(name, "_FILE") {
			continue
		}
		files++
		if !secretVolumes[mounts[filepath.Dir(value)]] {
			t.Errorf("%s: %s=%s is not inside the mounted credentials Secret", what, name, value)
		}
	}
	if files != 2 {
		t.Errorf("%s: want the two secrets as *_FILE, got %d", what, files)
	}
}

// loadWithPodEnv loads the ConfigMap's dcmconnect.yaml with a pod's env,
// the Secret's keys standing in for the mounted files (with test values,
// as the manifest's placeholders must be replaced before use).
func loadWithPodEnv(t *testing.T, byKind map[string][]obj, podEnv map[string]string) *config.Config {
	t.Helper()
	cm := one(t, byKind, "ConfigMap")
	secret := one(t, byKind, "Secret")
	dir := t.TempDir()
	yml := cm.str("data", "dcmconnect.yaml")
	path := filepath.Join(dir, "dcmconnect.yaml")
	if err := os.WriteFile(path, []byte(yml), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for name, value := range podEnv {
		if strings.HasSuffix(name, "_FILE") {
			key := filepath.Base(value)
			if _, ok := secret.get("stringData").(map[string]any)[key]; !ok {
				t.Errorf("%s names %s, which the Secret does not hold", name, key)
			}
			value = filepath.Join(dir, key)
			if err := os.WriteFile(value, []byte("test-value-for-"+key+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		env = append(env, name+"="+value)
	}
	c, ps := config.Load(path, env)
	if len(ps.List) != 0 {
		t.Fatalf("ConfigMap config with the pod env has problems:\n%s", ps)
	}
	return c
}

func toStrings(v any) []string {
	raw, _ := v.([]any)
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i], _ = r.(string)
	}
	return out
}

func TestSecretPlaceholdersAreRefused(t *testing.T) {
	// Applying the example Secret unchanged must not yield a working server.
	byKind, _ := loadManifests(t)
	for key, v := range one(t, byKind, "Secret").get("stringData").(map[string]any) {
		if config.Placeholder(v.(string)) == "" {
			t.Errorf("Secret %s holds a value that is not a placeholder", key)
		}
	}
}

func TestServicePDBIngressWiring(t *testing.T) {
	byKind, files := loadManifests(t)
	d := one(t, byKind, "Deployment")
	podLabels := d.get("spec", "template", "metadata", "labels").(map[string]any)
	matches := func(sel any) bool {
		m, ok := sel.(map[string]any)
		if !ok || len(m) == 0 {
			return false
		}
		for k, v := range m {
			if podLabels[k] != v {
				return false
			}
		}
		return true
	}
	if !matches(d.get("spec", "selector", "matchLabels")) {
		t.Error("Deployment selector does not match its pods")
	}
	svc := one(t, byKind, "Service")
	if !matches(svc.get("spec", "selector")) {
		t.Error("Service selector does not match the Deployment's pods")
	}
	pdb := one(t, byKind, "PodDisruptionBudget")
	if !matches(pdb.get("spec", "selector", "matchLabels")) {
		t.Error("PodDisruptionBudget selector does not match the Deployment's pods")
	}
	if pdb.get("spec", "minAvailable") == nil && pdb.get("spec", "maxUnavailable") == nil {
		t.Error("PodDisruptionBudget sets neither minAvailable nor maxUnavailable")
	}
	svcPorts := map[string]bool{}
	for _, p := range svc.list("spec", "ports") {
		svcPorts[p.str("name")] = true
		if p.str("targetPort") != "http" {
			t.Errorf("Service targetPort %v is not the container's http port", p.get("targetPort"))
		}
	}
	ing := one(t, byKind, "Ingress")
	paths := map[string]bool{}
	for _, r := range ing.list("spec", "rules") {
		for _, p := range r.list("http", "paths") {
			paths[p.str("path")] = true
			if p.str("backend", "service", "name") != svc.name() || !svcPorts[p.str("backend", "service", "port", "name")] {
				t.Errorf("Ingress path %s does not route to the Service", p.str("path"))
			}
		}
	}
	if !paths["/dcm-connect-docs"] || !paths["/dcm-connect-service"] || len(paths) != 2 {
		t.Errorf("Ingress paths %v, want exactly the two public prefixes", paths)
	}
	// The kustomization lists every manifest.
	k := one(t, byKind, "Kustomization")
	listed := toStrings(k.get("resources"))
	for _, f := range files {
		if base := filepath.Base(f); base != "kustomization.yaml" && !slices.Contains(listed, base) {
			t.Errorf("kustomization.yaml does not list %s", base)
		}
	}
}

func TestSystemdUnitHardened(t *testing.T) {
	f, err := os.Open("systemd/dcmconnect.service")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	settings := map[string][]string{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[]")
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("malformed line %q", line)
			continue
		}
		settings[section+"."+k] = append(settings[section+"."+k], v)
	}
	for key, want := range map[string]string{
		"Service.DynamicUser": "yes", "Service.ProtectSystem": "strict", "Service.NoNewPrivileges": "yes",
		"Service.ProtectHome": "yes", "Service.PrivateTmp": "yes", "Service.KillSignal": "SIGTERM",
		"Install.WantedBy": "multi-user.target",
	} {
		if got := settings[key]; len(got) != 1 || got[0] != want {
			t.Errorf("%s = %v, want %s", key, got, want)
		}
	}
	if exec := settings["Service.ExecStart"]; len(exec) != 1 || !strings.Contains(exec[0], "dcmconnect serve") {
		t.Errorf("ExecStart %v", exec)
	}
	// Each *_FILE points into the credentials directory at a loaded credential.
	creds := map[string]bool{}
	for _, lc := range settings["Service.LoadCredential"] {
		id, _, _ := strings.Cut(lc, ":")
		creds[id] = true
	}
	files := 0
	for _, e := range settings["Service.Environment"] {
		name, value, _ := strings.Cut(e, "=")
		if strings.HasSuffix(name, "_FILE") {
			files++
			if !strings.HasPrefix(value, "%d/") || !creds[strings.TrimPrefix(value, "%d/")] {
				t.Errorf("%s=%s is not a LoadCredential in %%d", name, value)
			}
			if !config.IsSecret(keyForEnv(name)) {
				t.Errorf("%s is not the _FILE form of a secret key", name)
			}
		}
	}
	if files != 2 || len(creds) != 2 {
		t.Errorf("want both secrets via LoadCredential, got %d env, %v", files, creds)
	}
}

// keyForEnv maps DCM_GENESYS_CLIENTSECRET_FILE back to genesys.clientSecret.
func keyForEnv(name string) string {
	for _, k := range config.Keys() {
		if config.EnvName(k)+"_FILE" == name {
			return k
		}
	}
	return ""
}

func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	froms := regexp.MustCompile(`(?m)^FROM\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(froms) < 2 {
		t.Fatalf("not multi-stage: %v", froms)
	}
	final := froms[len(froms)-1][1]
	if !strings.Contains(final, "distroless/static") && final != "scratch" {
		t.Errorf("final stage %s is not a static base", final)
	}
	if !regexp.MustCompile(`CGO_ENABLED=0[^\n]*(\\\n[^\n]*)*go build`).MatchString(text) {
		t.Error("go build is not run with CGO_ENABLED=0")
	}
	users := regexp.MustCompile(`(?m)^USER\s+(\S+)`).FindAllStringSubmatch(text, -1)
	if len(users) == 0 {
		t.Fatal("no USER")
	}
	if u := users[len(users)-1][1]; strings.HasPrefix(u, "0") || strings.HasPrefix(u, "root") || !regexp.MustCompile(`^[1-9][0-9]*(:[1-9][0-9]*)?$`).MatchString(u) {
		t.Errorf("final USER %s is not a numeric non-root user", u)
	}
	if !strings.Contains(text, "./cmd/dcmconnect") {
		t.Error("does not build ./cmd/dcmconnect")
	}
	if regexp.MustCompile(`(?m)^HEALTHCHECK`).MatchString(text) {
		t.Error("HEALTHCHECK needs a shell or curl the static image does not have")
	}
}

// IIS web.config: <rewrite><rules><rule><match url/><action url/></rule>.
type iisConfig struct {
	Rules []struct {
		Name  string `xml:"name,attr"`
		Match struct {
			URL        string `xml:"url,attr"`
			IgnoreCase string `xml:"ignoreCase,attr"`
		} `xml:"match"`
		Action struct {
			Type string `xml:"type,attr"`
			URL  string `xml:"url,attr"`
		} `xml:"action"`
	} `xml:"system.webServer>rewrite>rules>rule"`
}

// rewrite applies the rules the way URL Rewrite does (first match wins;
// the match is against the path without the leading "/"; {R:n} are groups).
func (c iisConfig) rewrite(path string) (string, bool) {
	for _, r := range c.Rules {
		expr := r.Match.URL
		if r.Match.IgnoreCase != "false" {
			expr = "(?i)" + expr
		}
		m := regexp.MustCompile(expr).FindStringSubmatch(strings.TrimPrefix(path, "/"))
		if m == nil {
			continue
		}
		out := r.Action.URL
		for i := len(m) - 1; i >= 0; i-- {
			out = strings.ReplaceAll(out, "{R:"+string(rune('0'+i))+"}", m[i])
		}
		return out, r.Action.Type == "Rewrite"
	}
	return "", false
}

func TestIISWebConfigForwardsBothPaths(t *testing.T) {
	data, err := os.ReadFile("iis/web.config")
	if err != nil {
		t.Fatal(err)
	}
	var c iisConfig
	if err := xml.Unmarshal(data, &c); err != nil {
		t.Fatalf("iis/web.config is not valid XML: %v", err)
	}
	if len(c.Rules) == 0 {
		t.Fatal("no rewrite rules")
	}
	forwarded := map[string]string{
		"/dcm-connect-docs":                                     "http://127.0.0.1:8080/dcm-connect-docs",
		"/dcm-connect-docs/":                                    "http://127.0.0.1:8080/dcm-connect-docs/",
		"/dcm-connect-docs/wizard/index.html":                   "http://127.0.0.1:8080/dcm-connect-docs/wizard/index.html",
		"/DCM-Connect-Docs/config/config.js":                    "http://127.0.0.1:8080/dcm-connect-docs/config/config.js",
		"/dcm-connect-service/DCMServices.asmx/GetConfig":       "http://127.0.0.1:8080/dcm-connect-service/DCMServices.asmx/GetConfig",
		"/dcm-connect-service/DCMServices.asmx/GetUserMappings": "http://127.0.0.1:8080/dcm-connect-service/DCMServices.asmx/GetUserMappings",
	}
	for in, want := range forwarded {
		got, ok := c.rewrite(in)
		if !ok || got != want {
			t.Errorf("%s -> %q (proxied %v), want %s", in, got, ok, want)
		}
	}
	for _, in := range []string{"/Ecx.Web/do/root_CaseDetail", "/Security.WebService/x", "/dcm-connect-docsx/a", "/x/dcm-connect-docs/"} {
		if got, ok := c.rewrite(in); ok {
			t.Errorf("%s must not be forwarded, got %s", in, got)
		}
	}
}

const (
	leaseAccount = "dcmconnect"
	leaseName    = "dcmconnect-events" // the leader package's default Lease
)

// TestLeaseRBAC: the server's service account may get, create and update
// the event listener's Lease, and nothing else.
func TestLeaseRBAC(t *testing.T) {
	byKind, _ := loadManifests(t)
	sa := one(t, byKind, "ServiceAccount")
	if sa.name() != leaseAccount {
		t.Fatalf("ServiceAccount %q, want %q", sa.name(), leaseAccount)
	}
	role := one(t, byKind, "Role")
	verbs := map[string]bool{}
	for _, r := range role.list("rules") {
		groups, resources := toStrings(r.get("apiGroups")), toStrings(r.get("resources"))
		if len(groups) != 1 || groups[0] != "coordination.k8s.io" || len(resources) != 1 || resources[0] != "leases" {
			t.Errorf("Role %s grants %v on %v; want leases of coordination.k8s.io only", role.name(), resources, groups)
		}
		names := toStrings(r.get("resourceNames"))
		for _, v := range toStrings(r.get("verbs")) {
			switch {
			case v == "create": // cannot be limited by name
			case len(names) == 1 && names[0] == leaseName && (v == "get" || v == "update"):
			default:
				t.Errorf("Role %s grants %q on %v; want get/update on %s and create only", role.name(), v, names, leaseName)
			}
			verbs[v] = true
		}
	}
	for _, v := range []string{"get", "create", "update"} {
		if !verbs[v] {
			t.Errorf("Role %s lacks %q on leases (leader election needs get, create, update)", role.name(), v)
		}
	}
	rb := one(t, byKind, "RoleBinding")
	subjects := rb.list("subjects")
	if rb.str("roleRef", "kind") != "Role" || rb.str("roleRef", "name") != role.name() || len(subjects) != 1 ||
		subjects[0].str("kind") != "ServiceAccount" || subjects[0].str("name") != leaseAccount {
		t.Errorf("RoleBinding %s does not bind Role %s to ServiceAccount %s", rb.name(), role.name(), leaseAccount)
	}
	d := one(t, byKind, "Deployment")
	if got := d.str("spec", "template", "spec", "serviceAccountName"); got != leaseAccount {
		t.Errorf("Deployment serviceAccountName %q, want %q", got, leaseAccount)
	}
	kz := one(t, byKind, "Kustomization")
	if !slices.Contains(toStrings(kz.get("resources")), "rbac.yaml") {
		t.Error("kustomization.yaml does not list rbac.yaml")
	}
}
