#!/usr/bin/env bash
# Configures and builds gwsim in ./build. Warnings are errors when CI is set (CI=true in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=OFF
[[ -n "${CI:-}" ]] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGWSIM_WERROR="$werror" > build.log 2>&1 \
  || { cat build.log; exit 1; }
cmake --build build -j"$(nproc)" >> build.log 2>&1 || { tail -n 60 build.log; exit 1; }
echo "build: ok (log in build.log)"
