// Package fakehttp is the plumbing the upstream fakes (genesystest,
// appbasetest) share, so that they start, stop and misbehave the same way:
// a loopback HTTP server started and closed once (NewServerT closes itself
// when the test ends, like miniredis RunT), and a queue of injected faults
// with the two effects every fake has, latency and a dropped connection.
//
// What a fault answers (a Genesys error body, an AppBase envelope) stays in
// each fake: only the mechanics live here.
package fakehttp
