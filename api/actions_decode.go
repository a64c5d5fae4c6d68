package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gin-gonic/gin"

	"dcmconnect/interactions"
)

// Decoding what a data action sends (its requestTemplate is
// ${input.rawRequest}: the flow's inputs as one JSON object of strings).
// Unknown fields are refused by name so a mistyped contract shows at once.

func readBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		return nil, errors.New("request body could not be read (too large?)")
	}
	return body, nil
}

// DecodePartyLookup reads {"phone","email","partyId"}.
func DecodePartyLookup(body []byte) (interactions.PartyLookup, error) {
	var q interactions.PartyLookup
	return q, decodeAction(body, &q)
}

// DecodeCaseLookup reads {"partyId","caseNumber"}.
func DecodeCaseLookup(body []byte) (interactions.CaseLookup, error) {
	var q interactions.CaseLookup
	return q, decodeAction(body, &q)
}

// DecodePopTarget reads {"conversationId"}.
func DecodePopTarget(body []byte) (interactions.PopTargetLookup, error) {
	var q interactions.PopTargetLookup
	return q, decodeAction(body, &q)
}

func decodeAction(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return BadRequest("request body is empty; send a JSON object such as {\"phone\":\"+14155550101\"}")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &te):
			return BadRequest(fmt.Sprintf("%s must be a string", te.Field))
		case strings.HasPrefix(err.Error(), "json: unknown field "):
			return BadRequest(strings.TrimPrefix(err.Error(), "json: ") + "; the action's input contract sends fields this endpoint does not read")
		}
		return BadRequest("request body is not a JSON object: " + err.Error())
	}
	if dec.More() {
		return BadRequest("request body holds more than one JSON value")
	}
	return nil
}
