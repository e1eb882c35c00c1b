# Shared by scripts/test, scripts/demo and the bench scripts: where things are cached,
# and idempotent installs of what the tests need (moto in a venv, OpenSSH's server).
# shellcheck shell=bash

AWSOPS_CACHE="${AWSOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/awsops}"
# Outside the checkout, so CI and later runs reuse the SDK build instead of redoing it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$AWSOPS_CACHE/target}"
MOTO_REQUIREMENT="moto[server]==5.2.1"

say() { printf '%s\n' "$*" >&2; }

# A Python venv with moto's server; reused when it already has the pinned version.
ensure_moto() {
  local venv="$AWSOPS_CACHE/venv"
  if [ ! -x "$venv/bin/moto_server" ] || ! "$venv/bin/python" -c 'import moto, sys; sys.exit(moto.__version__ != "5.2.1")' 2>/dev/null; then
    say "installing $MOTO_REQUIREMENT into $venv"
    mkdir -p "$AWSOPS_CACHE"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$MOTO_REQUIREMENT"
  fi
  "$venv/bin/moto_server" --help >/dev/null || { say "moto_server from $venv does not run"; return 1; }
  export AWSOPS_MOTO_SERVER="$venv/bin/moto_server"
}

# kubernetes-validate (with the Kubernetes OpenAPI schemas bundled: no network when it
# runs) in moto's venv, for the deploy/ manifests test; needs ensure_moto first.
KUBERNETES_VALIDATE_REQUIREMENT="kubernetes-validate==1.37.0"
ensure_deploy_tools() {
  local venv="$AWSOPS_CACHE/venv"
  if ! "$venv/bin/python" -c 'import kubernetes_validate' 2>/dev/null; then
    say "installing $KUBERNETES_VALIDATE_REQUIREMENT into $venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$KUBERNETES_VALIDATE_REQUIREMENT"
  fi
}

# buildah, to build the container image of deploy/ without a daemon.
ensure_image_tools() {
  command -v buildah >/dev/null || apt_install buildah
}

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  say "installing $* with apt"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$@" >/dev/null
}

# OpenSSH's server (sshd) and client, and iproute2 for the network namespaces the
# bastion-ssh tests put the servers in.
ensure_sshd() {
  if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && command -v ssh >/dev/null && command -v ip >/dev/null; then
    return 0
  fi
  apt_install openssh-server openssh-client iproute2
  [ -x /usr/sbin/sshd ] || { say "sshd is still missing after apt-get install"; return 1; }
}

# util-linux's findmnt, unshare and mount: the efs-mount tests check every fstab they write
# the way the system reads it (`findmnt --verify`, `mount --fake -a` in a private namespace).
ensure_host_tools() {
  if command -v findmnt >/dev/null && command -v unshare >/dev/null && command -v mount >/dev/null; then
    return 0
  fi
  apt_install util-linux mount
}

# What the build needs besides Rust: libssh2 (in the ssh2 crate) links OpenSSL, found with pkg-config.
# bastion-ssh builds OpenSSL from source (ssh2's vendored-openssl): it needs perl and make.
ensure_build_deps() {
  if command -v perl >/dev/null && command -v make >/dev/null && perl -MFindBin -MIPC::Cmd -e1 2>/dev/null; then
    return 0
  fi
  apt_install perl make
}

# mandoc, which lints the man pages (`mandoc -T lint`), and the three shells the
# completion tests source the generated scripts in (bash, zsh, fish).
ensure_doc_tools() {
  if command -v mandoc >/dev/null && command -v bash >/dev/null && command -v zsh >/dev/null && command -v fish >/dev/null; then
    return 0
  fi
  apt_install mandoc bash zsh fish
}

# cargo-deny, which scripts/test runs on the dependency graph (deny.toml): built from
# crates.io once (a few minutes), then reused from ~/.cargo/bin.
CARGO_DENY_VERSION="0.20.2"
ensure_cargo_deny() {
  if command -v cargo-deny >/dev/null && cargo-deny --version 2>/dev/null | grep -qF "$CARGO_DENY_VERSION"; then
    return 0
  fi
  say "installing cargo-deny $CARGO_DENY_VERSION (cargo install --locked)"
  # Its own build directory, not the project's target: nothing of it is reused there.
  local build
  build="$(mktemp -d)"
  CARGO_TARGET_DIR="$build" cargo install --quiet --locked --version "$CARGO_DENY_VERSION" cargo-deny
  rm -rf "$build"
}

# GNU time, which the iam benchmark reads peak memory from.
ensure_gnu_time() {
  [ -x /usr/bin/time ] && return 0
  apt_install time
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts moto on a free loopback port; sets MOTO_PID and MOTO_URL. Fails loudly.
start_moto() {
  local port log
  port="$(free_port)"
  log="$(mktemp)"
  "$AWSOPS_MOTO_SERVER" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  MOTO_PID=$!
  MOTO_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 300); do
    if python3 -c "import urllib.request, sys; urllib.request.urlopen('$MOTO_URL/moto-api/', timeout=1)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$MOTO_PID" 2>/dev/null || break
    sleep 0.1
  done
  say "moto_server did not start on $MOTO_URL:"; cat "$log" >&2
  return 1
}

stop_moto() {
  [ -n "${MOTO_PID:-}" ] && kill "$MOTO_PID" 2>/dev/null && wait "$MOTO_PID" 2>/dev/null
  MOTO_PID=""
}

# Static test credentials, no instance metadata, no profile files: nothing leaves the machine.
use_emulator() {
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
  export AWS_ENDPOINT_URL="$MOTO_URL" AWS_REGION="${AWS_REGION:-ap-northeast-2}"
  export AWS_DEFAULT_REGION="$AWS_REGION"
  unset AWS_PROFILE AWS_SESSION_TOKEN
  local empty="$AWSOPS_CACHE/empty-aws"
  mkdir -p "$empty" && : >"$empty/config" && : >"$empty/credentials"
  export AWS_CONFIG_FILE="$empty/config" AWS_SHARED_CREDENTIALS_FILE="$empty/credentials"
}

# The host's target triple: the release build names it explicitly, so that the static-glibc
# flag below reaches only the binary, not build scripts and proc-macros (which must stay dynamic).
host_triple() {
  rustc -vV | sed -n 's/^host: //p'
}

# RUSTFLAGS of the self-contained binary: glibc linked statically (+crt-static; names are
# resolved in Rust, see core's name_resolver, so no NSS module is ever loaded), and random
# numbers from the getrandom system call itself: the default backend looks the libc function
# up with dlsym, which a static binary cannot, and falls back to /dev/urandom, which an
# empty root or a scratch container may not have.
static_rustflags() {
  echo "${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static --cfg getrandom_backend=\"linux_getrandom\""
}

# Builds awsops self-contained in the given profile (scripts/install, cargo xtask dist and the
# benches: dist; scripts/test: dev, the same code and link unoptimized, for the test that runs it
# in an empty root). The host's triple is named explicitly so that the flags reach only the
# binary, not build scripts and proc-macros (which must stay dynamic). Logs on stderr, prints
# the binary's path.
build_static() {
  local profile="$1" triple dir
  triple="$(host_triple)"
  dir="$profile"; [ "$profile" = dev ] && dir=debug
  say "building awsops (profile $profile, static, $triple)"
  # OpenSSL (for libssh2) with threads: see scripts/openssl-configure-perl. OPENSSL_NO_VENDOR=0
  # changes nothing (OpenSSL stays vendored), but openssl-sys's build script watches it, unlike
  # OPENSSL_SRC_PERL: a target directory whose OpenSSL was configured without threads rebuilds it.
  OPENSSL_SRC_PERL="$PWD/scripts/openssl-configure-perl" OPENSSL_NO_VENDOR=0 \
    RUSTFLAGS="$(static_rustflags)" cargo build --quiet --locked --profile "$profile" --target "$triple" --bin awsops >&2
  echo "$CARGO_TARGET_DIR/$triple/$dir/awsops"
}

# The optimized, self-contained binary that users install.
build_dist() {
  build_static dist
}
