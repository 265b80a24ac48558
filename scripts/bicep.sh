#!/usr/bin/env bash
# Compiles and lints every Bicep template under infra/ with the real Bicep CLI.
#
# The CLI comes from NuGet through tools/bicep/bicep.csproj (`dotnet restore` puts it under
# tools/bicep/.packages/, gitignored), so the version is pinned in the repository and nothing is
# downloaded outside a package registry. Any error fails, and so does any warning: a warning is
# either fixed or suppressed with its reason (infra/bicepconfig.json or `#disable-next-line`).
#
#   scripts/bicep.sh          restore if needed, build + lint infra/**/*.bicep
#   scripts/bicep.sh --path   print the bicep binary's path (restoring if needed) and exit
#   BICEP_OUTDIR=dir scripts/bicep.sh   also keep the compiled ARM JSON in dir (test/infra reads it)
#
# Exit codes: 0 clean; 1 errors or warnings (or the CLI could not be restored); 3 skipped because
# dotnet is not installed and CI is not set (with CI=true a missing dotnet is a failure, exit 1).
set -euo pipefail
cd "$(dirname "$0")/.."

PROJECT=tools/bicep/bicep.csproj
PACKAGES=tools/bicep/.packages
PACKAGE=azure.bicep.commandline.linux-x64
VERSION="$(sed -n 's/.*Include="Azure.Bicep.CommandLine.linux-x64" Version="\[\([^]]*\)\]".*/\1/p' "$PROJECT")"
if [ -z "$VERSION" ]; then
  echo "bicep: no pinned Azure.Bicep.CommandLine.linux-x64 version in $PROJECT" >&2
  exit 1
fi
BICEP="$PACKAGES/$PACKAGE/$VERSION/tools/bicep"

# The package is the Linux x64 build (the one NuGet serves these machines); elsewhere, skip or fail.
if [ "$(uname -s)/$(uname -m)" != "Linux/x86_64" ]; then
  if [ "${CI:-}" = "true" ]; then
    echo "bicep: FAILED: tools/bicep brings the Linux x64 Bicep CLI; this is $(uname -s)/$(uname -m)" >&2
    exit 1
  fi
  echo "bicep: SKIPPED: tools/bicep brings the Linux x64 Bicep CLI; this is $(uname -s)/$(uname -m) (use the Bicep CLI of your platform: bicep build/lint infra/main.bicep)" >&2
  exit 3
fi

if [ ! -f "$BICEP" ]; then
  if ! command -v dotnet >/dev/null 2>&1; then
    if [ "${CI:-}" = "true" ]; then
      echo "bicep: FAILED: dotnet is not installed, and CI must compile infra/ (install the .NET SDK)" >&2
      exit 1
    fi
    echo "bicep: SKIPPED: dotnet is not installed, so the Bicep CLI cannot be restored from NuGet (install the .NET SDK to compile infra/)" >&2
    exit 3
  fi
  echo "bicep: restoring Bicep CLI $VERSION ($PROJECT)" >&2
  dotnet restore "$PROJECT" --verbosity quiet >&2
fi
# NuGet does not keep the executable bit of a package's files.
[ -x "$BICEP" ] || chmod +x "$BICEP"

if [ "${1:-}" = "--path" ]; then
  echo "$BICEP"
  exit 0
fi

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$BICEP" --version

status=0
echo "bicep build infra/**/*.bicep"
"$BICEP" build --pattern 'infra/**/*.bicep' --outdir "$out/json" >"$out/build.log" 2>&1 || status=1
cat "$out/build.log"
echo "bicep lint infra/**/*.bicep"
"$BICEP" lint --pattern 'infra/**/*.bicep' >"$out/lint.log" 2>&1 || status=1
cat "$out/lint.log"

errors=$(cat "$out/build.log" "$out/lint.log" | { grep ' : Error ' || true; } | sort -u | wc -l)
warnings=$(cat "$out/build.log" "$out/lint.log" | { grep ' : Warning ' || true; } | sort -u | wc -l)
if [ ! -f "$out/json/main.json" ]; then status=1; fi
if [ -n "${BICEP_OUTDIR:-}" ] && [ -d "$out/json" ]; then mkdir -p "$BICEP_OUTDIR" && cp -R "$out/json/." "$BICEP_OUTDIR/"; fi
echo "bicep: $(find infra -name '*.bicep' | wc -l) templates, $errors errors, $warnings warnings"
if [ "$status" -ne 0 ] || [ "$errors" -ne 0 ] || [ "$warnings" -ne 0 ]; then
  echo "bicep: FAILED (fix each warning, or suppress it with its reason in infra/bicepconfig.json or a #disable-next-line)" >&2
  exit 1
fi
