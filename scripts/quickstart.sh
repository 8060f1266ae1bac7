#!/usr/bin/env bash
# Installs the dependencies, builds gwsim and runs the bundled quickstart scenario into ./quickstart.h5.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
build/sim/cli/gwsim run configs/quickstart.yaml -o quickstart.h5
