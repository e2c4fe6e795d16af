#!/usr/bin/env bash
# Runs before npm test: makes sure what the tests use is there. On a fresh Debian machine, as root,
# it installs docker.io, tmux, unzip, openssl, curl, git, busybox-static and python3 (the test
# images' base and the stand-in backend), wrk (the load check's yardstick), stress-ng (CI's CPU hog),
# PostgreSQL and Debian's FastAPI stack (the team's real app), chromium (a real browser), and starts dockerd unless DOCKER_HOST
# names an engine that answers; elsewhere it says what is missing.
# --packages-only installs and starts nothing else (.ci/run starts its own engine).
set -euo pipefail

missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v git >/dev/null 2>&1 || missing+=(git)
[ -x /bin/busybox ] || missing+=(busybox-static)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
# CI runs the unit and view tests again beside a CPU hog.
command -v stress-ng >/dev/null 2>&1 || missing+=(stress-ng)
# The team's real app in the end-to-end tests: a FastAPI backend on Debian's Python packages, and a real PostgreSQL.
for package in postgresql python3-fastapi python3-uvicorn python3-sqlmodel python3-jwt python3-passlib python3-psycopg2 python3-multipart python3-dotenv; do
	dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
# A real browser for the end-to-end tests (driven by playwright-core, which never downloads one).
[ -x /usr/bin/chromium ] || missing+=(chromium)
# kind's local registry in the end-to-end tests: Debian's docker-registry (distribution 2.8, what registry:2 runs).
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
if [ "${#missing[@]}" -gt 0 ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "test setup: installing ${missing[*]}"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
	else
		echo "test setup: the tests need ${missing[*]}; install them (Debian: sudo apt-get install ${missing[*]})" >&2
		exit 1
	fi
fi

[ "${1:-}" = --packages-only ] && exit 0

# The engine the tests use: $DOCKER_HOST when it names a socket (CI starts one of its own), else the default one.
socket=/var/run/docker.sock
case "${DOCKER_HOST:-}" in
unix://*) socket=${DOCKER_HOST#unix://} ;;
'') ;;
*) echo "test setup: the tests need a Docker engine on a unix socket; DOCKER_HOST is $DOCKER_HOST" >&2; exit 1 ;;
esac
docker_answers() { curl -sf --max-time 2 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1; }
if [ -n "${DOCKER_HOST:-}" ] && ! docker_answers; then
	echo "test setup: no Docker engine answers at $DOCKER_HOST; start it, or unset DOCKER_HOST to use the default one" >&2
	exit 1
fi

if ! docker_answers; then
	if [ "$(id -u)" != 0 ]; then
		echo 'test setup: no Docker engine answers on /var/run/docker.sock; start one (sudo dockerd --bridge=none --iptables=false)' >&2
		exit 1
	fi

	# No bridge and no iptables: nothing the tests run may reach beyond loopback.
	echo 'test setup: starting dockerd --bridge=none --iptables=false'
	nohup dockerd --bridge=none --iptables=false >/tmp/todo-deploy-dockerd.log 2>&1 &
	for _ in $(seq 1 60); do
		docker_answers && break
		sleep 1
	done
	docker_answers || { tail -20 /tmp/todo-deploy-dockerd.log >&2; echo 'test setup: dockerd did not start' >&2; exit 1; }
fi
