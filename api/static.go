package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/gin-gonic/gin"

	"dcmconnect/web"
)

// staticFile is one page or asset, read and hashed once at start-up: the tree
// is embedded, so it cannot change while we run.
type staticFile struct {
	body []byte
	// gzip is the compressed body, made on the first request that takes it
	// (nil for a file too small or of a type not worth compressing): a
	// process that never sends a file gzipped, like most test binaries
	// starting a Server, does not compress the tree at best compression.
	gzip        func() gzipBody
	etag        string
	contentType string
	cache       string
	// The header values, made once: serveDocs puts these very slices in
	// each response's header (each of length = capacity, so an Add copies,
	// never writes into them).
	etagH, cacheH, typeH, lengthH []string
}

// gzipBody is a file's gzipped body and its length header, both nil when
// compression does not pay.
type gzipBody struct {
	body    []byte
	lengthH []string
}

// Header values shared by every static response.
var (
	varyH = []string{"Accept-Encoding"}
	gzipH = []string{"gzip"}
)

// headers fills the precomputed header values.
func (f *staticFile) headers() *staticFile {
	one := func(v string) []string { return []string{v} }
	f.etagH, f.cacheH, f.typeH = one(f.etag), one(f.cache), one(f.contentType)
	f.lengthH = one(strconv.Itoa(len(f.body)))
	return f
}

// staticFiles is a map keyed by cleaned path; a lookup cannot escape the web
// root and there is no directory listing because only files are keys.
type staticFiles struct {
	files map[string]*staticFile
}

func loadStatic(opts Options) (*staticFiles, error) {
	var tree map[string]*staticFile
	var err error
	if opts.Docs == nil {
		tree, err = embeddedTree()
	} else {
		tree, err = readTree(opts.Docs)
	}
	if err != nil {
		return nil, err
	}
	st := &staticFiles{files: make(map[string]*staticFile, len(tree)+1)}
	for p, f := range tree {
		if path.Clean(p) != p { // lookup relies on it
			return nil, fmt.Errorf("docs: %q is not a clean path", p)
		}
		st.files[p] = f
	}
	cfg, err := renderConfigJS(opts.PageConfig)
	if err != nil {
		return nil, err
	}
	st.files["/config/config.js"] = newStaticFile("config/config.js", cfg)
	return st, nil
}

// embeddedTree reads and hashes the embedded pages once per process, and
// each is compressed once, when first sent gzipped: they cannot change, and
// every Server (tests and the demo start many) would otherwise pay for the
// same gzip at best compression again. The files are never changed after
// this, so Servers share them.
var embeddedTree = sync.OnceValues(func() (map[string]*staticFile, error) { return readTree(web.Docs()) })

func readTree(root fs.FS) (map[string]*staticFile, error) {
	files := map[string]*staticFile{}
	err := fs.WalkDir(root, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		files["/"+p] = newStaticFile(p, body)
		return nil
	})
	return files, err
}

func newStaticFile(name string, body []byte) *staticFile {
	sum := sha256.Sum256(body)
	f := &staticFile{
		body:        body,
		etag:        `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
		contentType: contentType(name),
		cache:       "public, max-age=300",
	}
	// Pages and the generated config must be revalidated so a config change or
	// upgrade shows at once; the ETag keeps that a cheap 304.
	if strings.HasSuffix(name, ".html") || name == "config/config.js" {
		f.cache = "no-cache"
	}
	if compressible(f.contentType) && len(body) > 1024 {
		f.gzip = sync.OnceValue(func() gzipBody { return gzipOf(body) })
	}
	return f.headers()
}

func gzipOf(body []byte) gzipBody {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	if buf.Len() >= len(body)*9/10 {
		return gzipBody{}
	}
	return gzipBody{buf.Bytes(), []string{strconv.Itoa(buf.Len())}}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json", ".map":
		return "application/json"
	case ".LICENSE", ".txt":
		return "text/plain; charset=utf-8"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "svg")
}

func (s *Server) serveDocs(c *gin.Context) {
	f := s.static.lookup(c.Param("filepath"))
	if f == nil {
		c.String(http.StatusNotFound, "not found\n")
		return
	}
	writeStatic(c.Writer, c.Request, f)
}

// lookup is the file a path under DocsPrefix names (a directory means its
// index.html), nil when there is none or the path is not clean.
func (st *staticFiles) lookup(p string) *staticFile {
	if p == "/" || strings.HasSuffix(p, "/wizard/") || p == "/wizard" {
		p = strings.TrimSuffix(p, "/") + "/index.html"
	}
	// Every key is a clean path (loadStatic takes no other), so a path
	// that is not clean finds nothing without being cleaned.
	return st.files[p]
}

// writeStatic answers with f: 304 when the client has it, else the body,
// gzipped when the client takes it, with its own length (nothing for HEAD).
// It returns the status and the body bytes written.
func writeStatic(w http.ResponseWriter, r *http.Request, f *staticFile) (status, n int) {
	return writeStaticAnswer(w, r, f, etagMatch(headerValue(r.Header, hdrIfNoneMatch), f.etag))
}

// writeStaticAnswer is writeStatic once the caller knows whether the
// client's If-None-Match matched.
func writeStaticAnswer(w http.ResponseWriter, r *http.Request, f *staticFile, notModified bool) (status, n int) {
	// The header map is filled with the file's own slices (canonical keys):
	// no value is built per request.
	h := w.Header()
	h["Etag"] = f.etagH
	h["Cache-Control"] = f.cacheH
	if v, ok := h["Vary"]; ok {
		h["Vary"] = append(v, varyH...)
	} else {
		h["Vary"] = varyH
	}
	if notModified {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified, 0
	}
	body, length := f.body, f.lengthH
	if f.gzip != nil && acceptsGzip(headerValue(r.Header, hdrAcceptEncoding)) {
		if gz := f.gzip(); gz.body != nil {
			h["Content-Encoding"] = gzipH
			body, length = gz.body, gz.lengthH
		}
	}
	h["Content-Type"] = f.typeH
	// A length of our own: net/http would send a body past 2 KiB chunked.
	h["Content-Length"] = length
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return http.StatusOK, 0
	}
	n, _ = w.Write(body)
	return http.StatusOK, n
}

func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(part), "W/"))
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}

func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) != "gzip" {
			continue
		}
		if params == "" {
			return true
		}
		q := strings.TrimPrefix(strings.ReplaceAll(params, " ", ""), "q=")
		if v, err := strconv.ParseFloat(q, 64); err == nil && v == 0 {
			return false
		}
		return true
	}
	return false
}
