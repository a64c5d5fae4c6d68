// Package deploy holds dcmconnect's deployment files: the container build
// (Dockerfile), Kubernetes manifests, a hardened systemd unit and an IIS
// reverse-proxy web.config. It has no code; its tests check the files.
package deploy
