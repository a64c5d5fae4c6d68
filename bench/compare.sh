#!/usr/bin/env bash
# compare.sh: dcmconnect side by side with nginx and a bare Go anchor, on
# loopback with wrk, in interleaved runs (dcmconnect, the other, dcmconnect,
# ...) so all see the same machine load; the figure per case is the median
# requests/s of ROUNDS runs. Any non-2xx/3xx answer or socket error fails it.
#
# static: index.html, full body, gzip and 304 (If-None-Match), dcmconnect vs
#   nginx, both writing an access log to a file and serving precomputed gzip,
#   both sending the same security and cache headers (see the nginx config),
#   and vs bench/barestatic: a bare net/http handler sending the very headers
#   and bodies dcmconnect sent (the floor for any Go server; no access log).
# proxy: DCMServices ExecuteRule (FINDPARTIES, one row) through dcmconnect
#   (token verified, cached; user map; allowlist; appbase client; rows handed
#   on as raw JSON; access log) vs nginx proxy_pass (access log, upstream
#   keep-alive) and a bare httputil.ReverseProxy (bench/reverseproxy) in
#   front of the same fake AppBase (bench/fakeappbase): at 20 ms upstream
#   latency (dcmconnect vs nginx) and at 0 ms (dcmconnect vs both).
#
# Bounded: (3 static x 3 + 5 proxy) runs x ROUNDS x DURATION seconds plus
# start-up (defaults: 14 x 3 x 5 s, about 4 minutes). Installs nginx and wrk
# with apt-get when they are missing and it may (root); otherwise says what
# to install and exits 2.
#
# PIN=1 runs wrk on CPU 0 and every server (dcmconnect, nginx, the bare
# anchors, the fake AppBase) on the other CPUs (taskset), instead of all of
# them sharing every CPU. Unpinned, wrk takes CPU from whichever server it
# loads, and how much depends on the server: Go's idle Ps spin looking for
# work on the CPUs wrk needs, nginx's workers sleep in epoll. Pinned, each
# server has the same CPUs to itself and sizes itself to them as it does to
# a machine: Go's GOMAXPROCS follows the CPU set, and nginx gets one worker
# per CPU of the set (what worker_processes auto means; nginx 1.22's auto
# counts the machine's CPUs, not the set's). On 2 cores that is 1 CPU each:
# the figures are one core's, not comparable with unpinned ones.
#
#   bench/compare.sh                 # or: make bench-compare
#   WHAT=proxy ROUNDS=5 DURATION=8 CONNS=64 bench/compare.sh
#   PIN=1 WHAT=static bench/compare.sh
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WHAT=${WHAT:-static proxy}
PIN=${PIN:-0}
PAGE=/dcm-connect-docs/index.html

# srv and gen prefix the servers' and wrk's commands (PIN=1: taskset).
srv=() gen=() workers=auto placement="wrk and the servers share all CPUs"
if [ "$PIN" = 1 ]; then
  ncpu=$(nproc)
  command -v taskset >/dev/null 2>&1 || { echo "bench-compare: PIN=1 needs taskset (util-linux)" >&2; exit 2; }
  [ "$ncpu" -ge 2 ] || { echo "bench-compare: PIN=1 needs 2 CPUs or more, have $ncpu" >&2; exit 2; }
  srv=(taskset -c "1-$((ncpu - 1))") gen=(taskset -c 0) workers=$((ncpu - 1))
  placement="pinned: wrk on CPU 0, the servers on CPUs 1-$((ncpu - 1)), nginx $workers worker(s)"
fi

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
wait_for() { # what command...: polls a server or file coming up, not ordering events
  local what=$1; shift
  for _ in $(seq 1 100); do
    "$@" && return 0
    sleep 0.1
  done
  echo "bench-compare: $what did not come up" >&2
  exit 1
}
wait_up() { wait_for "$1" curl -fso /dev/null "$1"; }
want() { [[ " $WHAT " == *" $1 "* ]]; }

go build -o "$work/dcmserver" ./bench/dcmserver
go build -o "$work/fakeappbase" ./bench/fakeappbase
go build -o "$work/reverseproxy" ./bench/reverseproxy
go build -o "$work/barestatic" ./bench/barestatic

# dcmconnect for the pages: the same api.Server as `dcmconnect serve`, access log on.
dport=$(free_port)
"${srv[@]}" "$work/dcmserver" -listen "127.0.0.1:$dport" -access-log "$work/dcm-access.log" >"$work/dcm.out" 2>"$work/dcm.err" &
pids+=($!)
declare -A pid
pid[dcm]=$!

# The fake AppBase at 20 ms and 0 ms, dcmconnect and the bare proxy in front.
declare -A up
if want proxy; then
  for ms in 20 0; do
    mkdir -p "$work/up$ms"
    port=$(free_port)
    "${srv[@]}" "$work/fakeappbase" -listen "127.0.0.1:$port" -latency "${ms}ms" -out "$work/up$ms" >"$work/up$ms.out" 2>"$work/up$ms.err" &
    pids+=($!)
    up[$ms]=$port
  done
  for ms in 20 0; do
    wait_for "fakeappbase at ${ms} ms" test -s "$work/up$ms/client.json"
    port=$(free_port)
    "${srv[@]}" "$work/dcmserver" -listen "127.0.0.1:$port" -access-log "$work/dcm-rule$ms-access.log" -upstream "$work/up$ms" >"$work/dcm$ms.out" 2>"$work/dcm$ms.err" &
    pids+=($!)
    pid[dcm$ms]=$!
    up[dcm$ms]=$port
  done
  port=$(free_port)
  "${srv[@]}" "$work/reverseproxy" -listen "127.0.0.1:$port" -upstream "http://127.0.0.1:${up[0]}" >"$work/rp.out" 2>"$work/rp.err" &
  pids+=($!)
  pid[rp0]=$!
  up[rp0]=$port
  up[ngx20]=$(free_port)
  up[ngx0]=$(free_port)
fi

# nginx: the same page, access log on, gzip_static from a precomputed .gz
# (dcmconnect precomputes its gzip bodies too), ETag and 304 as shipped;
# proxy_pass to each fake with upstream keep-alive, access log on.
# Like for like: nginx adds the headers a real deployment in front of this
# page would add, with the values dcmconnect sends (read from its answer
# below): Content-Security-Policy (frame-ancestors for the Genesys
# desktop), X-Content-Type-Options, Referrer-Policy and Cache-Control,
# `always` so its 304s carry them too. Left out: X-Request-Id (nginx would
# not make one for a page) and Date, Content-Type, ETag, Vary, which
# nginx writes itself.
mkdir -p "$work/root/dcm-connect-docs" "$work/nginx"
wait_up "http://127.0.0.1:$dport$PAGE"
dcmgc=$(sed -n 's/^gc policy: //p' "$work/dcm.out")
curl -fso "$work/root$PAGE" -D "$work/dcm-headers" "http://127.0.0.1:$dport$PAGE" # the very bytes dcmconnect serves
gzip -9 -k "$work/root$PAGE"
chmod -R a+rX "$work/root"
add_headers=""
for h in Content-Security-Policy X-Content-Type-Options Referrer-Policy Cache-Control; do
  v=$(tr -d '\r' <"$work/dcm-headers" | awk -v h="$h" 'BEGIN {h = tolower(h) ":"} tolower($1) == h {sub(/^[^:]*: */, ""); print}')
  [ -n "$v" ] || { echo "bench-compare: dcmconnect sent no $h" >&2; exit 1; }
  [[ "$v" != *'"'* && "$v" != *'$'* ]] || { echo "bench-compare: $h: a value nginx would read otherwise: $v" >&2; exit 1; }
  add_headers+="
    add_header $h \"$v\" always;"
done
nport=$(free_port)
proxies=""
if want proxy; then
  for ms in 20 0; do
    proxies+="
  upstream ab$ms { server 127.0.0.1:${up[$ms]}; keepalive 64; }
  server {
    listen 127.0.0.1:${up[ngx$ms]};
    location / { proxy_pass http://ab$ms; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"
  done
fi
cat >"$work/nginx/nginx.conf" <<CONF
worker_processes $workers;
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
    root $work/root;$add_headers
  }$proxies
}
CONF
"${srv[@]}" "$NGINX" -c "$work/nginx/nginx.conf" -p "$work/nginx" 2>"$work/nginx/stderr" &
pids+=($!)
pid[ngx]=$! # the master; cpu counts its workers

dcm="http://127.0.0.1:$dport$PAGE"
ngx="http://127.0.0.1:$nport$PAGE"
wait_up "$dcm"
wait_up "$ngx"
if want static; then
  bport=$(free_port)
  "${srv[@]}" "$work/barestatic" -listen "127.0.0.1:$bport" -from "$dcm" >"$work/bare.out" 2>"$work/bare.err" &
  pids+=($!)
  pid[bare]=$!
  bare="http://127.0.0.1:$bport$PAGE"
  wait_up "$bare"
fi
etag() { curl -fsI "$1" | tr -d '\r' | awk 'tolower($1)=="etag:" {print $2}'; }
detag=$(etag "$dcm")
netag=$(etag "$ngx")
[ -n "$detag" ] && [ -n "$netag" ] || { echo "bench-compare: a server sent no ETag" >&2; exit 1; }
# Both send the same security and cache headers, on 200s and on 304s.
header() { # name url if-none-match
  curl -fsI -H "If-None-Match: $3" "$2" | tr -d '\r' | awk -v h="$1" 'BEGIN {h = tolower(h) ":"} tolower($1) == h {sub(/^[^:]*: */, ""); print}'
}
for h in Content-Security-Policy X-Content-Type-Options Referrer-Policy Cache-Control Vary; do
  for pair in "none none" "$detag $netag"; do
    read -r di ni <<<"$pair"
    a=$(header "$h" "$dcm" "$di") b=$(header "$h" "$ngx" "$ni")
    [ -n "$a" ] && [ "$a" = "$b" ] || { echo "bench-compare: $h differs: dcmconnect '$a', nginx '$b'" >&2; exit 1; }
  done
done

# wrk scripts for the proxy runs: the page's call to dcmconnect, the
# AppBase call to nginx and the bare proxy; each answer checked once first.
lua() { # file path body-file header...
  local f=$1 path=$2 body=$3; shift 3
  { echo 'wrk.method = "POST"'
    echo "wrk.path = [[$path]]"
    echo "wrk.body = [[$(cat "$body")]]"
    echo 'wrk.headers["Content-Type"] = "application/json"'
    for h in "$@"; do echo "wrk.headers[\"${h%%:*}\"] = [[${h#*: }]]"; done
  } >"$f"
}
check() { # name url body-file header...
  local name=$1 url=$2 body=$3 args=(); shift 3
  for h in "$@"; do args+=(-H "$h"); done
  local out
  out=$(curl -fsS -X POST -H 'Content-Type: application/json' "${args[@]}" --data-binary "@$body" "$url") ||
    { echo "bench-compare: $name: the call failed" >&2; exit 1; }
  grep -q '"P-1"' <<<"$out" || { echo "bench-compare: $name answered without the party: $out" >&2; exit 1; }
}
if want proxy; then
  for ms in 20 0; do
    wait_up "http://127.0.0.1:${up[dcm$ms]}/healthz"
    wait_for "dcmserver token at ${ms} ms" test -s "$work/up$ms/token"
    auth="Authorization: Bearer $(cat "$work/up$ms/token")"
    lua "$work/dcm$ms.lua" /dcm-connect-service/DCMServices.asmx/ExecuteRule "$work/up$ms/call.json" "$auth"
    check "dcmconnect at ${ms} ms" "http://127.0.0.1:${up[dcm$ms]}/dcm-connect-service/DCMServices.asmx/ExecuteRule" "$work/up$ms/call.json" "$auth"
    lua "$work/ab$ms.lua" "$(cat "$work/up$ms/rulepath")" "$work/up$ms/rulebody.json"
    check "nginx at ${ms} ms" "http://127.0.0.1:${up[ngx$ms]}$(cat "$work/up$ms/rulepath")" "$work/up$ms/rulebody.json"
  done
  check "reverseproxy at 0 ms" "http://127.0.0.1:${up[rp0]}$(cat "$work/up0/rulepath")" "$work/up0/rulebody.json"
fi

# cpu: CPU ticks (user+system) the processes and their children used so far.
cpu() { # pid...
  local t=0 p
  for p in "$@" $(for p in "$@"; do pgrep -P "$p"; done); do
    t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$t"
}
hz=$(getconf CLK_TCK)

# one run: prints requests/s and the server's CPU microseconds per request
# (less sensitive to other load than requests/s); fails on errors or
# unexpected answers.
run() { # server-pid url wrk-args...
  local pid=$1 url=$2; shift 2
  local out c0 c1
  c0=$(cpu "$pid")
  out=$("${gen[@]}" wrk -t"$THREADS" -c"$CONNS" -d"${DURATION}s" "$@" "$url")
  c1=$(cpu "$pid")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "bench-compare: $url ${*}: errors:" >&2
    echo "$out" >&2
    exit 1
  fi
  awk -v c=$((c1 - c0)) -v hz="$hz" '/requests in/ {n=$1} /^Requests\/sec:/ {r=$2} END {printf "%s %.1f\n", r, c*1e6/hz/n}' <<<"$out"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

declare -A res cpus
runs=() # case.server pairs, interleaved within each case
want static && runs+=(full.dcm full.ngx full.bare gzip.dcm gzip.ngx gzip.bare 304.dcm 304.ngx 304.bare)
want proxy && runs+=(rule20.dcm rule20.ngx rule0.dcm rule0.rp rule0.ngx)
[ ${#runs[@]} -gt 0 ] || { echo "bench-compare: WHAT=$WHAT: give static, proxy or both" >&2; exit 2; }
echo "wrk -t$THREADS -c$CONNS -d${DURATION}s, $ROUNDS interleaved rounds, loopback; $(nproc) cores, $placement; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dcmconnect runs as deployed: gc policy $dcmgc"
# The proxy runs of a case take turns going first, round by round (rule0:
# dcm rp ngx, then rp ngx dcm, ...): in a fixed order one server always ran
# right after the same other one (dcmconnect after nginx at 20 ms, the bare
# proxy after dcmconnect, on the same fake). The medians did not show that
# order to favour either side (0.98x in this script against 0.92x
# in a rotating A/B for the same binary at load 4, the other way round the
# session before), but nothing then depends on it. Static runs keep their order.
rotate() { # round case.server...: the list turned by round-1
  local n=$1; shift
  local a=("$@") k=$(( (n - 1) % $# ))
  echo "${a[@]:k}" "${a[@]:0:k}"
}
for r in $(seq 1 "$ROUNDS"); do
  order=()
  want static && order+=(full.dcm full.ngx full.bare gzip.dcm gzip.ngx gzip.bare 304.dcm 304.ngx 304.bare)
  if want proxy; then
    read -ra t <<<"$(rotate "$r" rule20.dcm rule20.ngx)"; order+=("${t[@]}")
    read -ra t <<<"$(rotate "$r" rule0.dcm rule0.rp rule0.ngx)"; order+=("${t[@]}")
  fi
  for cs in "${order[@]}"; do
    c=${cs%.*} s=${cs#*.}
    case $c.$s in
      full.dcm) args=("${pid[dcm]}" "$dcm") ;;
      full.ngx) args=("${pid[ngx]}" "$ngx") ;;
      gzip.dcm) args=("${pid[dcm]}" "$dcm" -H "Accept-Encoding: gzip") ;;
      gzip.ngx) args=("${pid[ngx]}" "$ngx" -H "Accept-Encoding: gzip") ;;
      304.dcm) args=("${pid[dcm]}" "$dcm" -H "If-None-Match: $detag") ;;
      304.ngx) args=("${pid[ngx]}" "$ngx" -H "If-None-Match: $netag") ;;
      full.bare) args=("${pid[bare]}" "$bare") ;;
      gzip.bare) args=("${pid[bare]}" "$bare" -H "Accept-Encoding: gzip") ;;
      304.bare) args=("${pid[bare]}" "$bare" -H "If-None-Match: $detag") ;;
      rule*.dcm) ms=${c#rule}; args=("${pid[dcm$ms]}" "http://127.0.0.1:${up[dcm$ms]}" -s "$work/dcm$ms.lua") ;;
      rule*.ngx) ms=${c#rule}; args=("${pid[ngx]}" "http://127.0.0.1:${up[ngx$ms]}" -s "$work/ab$ms.lua") ;;
      rule0.rp) args=("${pid[rp0]}" "http://127.0.0.1:${up[rp0]}" -s "$work/ab0.lua") ;;
    esac
    read -r rps us < <(run "${args[@]}")
    res[$cs]+="$rps "
    cpus[$cs]+="$us "
  done
  echo "round $r/$ROUNDS done, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
done

med() { tr ' ' '\n' <<<"$1" | grep . | median; }
line() { # case other-server
  local d n dc nc
  d=$(med "${res[$1.dcm]}") n=$(med "${res[$1.$2]}")
  dc=$(med "${cpus[$1.dcm]}") nc=$(med "${cpus[$1.$2]}")
  printf '%-7s %-7s %10.0f %10.0f %6.2fx  %8.1f %8.1f %6.2fx   (req/s runs: dcm %s| %s %s)\n' "$1" "$2" "$d" "$n" \
    "$(awk -v d="$d" -v n="$n" 'BEGIN {print d/n}')" "$dc" "$nc" "$(awk -v d="$dc" -v n="$nc" 'BEGIN {print n/d}')" \
    "${res[$1.dcm]}" "$2" "${res[$1.$2]}"
}
echo "req/s: medians (ratio dcmconnect/other); cpu: the server's CPU us per request, medians (ratio other/dcmconnect: above 1 means dcmconnect uses less)"
printf '%-7s %-7s %10s %10s %7s  %8s %8s %7s\n' case vs dcm-req/s req/s ratio dcm-cpu cpu ratio
if want static; then
  for c in full gzip 304; do line "$c" ngx; done
  for c in full gzip 304; do line "$c" bare; done
fi
if want proxy; then
  line rule20 ngx
  line rule0 rp
  line rule0 ngx
fi
echo "(static: index.html; rule20/rule0: ExecuteRule at 20/0 ms upstream latency; ngx = nginx, bare = bare net/http with dcmconnect's bytes, rp = bare httputil.ReverseProxy)"
if want static; then
  echo "access log lines: dcmconnect $(wc -l <"$work/dcm-access.log"), nginx $(wc -l <"$work/nginx/access.log") (dcmconnect flushes its batch on exit)"
fi
