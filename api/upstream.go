package api

import (
	"errors"
	"net/http"

	"dcmconnect/appbase"
)

// FromAppBase maps an AppBase failure to what the page gets: 504 when
// ServiceJourney did not answer in time, 503 when it could not be reached or
// refused the system user, 502 with AppBase's own message otherwise.
func FromAppBase(err error) *Error {
	e := Upstream("ServiceJourney", err)
	if e.Status != http.StatusBadGateway {
		return e // already classified (an *Error, a timeout, a cancel)
	}
	var be *appbase.Error
	switch {
	case appbase.IsTimeout(err):
		e.Status, e.Message = http.StatusGatewayTimeout, "ServiceJourney did not answer in time"
	case errors.As(err, &be) && (be.Kind == appbase.KindTransport || be.Kind == appbase.KindAuth):
		e.Status = http.StatusServiceUnavailable
	}
	return e
}
