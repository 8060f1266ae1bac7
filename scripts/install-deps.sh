#!/usr/bin/env bash
# Installs gwsim's dependencies from Debian 12's packages. Non-interactive and idempotent: packages already
# installed are not asked for again, so a second run needs no network.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsimgrid-dev libhdf5-dev libprotobuf-dev protobuf-compiler libyaml-cpp-dev libssl-dev
  libboost-dev libboost-program-options-dev libgtest-dev libgmock-dev
  python3 python3-h5py python3-numpy python3-matplotlib python3-pandas python3-yaml
  slurm-wlm
)
# Tools for `scripts/lint.sh` (format and static checks), asked for by name: `scripts/install-deps.sh lint`.
if [[ "${1:-}" == "lint" ]]; then packages=(clang-format clang-tidy); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]} == 0)); then exit 0; fi

as_root=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  as_root=(sudo)
fi
echo "install-deps: installing ${missing[*]}" >&2
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq < /dev/null
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  "${missing[@]}" < /dev/null
