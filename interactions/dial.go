package interactions

import (
	"context"

	"dcmconnect/genesys"
)

// OpCreateCall names click-to-dial's call in an *UpstreamError.
const OpCreateCall = "POST conversations/calls"

// Dial places a call to number from the station of the user whose token
// userToken is (click-to-dial, POST /api/v2/conversations/calls, see
// docs/upstreams.md): the call is the user's own, so it runs with their token, never the
// background one. number is normalised to E.164 first (a bad one is an
// *InputError and no call is made). It returns the new conversation id.
func (s *Service) Dial(ctx context.Context, userToken, number string) (string, error) {
	e164, err := NormalizePhone(number, s.opts.DefaultCountry)
	if err != nil {
		s.m.dials.WithLabelValues("bad_number").Inc()
		return "", err
	}
	if userToken == "" {
		s.m.dials.WithLabelValues("error").Inc()
		return "", &UpstreamError{System: SystemGenesys, Op: OpCreateCall, Err: genesys.ErrUnauthorized}
	}
	ctx, cancel := context.WithTimeout(ctx, s.opts.Timeout)
	defer cancel()
	id, err := s.opts.Genesys.WithToken(userToken).Conversations.CreateCall(ctx, &genesys.CreateCallRequest{PhoneNumber: e164})
	s.count(SystemGenesys, "create_call", err)
	if err != nil {
		s.m.dials.WithLabelValues("error").Inc()
		return "", &UpstreamError{System: SystemGenesys, Op: OpCreateCall, Err: err}
	}
	s.m.dials.WithLabelValues("ok").Inc()
	return id, nil
}
