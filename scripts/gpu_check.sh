#!/usr/bin/env bash
# The GPU checks: the `gpu` tests, then the Learner benchmark on CUDA.
#
#     bash scripts/gpu_check.sh          # from anywhere; PYTHON=... picks the interpreter
#
# Needs torch, click, jinja2, matplotlib, pytest, Pillow and hypothesis, but neither the
# network nor an install of fastquiz. The repository's folders are imported under one name
# (fastquiz/ -> fastquiz, reference/ -> fastquiz.reference, see pyproject.toml), so a
# PYTHONPATH entry alone can't import them. Unless this checkout is importable already, the
# script tries `pip install --no-deps --no-build-isolation -e .` (offline, with the setuptools
# at hand), and where that fails, or FASTQUIZ_NO_INSTALL=1 is set, it puts on PYTHONPATH a
# temporary folder laid out like the installed package, made of symlinks into this checkout
# (scripts/link_package.py); FASTQUIZ_LINKS=1 goes straight there (tests/test_scripts.py).
# Exits with pytest's status.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$(command -v python || command -v python3)}"
# Keep the current folder off sys.path: its ./fastquiz lacks .reference and would shadow the package.
export PYTHONSAFEPATH=1
LINK_DIR=""
trap '[[ -z "$LINK_DIR" ]] || rm -rf "$LINK_DIR"' EXIT

# True when `import fastquiz.reference` loads this checkout's reference/.
imports_this_checkout() {
    "$PYTHON" - "$ROOT" 2>/dev/null <<'EOF'
import os, sys
import fastquiz.cli, fastquiz.commands, fastquiz.grader.runner, fastquiz.reference
loaded = os.path.realpath(fastquiz.reference.__file__)
sys.exit(loaded != os.path.join(os.path.realpath(sys.argv[1]), "reference", "__init__.py"))
EOF
}

# A temporary folder on PYTHONPATH laid out like the installed package, in symlinks.
link_package() {
    LINK_DIR="$(mktemp -d)"
    "$PYTHON" scripts/link_package.py "$LINK_DIR" >/dev/null
    export PYTHONPATH="$LINK_DIR${PYTHONPATH:+:$PYTHONPATH}"
}

make_importable() {
    if [[ "${FASTQUIZ_LINKS:-}" == 1 ]]; then
        link_package
        imports_this_checkout || { echo "fastquiz: can't be imported through $LINK_DIR" >&2; exit 1; }
        echo "fastquiz: imported through symlinks in $LINK_DIR"
        return
    fi
    if imports_this_checkout; then
        echo "fastquiz: this checkout is importable already"
        return
    fi
    if [[ "${FASTQUIZ_NO_INSTALL:-}" != 1 ]] \
        && "$PYTHON" -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e . \
        && imports_this_checkout; then
        echo "fastquiz: installed in editable mode (pip install -e .)"
        return
    fi
    link_package
    if ! imports_this_checkout; then
        echo "fastquiz: can't be imported from $ROOT, even through $LINK_DIR" >&2
        exit 1
    fi
    echo "fastquiz: imported through symlinks in $LINK_DIR"
}

if command -v nvidia-smi >/dev/null; then
    nvidia-smi -L
else
    echo "nvidia-smi: not found"
fi
"$PYTHON" -c '
import sys, torch
print(f"python {sys.version.split()[0]} ({sys.executable})")
print(f"torch {torch.__version__}, built for CUDA {torch.version.cuda}, cuDNN {torch.backends.cudnn.version()}")
print(f"cuda available: {torch.cuda.is_available()}, devices: {torch.cuda.device_count()}")
for i in range(torch.cuda.device_count()):
    print(f"  cuda:{i} {torch.cuda.get_device_name(i)}")
'
make_importable

status=0
"$PYTHON" -m pytest -m gpu -v tests/test_gpu.py || status=$?

if "$PYTHON" -c 'import sys, torch; sys.exit(not torch.cuda.is_available())'; then
    "$PYTHON" bench/bench_learner.py --device cuda
else
    echo "no CUDA device: the benchmark on CUDA is skipped"
fi
exit "$status"
