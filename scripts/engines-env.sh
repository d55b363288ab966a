# shellcheck shell=bash
# Source me (after `npm run engines`):  . scripts/engines-env.sh
# Exports HOMELAB_ENGINES_DIR, BAO_BIN, HELM_BIN, KUBECONFORM_BIN, TF_BIN (empty unless installed
# with HOMELAB_ENGINES_TF=1), the cluster's ETCD_BIN, KUBE_APISERVER_BIN, KUBECTL_BIN, ESO_BIN,
# RELOADER_BIN (empty when not installed), TF_CLI_CONFIG_FILE,
# HOMELAB_VAULT_PROVIDER_AVAILABLE (1/0), CHECKPOINT_DISABLE=1, and puts
# <engines>/bin on PATH.
# Reads <engines>/engines.json written by scripts/install-engines.sh; returns 1
# (without exiting the calling shell) when that file is missing.

export HOMELAB_ENGINES_DIR="${HOMELAB_ENGINES_DIR:-$HOME/.cache/homelab-secrets/engines}"

if [ ! -f "$HOMELAB_ENGINES_DIR/engines.json" ]; then
  echo "engines-env: $HOMELAB_ENGINES_DIR/engines.json not found; run 'npm run engines' first" >&2
  return 1 2>/dev/null || exit 1
fi

eval "$(python3 - "$HOMELAB_ENGINES_DIR/engines.json" <<'PY'
import json, shlex, sys
m = json.load(open(sys.argv[1]))
def out(k, v):
    print(f"export {k}={shlex.quote(v or '')}")
out("BAO_BIN", (m.get("bao") or {}).get("path"))
out("HELM_BIN", (m.get("helm") or {}).get("path"))
out("KUBECONFORM_BIN", (m.get("kubeconform") or {}).get("path"))
out("TF_BIN", (m.get("tf") or {}).get("path"))
for var, key in (("ETCD_BIN", "etcd"), ("KUBE_APISERVER_BIN", "kube-apiserver"), ("KUBECTL_BIN", "kubectl"),
                 ("ESO_BIN", "external-secrets"), ("RELOADER_BIN", "reloader")):
    out(var, (m.get(key) or {}).get("path"))
out("TF_CLI_CONFIG_FILE", m.get("cliConfigFile"))
out("HOMELAB_VAULT_PROVIDER_AVAILABLE", "1" if (m.get("vaultProvider") or {}).get("available") else "0")
PY
)"

# Terraform's update check would reach outside; OpenTofu has none.
export CHECKPOINT_DISABLE=1

case ":$PATH:" in
  *":$HOMELAB_ENGINES_DIR/bin:"*) ;;
  *) export PATH="$HOMELAB_ENGINES_DIR/bin:$PATH" ;;
esac
