#!/usr/bin/env bash
# compare.sh: dcmconnect's static page (index.html) against nginx, side by
# side on loopback with wrk: full body, gzip and 304 (If-None-Match), both
# servers writing an access log to a file and serving precomputed gzip
# bodies. Runs are interleaved (dcmconnect, nginx, dcmconnect, ...) so both
# see the same machine load; the figure per case is the median requests/s of
# ROUNDS runs. Bounded: 3 cases x 2 servers x ROUNDS x DURATION seconds plus
# start-up (defaults: 3 x 2 x 3 x 5 s = 90 s). Installs nginx and wrk with
# apt-get when they are missing and it may (root); otherwise says what to
# install and exits 2. A run with any non-2xx/3xx answer or socket error
# fails the comparison.
#
#   bench/compare.sh                 # or: make bench-compare
#   ROUNDS=5 DURATION=8 CONNS=64 bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
PAGE=/dcm-connect-docs/index.html

need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; then
      echo "bench-compare: could not install ${need[*]} with apt-get; install them and run again" >&2
      exit 2
    fi
  else
    echo "bench-compare: needs ${need[*]} (apt-get install ${need[*]} as root), not run" >&2
    exit 2
  fi
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

work=$(mktemp -d)
chmod 755 "$work" # nginx workers run as nobody and must read the page
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { # url
  for _ in $(seq 1 100); do
    curl -fso /dev/null "$1" && return 0
    sleep 0.1 # polling a port coming up, not ordering events
  done
  echo "bench-compare: $1 did not come up" >&2
  exit 1
}

# dcmconnect: the same api.Server as `dcmconnect serve`, access log on.
go build -o "$work/staticserver" ./bench/staticserver
dport=$(free_port)
"$work/staticserver" -listen "127.0.0.1:$dport" -access-log "$work/dcm-access.log" >"$work/dcm.out" 2>"$work/dcm.err" &
pids+=($!)

# nginx: the same page, access log on, gzip_static from a precomputed .gz
# (dcmconnect precomputes its gzip bodies too), ETag and 304 as shipped.
mkdir -p "$work/root/dcm-connect-docs" "$work/nginx"
wait_up "http://127.0.0.1:$dport$PAGE"
curl -fso "$work/root$PAGE" "http://127.0.0.1:$dport$PAGE" # the very bytes dcmconnect serves
gzip -9 -k "$work/root$PAGE"
chmod -R a+rX "$work/root"
nport=$(free_port)
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log $work/nginx/access.log;
  client_body_temp_path $work/nginx/body;
  proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/fastcgi;
  uwsgi_temp_path $work/nginx/uwsgi;
  scgi_temp_path $work/nginx/scgi;
  types { text/html html; }
  sendfile on;
  keepalive_requests 100000;
  gzip on;
  gzip_static on;
  gzip_vary on;
  server {
    listen 127.0.0.1:$nport;
    root $work/root;
  }
}
CONF
"$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/stderr" &
pids+=($!)

dcm="http://127.0.0.1:$dport$PAGE"
ngx="http://127.0.0.1:$nport$PAGE"
wait_up "$dcm"
wait_up "$ngx"
etag() { curl -fsI "$1" | tr -d '\r' | awk 'tolower($1)=="etag:" {print $2}'; }
detag=$(etag "$dcm")
netag=$(etag "$ngx")
[ -n "$detag" ] && [ -n "$netag" ] || { echo "bench-compare: a server sent no ETag" >&2; exit 1; }

# one run: prints requests/s; fails on errors or unexpected answers.
run() { # url header...
  local url=$1; shift
  local args=() out
  for h in "$@"; do args+=(-H "$h"); done
  out=$(wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "${args[@]}" "$url")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "bench-compare: $url ${*}: errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ {print $2}' <<<"$out"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A res
cases=(full gzip 304)
echo "index.html, wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS interleaved rounds, loopback; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq 1 "$ROUNDS"); do
  for c in "${cases[@]}"; do
    for s in dcm ngx; do
      url=${!s}
      case $c in
        full) h=() ;;
        gzip) h=("Accept-Encoding: gzip") ;;
        304) if [ $s = dcm ]; then h=("If-None-Match: $detag"); else h=("If-None-Match: $netag"); fi ;;
      esac
      res[$c.$s]+="$(run "$url" "${h[@]}") "
    done
  done
  echo "round $r/$ROUNDS done" >&2
done

printf '%-6s %14s %14s %8s\n' case dcmconnect nginx ratio
for c in "${cases[@]}"; do
  d=$(tr ' ' '\n' <<<"${res[$c.dcm]}" | grep . | median)
  n=$(tr ' ' '\n' <<<"${res[$c.ngx]}" | grep . | median)
  printf '%-6s %14.0f %14.0f %7.2fx   (runs: dcm %s| nginx %s)\n' "$c" "$d" "$n" "$(awk -v d="$d" -v n="$n" 'BEGIN {print d/n}')" "${res[$c.dcm]}" "${res[$c.ngx]}"
done
echo "access log lines: dcmconnect $(wc -l <"$work/dcm-access.log"), nginx $(wc -l <"$work/nginx/access.log") (dcmconnect flushes its batch on exit)"
