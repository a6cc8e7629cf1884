#!/usr/bin/env bash
# Builds the Teams app package (a zip with manifest.json, color.png and outline.png at its root) from config/teams/.
# Usage: scripts/teams-package.sh <botAppId> [out.zip]
#   botAppId  the Microsoft App ID of the Azure Bot registration (a GUID); it replaces ${{BOT_APP_ID}} in the manifest.
#   out.zip   where to write the package (default: teambot-teams.zip in the current directory).
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
  echo "usage: $0 <botAppId> [out.zip]" >&2
  exit 2
fi
app_id="$1"
out="${2:-teambot-teams.zip}"
if [[ ! "$app_id" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "error: '$app_id' is not an app id (a GUID such as 5b2f6c1e-8d4a-4c3e-9f7a-1e2d3c4b5a69)" >&2
  exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source_dir="$here/../config/teams"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

sed "s/\${{BOT_APP_ID}}/$app_id/g" "$source_dir/manifest.json" > "$work/manifest.json"
if grep -q '\${{' "$work/manifest.json"; then
  echo "error: the manifest still has a placeholder: $(grep -o '\${{[A-Z_]*}}' "$work/manifest.json" | sort -u | tr '\n' ' ')" >&2
  exit 1
fi
cp "$source_dir/color.png" "$source_dir/outline.png" "$work/"

out_abs="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
rm -f "$out_abs"
if command -v zip >/dev/null 2>&1; then
  (cd "$work" && zip -q -X "$out_abs" manifest.json color.png outline.png)
else
  python3 - "$work" "$out_abs" <<'PY'
import sys, zipfile, os
work, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for name in ("manifest.json", "color.png", "outline.png"):
        z.write(os.path.join(work, name), name)
PY
fi
echo "wrote $out_abs"
