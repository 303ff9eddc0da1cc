#!/usr/bin/env bash
# Installs GPU Router on this box as the systemd service gpu-router, or stages the same files
# under a folder. Run it again at any time: it changes only what differs, and never touches an
# operator's /etc/gpu-router/router.yaml or a key already in /etc/gpu-router/env.
#
#   scripts/install.sh [--from DIR] [--root DIR]   install or upgrade
#   scripts/install.sh --uninstall [--root DIR]    remove the binary, the unit and the link;
#                                                  keep the config, the keys and the state
#
#   --from DIR   a publish folder built elsewhere (holding the gpu-router executable), for a box
#                without the .NET SDK; default: dotnet publish, self-contained for linux-x64
#   --root DIR   stage everything under DIR (DIR/opt/gpu-router, DIR/etc/...) without touching the
#                system: no user, no ownership, no systemctl; for packaging and tests
#
# Installs: /opt/gpu-router/ (the router, self-contained: the box needs no .NET runtime),
# /usr/local/bin/gpu-router (a link, so `gpu-router status` works), /etc/gpu-router/router.yaml
# (config/router.yaml, only when absent), /etc/gpu-router/env (root:gpu-router 0640, with fresh
# WEBUI_API_KEY, N8N_API_KEY and ROUTER_ADMIN_KEY where absent or empty) and
# /etc/systemd/system/gpu-router.service; creates the system user gpu-router (group docker, for
# the socket); checks the config with `gpu-router check-config`; then daemon-reload and
# enable --now (restart when something changed) where systemd runs.
# Exit codes: 0 done; 1 a step failed; 2 wrong usage or the installed config is invalid.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
keys=(WEBUI_API_KEY N8N_API_KEY ROUTER_ADMIN_KEY)
target=/opt/gpu-router/gpu-router

usage() {
  echo "usage: scripts/install.sh [--from DIR] [--root DIR] | --uninstall [--root DIR]" >&2
  exit 2
}

root="" from="" uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --root) [ $# -ge 2 ] || usage; root=$2; shift 2 ;;
    --root=*) root=${1#*=}; shift ;;
    --from) [ $# -ge 2 ] || usage; from=$2; shift 2 ;;
    --from=*) from=${1#*=}; shift ;;
    --uninstall) uninstall=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown argument '$1'" >&2; usage ;;
  esac
done
if [ -n "$root" ]; then
  mkdir -p "$root"
  root=$(cd "$root" && pwd)
  staged=1
else
  staged=0
  [ "$(id -u)" -eq 0 ] || { echo "install: run as root (or --root DIR to stage the files)" >&2; exit 1; }
fi
opt=$root/opt/gpu-router
etc=$root/etc/gpu-router
unit=$root/etc/systemd/system/gpu-router.service
link=$root/usr/local/bin/gpu-router
systemd=0
if [ "$staged" = 0 ] && [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then systemd=1; fi
changed=0

say() { echo "install: $*"; }

uninstall() {
  if [ "$systemd" = 1 ] && [ -e "$unit" ]; then
    systemctl disable --now gpu-router || true
  fi
  if [ -e "$unit" ]; then rm -f "$unit"; say "removed $unit"; fi
  if [ "$systemd" = 1 ]; then systemctl daemon-reload; fi
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then rm -f "$link"; say "removed $link"; fi
  if [ -d "$opt" ]; then rm -rf "$opt"; say "removed $opt"; fi
  say "kept $etc (router.yaml and the keys in env) and /var/lib/gpu-router (state); the user gpu-router stays."
  say "model containers the router started keep running: docker ps --filter label=gpu-router.managed=true"
}

# The publish folder: --from, else a self-contained build of this checkout.
publish() {
  if [ -z "$from" ]; then
    command -v dotnet >/dev/null || { echo "install: no dotnet SDK here: publish elsewhere and pass --from DIR" >&2; exit 1; }
    from=$repo/out/publish/linux-x64
    say "publishing the router (self-contained, linux-x64) to $from"
    DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 dotnet publish "$repo/src/Router" -c Release -r linux-x64 \
      --self-contained -o "$from" -nologo -clp:ErrorsOnly </dev/null >/dev/null
  fi
  [ -x "$from/gpu-router" ] || { echo "install: $from/gpu-router is missing: --from takes a folder dotnet publish wrote" >&2; exit 1; }
  from=$(cd "$from" && pwd)
}

ensure_user() {
  getent group gpu-router >/dev/null || groupadd --system gpu-router
  if ! id -u gpu-router >/dev/null 2>&1; then
    useradd --system --gid gpu-router --home-dir /var/lib/gpu-router --no-create-home --shell /usr/sbin/nologin gpu-router
    say "created the system user gpu-router"
  fi
  if ! getent group docker >/dev/null; then
    say "warning: no group docker yet (is Docker installed?): run this again after installing it"
  elif ! id -nG gpu-router | tr ' ' '\n' | grep -qx docker; then
    usermod -aG docker gpu-router
    say "added gpu-router to the group docker (the Docker socket)"
  fi
}

# The whole folder is replaced when any file differs, so no file of an older version stays behind.
install_binary() {
  if [ -d "$opt" ] && diff -rq "$from" "$opt" >/dev/null 2>&1; then return; fi
  mkdir -p "$(dirname "$opt")"
  rm -rf "$opt.new"
  cp -R "$from/." "$opt.new/"
  chmod -R u=rwX,go=rX "$opt.new"
  if [ "$staged" = 0 ]; then chown -R root:root "$opt.new"; fi
  rm -rf "$opt.old"
  if [ -d "$opt" ]; then mv "$opt" "$opt.old"; fi
  mv "$opt.new" "$opt"
  rm -rf "$opt.old"
  changed=1
  say "installed the router in $opt"
}

install_config() {
  mkdir -p "$etc"
  if [ ! -e "$etc/router.yaml" ]; then
    install -m 0644 "$repo/config/router.yaml" "$etc/router.yaml"
    say "installed $etc/router.yaml from config/router.yaml: add the box's Tailscale address to server.urls"
  elif ! cmp -s "$repo/config/router.yaml" "$etc/router.yaml"; then
    say "kept your $etc/router.yaml (config/router.yaml differs: diff the two to see what is new)"
  fi
}

new_key() { od -An -N32 -tx1 /dev/urandom | tr -d ' \n'; }

# Keys are generated where the file lacks them or leaves them empty; a key already set is never changed.
install_env() {
  local file=$etc/env work
  work=$(mktemp "$etc/.env.XXXXXX")
  if [ -e "$file" ]; then cat "$file" >"$work"; else cat "$repo/systemd/env.example" >"$work"; fi
  for name in "${keys[@]}"; do
    if grep -q "^$name=." "$work"; then continue; fi
    if grep -q "^$name=\$" "$work"; then
      sed -i "s/^$name=\$/$name=$(new_key)/" "$work"
    else
      echo "$name=$(new_key)" >>"$work"
    fi
    say "generated $name in $file"
  done
  if [ -e "$file" ] && cmp -s "$work" "$file"; then
    rm -f "$work"
  else
    [ -e "$file" ] || say "created $file"
    mv "$work" "$file"
    changed=1
  fi
  chmod 0640 "$file"
  if [ "$staged" = 0 ]; then chown root:gpu-router "$file"; fi
}

install_unit() {
  mkdir -p "$(dirname "$unit")"
  if cmp -s "$repo/systemd/gpu-router.service" "$unit"; then return; fi
  install -m 0644 "$repo/systemd/gpu-router.service" "$unit"
  changed=1
  say "installed $unit"
}

install_link() {
  mkdir -p "$(dirname "$link")"
  if [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ]; then return; fi
  ln -sfn "$target" "$link"
  say "linked $link -> $target"
}

# The router's own start-up checks, on the installed files; a config it would refuse stops here.
check_config() {
  local output
  if output=$("$opt/gpu-router" check-config "$etc/router.yaml" --env-file "$etc/env" 2>&1); then
    say "config: $(echo "$output" | tail -n 1)"
    return
  fi
  echo "$output" >&2
  echo "install: $etc/router.yaml is invalid: fix it, then run scripts/install.sh again" >&2
  exit 2
}

start_service() {
  if [ "$systemd" = 0 ]; then
    [ "$staged" = 1 ] || say "systemd does not run here: start the router with $target --config /etc/gpu-router/router.yaml"
    return
  fi
  systemctl daemon-reload
  if [ "$changed" = 1 ] && systemctl is-active --quiet gpu-router; then
    systemctl restart gpu-router
    say "restarted gpu-router"
  fi
  systemctl enable --now gpu-router >/dev/null 2>&1 || { echo "install: systemctl enable --now gpu-router failed: journalctl -u gpu-router" >&2; exit 1; }
  say "gpu-router is enabled and running (journalctl -u gpu-router -f)"
}

summary() {
  local value urls
  echo
  echo "Keys (in $etc/env):"
  for name in "${keys[@]}"; do
    value=$(grep "^$name=" "$etc/env" | tail -n 1 | cut -d= -f2-)
    case "$name" in
      WEBUI_API_KEY) echo "  Open WebUI: $value   (its OpenAI API key; also WEBUI_API_KEY in compose/.env)" ;;
      N8N_API_KEY) echo "  n8n:        $value   (API key of its OpenAI credential)" ;;
      ROUTER_ADMIN_KEY) echo "  admin:      ROUTER_ADMIN_KEY, read by 'gpu-router status' as root" ;;
    esac
  done
  urls=$(grep -m1 -E '^\s*urls:' "$etc/router.yaml" | sed 's/#.*//' | grep -oE 'https?://[^]",[:space:]]+' || true)
  echo "The router listens on (server.urls in $etc/router.yaml):"
  for url in ${urls:-http://127.0.0.1:8000}; do
    echo "  $url/v1  (Base URL for Open WebUI and n8n)   status page: $url/ui"
  done
  echo "Check it: gpu-router status"
}

if [ "$uninstall" = 1 ]; then
  uninstall
  exit 0
fi
publish
if [ "$staged" = 0 ]; then ensure_user; fi
install_binary
install_config
install_env
install_unit
install_link
check_config
start_service
summary
