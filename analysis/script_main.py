"""The common entry point of the analysis scripts: exit codes and error messages as gwsim's own commands give
them (0 success, 2 bad input, 1 internal error). `gwsim report` and `gwsim compare` set GWSIM_PROG so that
messages and --help name the command the user typed rather than the script."""
import os
import sys

from gwsim_h5 import InputError


def prog(script):
    return os.environ.get("GWSIM_PROG") or os.path.basename(script)


def run(main, script):
    """Calls MAIN(prog name); InputError becomes "<prog>: error: <message>" and exit code 2."""
    name = prog(script)
    try:
        return main(name)
    except InputError as e:
        print(f"{name}: error: {e}", file=sys.stderr)
        return 2
