#!/usr/bin/env bash
# Format and static checks of gwsim's own C++ (.clang-format, .clang-tidy). Needs a configured build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh lint
mapfile -t sources < <(git ls-files 'sim/*.cc' 'sim/*.h' 'tests/*.cc' 'tests/*.h')
clang-format --dry-run --Werror "${sources[@]}"
echo "lint: clang-format ok (${#sources[@]} files)"
mapfile -t units < <(git ls-files 'sim/*.cc')
printf "%s\n" "${units[@]}" | xargs -P "$(nproc)" -n 4 clang-tidy -p build --quiet --warnings-as-errors="*" --extra-arg=-Wno-unknown-warning-option 2>/dev/null
echo "lint: clang-tidy ok (${#units[@]} files)"
