#!/usr/bin/env bash
# npm run check:uws — proves the uWebSockets.js transport end to end on a machine whose
# glibc is too old for its binaries (Debian 12: 2.36; they need >= 2.38).
#
#   1. A Debian trixie root (glibc 2.41) at .cache/trixie, made once with debootstrap
#      (minbase, ~210 MB, ~35 s) and reused while it is valid.
#   2. The server runs inside it (chroot) on the repository's npm Node 22 binary, with
#      PANTHEON_TRANSPORT=uwebsockets, a free PORT and a throw-away PGlite data dir.
#   3. From outside the chroot, infra/dev/uws-client.ts (host Node 22, @colyseus/sdk)
#      opens a battle with two players, casts an ability and sees its ref synced back,
#      and checks GET /healthz; then the server must stop on SIGTERM with exit code 0.
#
# Needs root (debootstrap, chroot, mount). Installs debootstrap with apt-get if missing.
# Environment: PANTHEON_TRIXIE_MIRROR (default http://deb.debian.org/debian).
# Not part of `npm test`: it is slow the first time and needs root.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
REPO="$(cd "$(dirname "$SELF")/../.." && pwd)"
CACHE="$REPO/.cache"
ROOT="$CACHE/trixie"
MARKER="$ROOT/.pantheon-trixie-ok"
MIRROR="${PANTHEON_TRIXIE_MIRROR:-http://deb.debian.org/debian}"
HOST_NODE="$REPO/node_modules/.bin/node"
CHROOT_NODE="$REPO/node_modules/node/bin/node" # the same path inside the chroot: the repo is bind-mounted there
READY_TIMEOUT_S=90
STOP_TIMEOUT_S=20

PASSED=()
MOUNTS=()
SERVER_PID=""
WORK=""
DATA_DIR=""
RESULT="FAIL"

say() { printf 'check:uws: %s\n' "$*"; }
pass() { PASSED+=("$*"); say "ok: $*"; }

summary() {
  local line
  printf '\n== check:uws summary ==\n'
  for line in "${PASSED[@]}"; do printf 'PASS  %s\n' "$line"; done
  if [[ -n "${1:-}" ]]; then printf 'FAIL  %s\n' "$1"; fi
  printf 'RESULT: %s\n' "$RESULT"
}

fail() {
  local reason="$*"
  if [[ -n "$WORK" && -s "$WORK/server.log" ]]; then
    printf '\n-- server log (last 30 lines, %s) --\n' "$WORK/server.log" >&2
    tail -n 30 "$WORK/server.log" >&2
  fi
  RESULT="FAIL"
  summary "$reason"
  exit 1
}

# Mounts at or below $1, deepest first (in this mount namespace).
mounts_under() {
  awk -v root="$1" '{ p = $5; gsub(/\\040/, " ", p); if (p == root || index(p, root "/") == 1) print p }' /proc/self/mountinfo | sort -r
}

unmount_all_under() {
  local target
  while read -r target; do
    [[ -n "$target" ]] || continue
    umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
  done < <(mounts_under "$1")
}

cleanup() {
  local status=$? i
  trap - EXIT INT TERM
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  for ((i = ${#MOUNTS[@]} - 1; i >= 0; i--)); do
    umount "${MOUNTS[i]}" 2>/dev/null || umount -l "${MOUNTS[i]}" 2>/dev/null || say "warning: could not unmount ${MOUNTS[i]}"
  done
  if [[ -n "$DATA_DIR" && -d "$DATA_DIR" ]]; then rm -rf "$DATA_DIR"; fi
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "$RESULT" == "PASS" || -z "$(ls -A "$WORK")" ]]; then rm -rf "$WORK"; else say "logs kept in $WORK"; fi
  fi
  exit "$status"
}

[[ $EUID -eq 0 ]] || { RESULT="FAIL"; summary "must run as root (debootstrap, chroot and mount need it)"; exit 1; }

# Our mounts go into a private mount namespace when one can be made: they are then
# invisible to the rest of the machine and vanish with this script even if it is killed.
if [[ -z "${UWS_CHECK_IN_NAMESPACE:-}" ]] && unshare --mount --propagation private true 2>/dev/null; then
  export UWS_CHECK_IN_NAMESPACE=1
  exec unshare --mount --propagation private -- bash "$SELF" "$@"
fi

trap cleanup EXIT
trap 'fail "interrupted"' INT TERM

[[ -x "$HOST_NODE" && -x "$CHROOT_NODE" ]] || fail "no Node 22 under node_modules ($HOST_NODE, $CHROOT_NODE): run npm install first"
WORK="$(mktemp -d /tmp/pantheon-uws-check.XXXXXX)"
mkdir -p "$CACHE"

# One run at a time: the trixie root is shared.
exec 9>"$CACHE/trixie.lock"
flock -n 9 || { say "another check:uws is running; waiting for it"; flock -w 900 9 || fail "timed out waiting for $CACHE/trixie.lock"; }

glibc_of_root() { chroot "$ROOT" /usr/bin/getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ print $2 }'; }
at_least() { [[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" == "$2" ]]; }

root_valid() {
  local version
  [[ -f "$MARKER" && -x "$ROOT/bin/sh" && -x "$ROOT/usr/bin/env" ]] || return 1
  grep -q '^VERSION_CODENAME=trixie$' "$ROOT/etc/os-release" 2>/dev/null || return 1
  version="$(glibc_of_root)"
  [[ -n "$version" ]] && at_least "$version" 2.38
}

ensure_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  say "installing debootstrap with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >"$WORK/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>"$WORK/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y debootstrap >>"$WORK/apt.log" 2>&1 ||
      { tail -n 15 "$WORK/apt.log" >&2; fail "could not install debootstrap with apt-get (see $WORK/apt.log)"; }
  fi
}

create_root() {
  local staging="$CACHE/trixie.new.$$" started=$SECONDS
  # Whatever is left there (a partial or broken root) goes, but never with anything
  # mounted inside it: a leftover bind mount of the repository would be deleted with it.
  unmount_all_under "$ROOT"
  [[ -z "$(mounts_under "$ROOT")" ]] || fail "something is still mounted under $ROOT; unmount it and retry"
  ensure_debootstrap
  if command -v wget >/dev/null && ! wget -q -T 20 -t 2 -O /dev/null "$MIRROR/dists/trixie/InRelease"; then
    fail "cannot fetch $MIRROR/dists/trixie/InRelease: debootstrap needs a Debian mirror (network down? set PANTHEON_TRIXIE_MIRROR)"
  fi
  say "creating the Debian trixie root at $ROOT with debootstrap from $MIRROR (about 35 s, 210 MB)"
  rm -rf "$CACHE"/trixie.new.*
  if ! debootstrap --variant=minbase trixie "$staging" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
    tail -n 15 "$WORK/debootstrap.log" >&2
    rm -rf "$staging"
    if grep -qiE "couldn't download|failed getting release|couldn't retrieve|unable to fetch|connection (refused|timed out)|temporary failure in name resolution" "$WORK/debootstrap.log"; then
      fail "debootstrap could not fetch trixie packages from $MIRROR (see $WORK/debootstrap.log)"
    fi
    fail "debootstrap failed (see $WORK/debootstrap.log)"
  fi
  rm -rf "$ROOT"
  mv "$staging" "$ROOT"
  printf 'debootstrap --variant=minbase trixie %s\ncreated %s\n' "$MIRROR" "$(date -u +%FT%TZ)" >"$MARKER"
  root_valid || fail "the new trixie root at $ROOT does not work (glibc: '$(glibc_of_root)')"
  pass "trixie root created at .cache/trixie in $((SECONDS - started)) s (glibc $(glibc_of_root))"
}

if root_valid; then
  pass "trixie root reused at .cache/trixie (glibc $(glibc_of_root))"
else
  [[ -e "$ROOT" ]] && say "$ROOT is missing pieces or not a trixie root: making it again"
  create_root
fi

# Anything left mounted in the root (by a killed run outside a namespace) goes first.
unmount_all_under "$ROOT"

bind() { # bind <source> <target> [ro]
  mkdir -p "$2"
  mount --bind "$1" "$2"
  MOUNTS+=("$2")
  mount --make-private "$2" 2>/dev/null || true
  if [[ "${3:-}" == "ro" ]]; then mount -o remount,bind,ro "$2"; fi
}
bind "$REPO" "$ROOT$REPO" ro
mkdir -p "$ROOT/proc"
mount -t proc proc "$ROOT/proc"
mount --make-private "$ROOT/proc" 2>/dev/null || true
MOUNTS+=("$ROOT/proc")
bind /dev "$ROOT/dev"

node_version="$(chroot "$ROOT" "$CHROOT_NODE" --version 2>&1)" || fail "Node does not run inside the trixie root: $node_version"
pass "mounted repo (read-only), /proc and /dev; Node $node_version runs in the chroot"

PORT="$("$HOST_NODE" -e "const s = require('node:net').createServer(); s.listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });")"
DATA_DIR="$(mktemp -d "$ROOT/tmp/pantheon-uws-data.XXXXXX")"

chroot "$ROOT" /usr/bin/env -i -C "$REPO" PATH=/usr/local/bin:/usr/bin:/bin HOME=/root \
  PANTHEON_TRANSPORT=uwebsockets PORT="$PORT" HOST=127.0.0.1 PANTHEON_DATA_DIR="${DATA_DIR#"$ROOT"}" LOG_LEVEL=info \
  "$CHROOT_NODE" infra/main.ts >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
say "server started in the chroot (pid $SERVER_PID, port $PORT); waiting for ready"

for ((i = 0; i < READY_TIMEOUT_S * 10; i++)); do
  grep -q '"msg":"ready"' "$WORK/server.log" && break
  kill -0 "$SERVER_PID" 2>/dev/null || { wait "$SERVER_PID" && code=0 || code=$?; fail "server exited with code $code before logging ready"; }
  sleep 0.1
done
grep -q '"msg":"ready"' "$WORK/server.log" || fail "server did not log ready within $READY_TIMEOUT_S s"
listening="$(grep -m 1 '"msg":"server listening"' "$WORK/server.log" || true)"
[[ -n "$listening" ]] || fail "server logged ready but no 'server listening' line"
transport="$("$HOST_NODE" -e 'console.log(JSON.parse(process.argv[1]).transport)' "$listening")"
[[ "$transport" == "uwebsockets" ]] || fail "server listening with transport '$transport', not uwebsockets: $listening"
pass "server ready inside the chroot; 'server listening' says transport=uwebsockets (port $PORT)"

if ! UWS_CHECK_PORT="$PORT" "$HOST_NODE" "$REPO/infra/dev/uws-client.ts" 2>&1 | tee "$WORK/client.log"; then
  fail "the client run from the host failed (see above)"
fi
pass "host client: GET /healthz 200; battle created, second player joined; CastAbility's ref synced in the seat's lastRef"

kill -TERM "$SERVER_PID"
for ((i = 0; i < STOP_TIMEOUT_S * 10; i++)); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$SERVER_PID" 2>/dev/null; then fail "server did not exit within $STOP_TIMEOUT_S s of SIGTERM"; fi
code=0
wait "$SERVER_PID" || code=$?
SERVER_PID=""
[[ "$code" -eq 0 ]] || fail "server exited with code $code after SIGTERM (want 0)"
grep -q '"msg":"stopped"' "$WORK/server.log" || fail "server exited 0 but never logged stopped"
pass "server stopped on SIGTERM with exit code 0"

RESULT="PASS"
summary
