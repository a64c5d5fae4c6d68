package genesystest

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRequestBytes is request.bytes.max from the platform limits page (docs/upstreams.md).
const maxRequestBytes = 512000

// errorBody is the Genesys error body (docs/upstreams.md).
type errorBody struct {
	Message   string `json:"message"`
	Code      string `json:"code"`
	Status    int    `json:"status"`
	ContextID string `json:"contextId"`
	Details   []any  `json:"details"`
	Errors    []any  `json:"errors"`
}

// writeError answers with a Genesys error body whose contextId equals the
// ININ-Correlation-Id header of the same response.
func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{
		Message:   message,
		Code:      code,
		Status:    status,
		ContextID: w.Header().Get("ININ-Correlation-Id"),
		Details:   []any{},
		Errors:    []any{},
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		// Only our own wire structs reach here; failing loudly beats a bad body.
		panic("genesystest: encode response: " + err.Error())
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func badRequest(w http.ResponseWriter, message string) {
	writeError(w, http.StatusBadRequest, "bad.request", message)
}

func notFound(w http.ResponseWriter, what, id string) {
	writeError(w, http.StatusNotFound, "not.found", fmt.Sprintf("%s %q was not found", what, id))
}

// conflictCode is what a version mismatch answers. The real code is not in the
// docs/upstreams.md [UNVERIFIED]; 409 is the status the platform uses for stale versions.
const conflictCode = "general.conflict"

func conflict(w http.ResponseWriter, message string) {
	writeError(w, http.StatusConflict, conflictCode, message)
}

// decodeJSON reads a JSON request body into v. It answers the error itself
// and returns false when the body is too large, not JSON or malformed.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported.media.type",
				"Content-Type must be application/json, got "+ct)
			return false
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// Code for this limit is not in docs/upstreams.md [UNVERIFIED].
			writeError(w, http.StatusRequestEntityTooLarge, "request.entity.too.large",
				fmt.Sprintf("request body exceeds %d bytes", maxRequestBytes))
			return false
		}
		badRequest(w, "could not read request body: "+err.Error())
		return false
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		badRequest(w, "request body is required")
		return false
	}
	if err := json.Unmarshal(body, v); err != nil {
		badRequest(w, "The request could not be understood by the server due to malformed syntax: "+err.Error())
		return false
	}
	return true
}

// isoTime formats like the platform: UTC, milliseconds, Z.
func isoTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func isoTimePtr(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return isoTime(*t)
}

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b[:])
}

// nameUUID derives a stable UUID from a name, for seeded objects whose id
// should not change between runs (version 5 layout over SHA-1).
func nameUUID(name string) string {
	sum := sha1.Sum([]byte("genesystest:" + name))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	return formatUUID(sum[:16])
}

func formatUUID(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// randomToken returns an opaque URL-safe secret of n random bytes.
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func itoa(n int) string { return strconv.Itoa(n) }
