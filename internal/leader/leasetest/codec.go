package leasetest

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	coordinationv1 "k8s.io/api/coordination/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
)

// The generated clients send built-in types as protobuf and accept
// protobuf or JSON, so the fake speaks both, as the API server does:
// https://kubernetes.io/docs/reference/using-api/api-concepts/#alternate-representations-of-resources
var codecs = func() serializer.CodecFactory {
	s := runtime.NewScheme()
	if err := coordinationv1.AddToScheme(s); err != nil {
		panic(err)
	}
	metav1.AddToGroupVersion(s, schema.GroupVersion{Version: "v1"}) // Status
	return serializer.NewCodecFactory(s)
}()

// decodeLease reads a Lease in the request's content type.
func decodeLease(r *http.Request) (*coordinationv1.Lease, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("Content-Type %q: %v", r.Header.Get("Content-Type"), err)
	}
	info, ok := runtime.SerializerInfoForMediaType(codecs.SupportedMediaTypes(), mt)
	if !ok {
		return nil, fmt.Errorf("Content-Type %q is not supported", mt)
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	var l coordinationv1.Lease
	if _, _, err := codecs.DecoderToVersion(info.Serializer, coordinationv1.SchemeGroupVersion).Decode(body, nil, &l); err != nil {
		return nil, err
	}
	return &l, nil
}

// write answers obj in the first type the client accepts (protobuf or
// JSON; JSON when it names neither).
func write(w http.ResponseWriter, r *http.Request, code int, obj runtime.Object, gv schema.GroupVersion) {
	mt := runtime.ContentTypeJSON
	for _, a := range strings.Split(r.Header.Get("Accept"), ",") {
		a, _, _ = strings.Cut(strings.TrimSpace(a), ";")
		if a == runtime.ContentTypeProtobuf || a == runtime.ContentTypeJSON {
			mt = a
			break
		}
	}
	info, _ := runtime.SerializerInfoForMediaType(codecs.SupportedMediaTypes(), mt)
	w.Header().Set("Content-Type", mt)
	w.WriteHeader(code)
	_ = codecs.EncoderForVersion(info.Serializer, gv).Encode(obj, w)
}
