package api_test

import (
	"context"
	"testing"

	"dcmconnect/api"
	"dcmconnect/usermap"
)

// StoreMapper.Linked, which ExecuteRule asks on every call, says what
// SJUser says about each kind of user, without building the value.
func TestStoreMapperLinkedAgreesWithSJUser(t *testing.T) {
	ctx := context.Background()
	empty := api.StoreMapper{Store: usermap.NewStore(usermap.StoreOptions{})}
	if empty.Linked(ctx, "g-1") {
		t.Fatal("linked before any map")
	}
	store := usermap.NewStore(usermap.StoreOptions{})
	store.Replace(usermap.Build(
		[]usermap.GenesysUser{{ID: "g-email", Email: "ann@example.com"}, {ID: "g-explicit", Email: "bob@example.com"},
			{ID: "g-none", Email: "nobody@example.com"}, {ID: "g-c1", Email: "dup@example.com"}, {ID: "g-c2", Email: "dup@example.com"}},
		[]usermap.SJUser{{ID: "101", Email: "ann@example.com"}, {ID: "102", Email: "other@example.com", PureCloudUserID: "g-explicit"},
			{ID: "103", Email: "dup@example.com"}}))
	m := api.StoreMapper{Store: store}
	want := map[string]bool{"g-email": true, "g-explicit": true, "g-none": false, "g-c1": false, "g-c2": false, "g-unknown": false}
	for id, linked := range want {
		_, ok := m.SJUser(ctx, id)
		if got := m.Linked(ctx, id); got != linked || ok != linked {
			t.Errorf("%s: Linked %v, SJUser %v; want %v", id, got, ok, linked)
		}
	}
}
