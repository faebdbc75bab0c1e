#!/bin/sh
# The Kubernetes API's OpenAPI v2 schema (swagger.json, Kubernetes 1.13), which the kubectl tests
# serve to kubectl on 127.0.0.1 so that its client-side validation (it reads the schema only from
# an API server) checks every file ConvertTo-KubernetesYaml writes. It comes in the npm package
# kubernetes-client 9.0.0 (lib/specs/swagger-1.13.json.gz); it is unpacked to artifacts/, which
# the tests read. Needs npm.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$here/../artifacts/kubernetes-openapi/swagger.json"
[ -s "$target" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent kubernetes-client@9.0.0 >/dev/null && tar -xzf kubernetes-client-9.0.0.tgz package/lib/specs/swagger-1.13.json.gz)
mkdir -p "$(dirname "$target")"
gzip -dc "$work/package/lib/specs/swagger-1.13.json.gz" >"$target.tmp"
mv "$target.tmp" "$target"
