package api

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics label by route template (gin's FullPath), never the raw path,
// so label cardinality stays bounded whatever clients send.
type httpMetrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// series keeps each (route, method, code)'s counter and observer, so a
	// request looks one up instead of hashing and checking its labels in
	// the vectors. Bounded like the labels: routes x methods x codes.
	series sync.Map // seriesKey -> *series
	// pages holds the series of the answers pages get most (docsRoute;
	// GET, HEAD; 200, 304) once looked up, so counting them is an index,
	// not a hash of the key as an interface.
	pages [2][2]atomic.Pointer[series]
}

type seriesKey struct {
	route, method string
	code          int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func newHTTPMetrics(reg prometheus.Registerer) (*httpMetrics, error) {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "dcmconnect_http_requests_total",
			Help: "HTTP requests served, by route template, method and status code.",
		}, []string{"route", "method", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "dcmconnect_http_request_duration_seconds",
			Help:    "HTTP request latency by route template and method.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route", "method"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// observe counts one request and its latency.
func (m *httpMetrics) observe(route, method string, status int, d time.Duration) {
	var se *series
	if slot := m.pageSlot(route, method, status); slot != nil {
		if se = slot.Load(); se == nil {
			se = m.lookup(route, method, status)
			slot.Store(se)
		}
	} else {
		se = m.lookup(route, method, status)
	}
	se.requests.Inc()
	se.latency.Observe(d.Seconds())
}

// pageSlot is where the series of a page answer is kept, nil for any other.
func (m *httpMetrics) pageSlot(route, method string, status int) *atomic.Pointer[series] {
	if route != docsRoute {
		return nil
	}
	var i, j int
	switch method {
	case "GET":
	case "HEAD":
		i = 1
	default:
		return nil
	}
	switch status {
	case 200:
	case 304:
		j = 1
	default:
		return nil
	}
	return &m.pages[i][j]
}

// lookup is the (route, method, code) series, made on first use.
func (m *httpMetrics) lookup(route, method string, status int) *series {
	k := seriesKey{route, method, status}
	v, ok := m.series.Load(k)
	if !ok {
		v, _ = m.series.LoadOrStore(k, &series{
			requests: m.requests.WithLabelValues(route, method, statusText(status)),
			latency:  m.latency.WithLabelValues(route, method),
		})
	}
	return v.(*series)
}

// statusCodes are the label values of the status codes, made once.
var statusCodes = func() (t [600]string) {
	for i := range t {
		t[i] = strconv.Itoa(i)
	}
	return t
}()

func statusText(code int) string {
	if code >= 0 && code < len(statusCodes) {
		return statusCodes[code]
	}
	return strconv.Itoa(code)
}
