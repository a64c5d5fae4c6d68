package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeFinishesInFlightRequestsOnShutdown: cancelling the serve context
// (SIGTERM in main) stops new connections but lets a running request finish.
func TestServeFinishesInFlightRequestsOnShutdown(t *testing.T) {
	started := make(chan struct{})
	release := make(chan struct{})
	s, _ := newTestServer(t, func(o *Options) {
		o.Methods = append(o.Methods, Method{Name: "Slow2", Handle: func(context.Context, *Call) (any, error) {
			close(started)
			<-release
			return "done", nil
		}})
	})
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := &closeSignal{Listener: tcp, closed: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, ln, s.Handler(), Timeouts{Read: 5 * time.Second, Write: 5 * time.Second, Idle: 5 * time.Second, Shutdown: 5 * time.Second}, slog.New(slog.DiscardHandler))
	}()
	url := "http://" + ln.Addr().String() + "/dcm-connect-service/DCMServices.asmx/Slow2"
	var body string
	var code int
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		req, _ := http.NewRequest("POST", url, strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer good")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Error(err)
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		code, body = resp.StatusCode, string(b)
	}()
	<-started
	cancel()
	select { // Shutdown closes the listener before it waits for the running request
	case <-ln.closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Shutdown did not close the listener within 5s")
	}
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("listener still accepts connections after shutdown began")
	}
	close(release)
	wg.Wait()
	if code != 200 || !strings.Contains(body, `"done"`) {
		t.Fatalf("in-flight request: %d %s", code, body)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

// closeSignal is a listener that says when it has been closed.
type closeSignal struct {
	net.Listener
	once   sync.Once
	closed chan struct{}
}

func (l *closeSignal) Close() error {
	err := l.Listener.Close()
	l.once.Do(func() { close(l.closed) })
	return err
}

func TestAccessLogIsJSONWithoutQueryAndEchoesRequestID(t *testing.T) {
	var buf bytes.Buffer
	s, _ := newTestServer(t, func(o *Options) { o.Logger = slog.New(slog.NewJSONHandler(&buf, nil)) })
	w := do(t, s.Handler(), "GET", "/dcm-connect-docs/index.html?code=SECRETCODE&state=x", "", map[string]string{"X-Request-Id": "req-42"})
	if w.Header().Get("X-Request-Id") != "req-42" {
		t.Fatalf("request id not echoed: %v", w.Header())
	}
	w = do(t, s.Handler(), "GET", "/healthz", "", map[string]string{"X-Request-Id": "bad id with spaces"})
	if id := w.Header().Get("X-Request-Id"); id == "" || strings.Contains(id, " ") {
		t.Fatalf("unsafe request id accepted: %q", id)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var entry map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
		t.Fatalf("log line is not JSON: %s", lines[0])
	}
	if entry["request_id"] != "req-42" || entry["route"] != "/dcm-connect-docs/*filepath" || entry["status"] != float64(200) {
		t.Fatalf("log entry = %v", entry)
	}
	if strings.Contains(buf.String(), "SECRETCODE") {
		t.Fatal("the query string (OAuth code) reached the log")
	}
}
