package appbase_test

import (
	"context"
	"fmt"

	"dcmconnect/appbase"
	"dcmconnect/appbase/appbasetest"
)

func Example() {
	srv := appbasetest.NewServer() // an in-memory ServiceJourney on 127.0.0.1
	defer srv.Close()
	srv.AddParty(appbasetest.Party{ID: "501", Name: "ACME Ltd", Phone: "+353861234567"})

	c, err := appbase.New(srv.ClientOptions()) // URL, domain, system user, integration code
	if err != nil {
		panic(err)
	}
	parties, err := c.FindParties(context.Background(), appbase.PartyQuery{Phone: "+353861234567"})
	fmt.Println(parties, err)
	res, err := c.UpsertInteraction(context.Background(), appbase.Interaction{ConversationID: "c-1", MediaType: "voice"})
	fmt.Println(res.Created, err)
	res, err = c.UpsertInteraction(context.Background(), appbase.Interaction{ConversationID: "c-1", WrapupCode: "done"})
	fmt.Println(res.Created, err, len(srv.Interactions()))
	// Output:
	// [{501 ACME Ltd +353861234567 }] <nil>
	// true <nil>
	// false <nil> 1
}
