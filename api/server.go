// Package api is dcmconnect's HTTP surface on gin: the embedded pages under
// /dcm-connect-docs/, the old DCMServices.asmx methods under
// /dcm-connect-service/, and /healthz, /readyz, /metrics.
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Path prefixes kept from the old IIS install so existing Genesys
// configuration (Premium App URL, widget URLs) keeps working.
const (
	DocsPrefix    = "/dcm-connect-docs"
	ServicePrefix = "/dcm-connect-service"
	asmxPath      = ServicePrefix + "/DCMServices.asmx"
)

// Options configures the HTTP surface. cmd/dcmconnect fills it from the config file.
type Options struct {
	// AppsOrigin is https://apps.<env>: the Genesys desktop that frames our pages.
	AppsOrigin string
	// FrameAncestors are extra exact origins allowed to frame the pages.
	FrameAncestors []string
	// CORSOrigins are the exact origins allowed to call the service cross-origin.
	CORSOrigins []string
	// ConnectSrc are origins the pages may call from the browser (Genesys login
	// host for the PKCE exchange, the API host).
	ConnectSrc []string
	// FrameSrc are origins the agent page may frame (ServiceJourney).
	FrameSrc []string
	// WriteTimeout is the HTTP server's write timeout (Timeouts.Write); every
	// DCMServices method answers before it (default DefaultWriteTimeout).
	WriteTimeout time.Duration
	// MaxBodyBytes caps request bodies (413 above it).
	MaxBodyBytes int64
	// Docs is the page tree; defaults to web.Docs().
	Docs fs.FS
	// PageConfig is rendered into config/config.js. It must hold no secret.
	PageConfig PageConfig
	// Ready reports whether the server can do its work (config valid, tokens
	// obtainable). Nil means always ready.
	Ready func(ctx context.Context) error
	// ReadyDetail, when set, adds its entries to the /readyz answer (the
	// event listener's state): counts and flags only, never hosts or secrets.
	ReadyDetail func() map[string]any
	// Verifier checks browser bearer tokens; nil refuses every authenticated call.
	Verifier Verifier
	// Methods are the DCMServices methods beyond the built-in GetConfig.
	Methods []Method
	// Actions serves the Genesys data actions under ActionsPrefix; nil
	// leaves them out.
	Actions *ActionsOptions
	// SeparateMetrics leaves /metrics off this handler: it is served by
	// MetricsHandler on its own address (server.metricsListen).
	SeparateMetrics bool
	// TrustedProxies are the addresses or CIDRs whose X-Forwarded-For is
	// believed for the client address (logs, the failed-verification limit);
	// nil means loopback only, empty means none.
	TrustedProxies []string
	// AccessLog, when set, gets the access log's lines in batches, off the
	// request path (Close writes the rest); nil writes them through Logger
	// one by one. Either way a line is written only when Logger is enabled
	// at its level.
	AccessLog io.Writer
	// Registerer/Gatherer for metrics; nil means a private registry.
	Registerer prometheus.Registerer
	Gatherer   prometheus.Gatherer
	Logger     *slog.Logger
}

// Server is the configured HTTP surface.
type Server struct {
	opts    Options
	engine  *gin.Engine
	metrics *httpMetrics
	log     *slog.Logger
	static  *staticFiles
	methods map[string]Method
	replays *replays
	// failedVerify limits refused tokens per client address.
	failedVerify *failedVerifications
	actions      *actions
	fixedHeaders []headerField // set on every response
	access       *accessLog    // nil: through Logger
}

// New builds the router. It fails only on programming or packaging errors
// (duplicate method names, unreadable embedded files).
func New(opts Options) (*Server, error) {
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.WriteTimeout <= 0 {
		opts.WriteTimeout = DefaultWriteTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Registerer == nil {
		reg := prometheus.NewRegistry()
		opts.Registerer, opts.Gatherer = reg, reg
	}
	if opts.Gatherer == nil {
		opts.Gatherer = prometheus.DefaultGatherer
	}
	s := &Server{opts: opts, log: opts.Logger, replays: newReplays(), failedVerify: newFailedVerifications()}
	var err error
	if s.metrics, err = newHTTPMetrics(opts.Registerer); err != nil {
		return nil, err
	}
	if s.static, err = loadStatic(opts); err != nil {
		return nil, err
	}
	if s.methods, err = indexMethods(opts.Methods); err != nil {
		return nil, err
	}
	if s.actions, err = newActions(opts.Actions, opts.Registerer, opts.WriteTimeout); err != nil {
		return nil, err
	}
	s.fixedHeaders = fieldsOf(s.securityHeaders())
	if opts.AccessLog != nil {
		s.access = newAccessLog(opts.AccessLog)
	}
	s.engine = s.routes()
	return s, nil
}

// Close writes the access lines not yet written. Call it after the HTTP
// server has stopped.
func (s *Server) Close() {
	if s.access != nil {
		s.access.Close()
	}
}

func (s *Server) routes() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.RedirectFixedPath = false
	// Only a reverse proxy we were told of (by default one on this host:
	// IIS ARR, a sidecar) may set the client address we log and limit by;
	// anyone else could spoof X-Forwarded-For.
	_ = r.SetTrustedProxies(s.trustedProxies())
	r.Use(s.front)

	r.GET("/healthz", s.healthz)
	r.GET("/readyz", s.readyz)
	if !s.opts.SeparateMetrics {
		r.GET("/metrics", gin.WrapH(s.MetricsHandler()))
	}

	docs := r.Group(DocsPrefix)
	docs.GET("", redirectTo(DocsPrefix+"/index.html"))
	docs.GET("/*filepath", s.serveDocs)
	docs.HEAD("/*filepath", s.serveDocs)

	svc := r.Group(asmxPath, s.cors)
	svc.OPTIONS("/:method", s.preflight)
	svc.GET("/:method", s.dispatch)
	svc.POST("/:method", s.dispatch)

	s.mountActions(r)

	r.NoRoute(func(c *gin.Context) { c.String(http.StatusNotFound, "not found\n") })
	r.NoMethod(func(c *gin.Context) { c.String(http.StatusMethodNotAllowed, "method not allowed\n") })
	return r
}

// trustedProxies is Options.TrustedProxies, loopback when unset.
func (s *Server) trustedProxies() []string {
	if s.opts.TrustedProxies == nil {
		return []string{"127.0.0.1", "::1"}
	}
	return s.opts.TrustedProxies
}

// MetricsHandler serves the Prometheus metrics: on the main handler, or on
// its own listener when Options.SeparateMetrics is set.
func (s *Server) MetricsHandler() http.Handler {
	return promhttp.HandlerFor(s.opts.Gatherer, promhttp.HandlerOpts{})
}

// Handler returns the router as an http.Handler.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// Timeouts bound each connection so a slow client cannot hold the server.
type Timeouts struct {
	Read, Write, Idle, Shutdown time.Duration
}

// Serve listens on ln until ctx is cancelled, then stops accepting and lets
// in-flight requests finish within t.Shutdown.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, t Timeouts, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadTimeout:       t.Read,
		ReadHeaderTimeout: min(t.Read, 10*time.Second),
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		ConnContext:       connContext,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(coalescingListener{ln}) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "deadline", t.Shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), t.Shutdown)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("graceful shutdown did not finish within %s: %w", t.Shutdown, err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func redirectTo(path string) gin.HandlerFunc {
	return func(c *gin.Context) { c.Redirect(http.StatusFound, path) }
}
