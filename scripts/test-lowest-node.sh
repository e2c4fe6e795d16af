#!/usr/bin/env bash
# Runs the unit, view and end-to-end tests on the lowest Node.js todo-deploy supports (package.json engines).
set -euo pipefail
cd "$(dirname "$0")/.."
version=22.19.0
case "$(uname -m)" in
	x86_64) arch=x64 ;;
	aarch64 | arm64) arch=arm64 ;;
	*) echo "no Node.js $version package for $(uname -m)" >&2; exit 1 ;;
esac
os=$(uname -s | tr '[:upper:]' '[:lower:]')
prefix=.cache/node-$version
node=$prefix/node_modules/node-$os-$arch/bin/node
if [ ! -x "$node" ]; then
	mkdir -p "$prefix"
	echo '{"private":true}' > "$prefix/package.json"
	# The platform package holds the real binary and has no install script.
	npm install --prefix "$prefix" --no-package-lock --no-audit --no-fund "node-$os-$arch@$version" >/dev/null
fi
bash scripts/test-setup.sh
echo "Testing on $("$node" --version) ($node)"
npm run build --silent
"$node" --import tsx --test --test-concurrency=1 --test-timeout=300000 "test/unit/**/*.test.ts" "test/views/**/*.test.tsx" "test/e2e/**/*.test.ts"
