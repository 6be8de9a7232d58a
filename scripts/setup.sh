#!/usr/bin/env bash
# Set up everything the lecture build needs, on Debian or Ubuntu with Python 3.11+.
#
#   bash scripts/setup.sh
#
# 1. system packages: Cairo and Pango development files, pkg-config, a C compiler,
#    LaTeX with the packages MathTex needs, dvisvgm, Noto CJK fonts, ffmpeg, and Chromium with
#    its driver (the tests open the lecture page in a real browser);
# 2. a virtual environment .venv with the project and its Python dependencies;
#    torch is the CPU build unless an NVIDIA GPU is present.
#
# Idempotent: it installs only what is missing, and takes a few seconds when
# nothing is.  Environment: PYTHON (interpreter to use, default python3),
# TORCH_VERSION (default 2.13.0), VENV (default .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV="${VENV:-.venv}"
TORCH_VERSION="${TORCH_VERSION:-2.13.0}"
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- 1. system packages ---------------------------------------------------------------
APT_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config build-essential python3-dev python3-venv
  ffmpeg fontconfig fonts-noto-cjk dvisvgm
  texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
  chromium chromium-driver
)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  say "installing system packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 2; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  say "system packages: all present"
fi

# --- 2. Python environment ------------------------------------------------------------
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' \
  || { echo "setup: Python 3.11 or newer is needed (found $("$PYTHON" --version 2>&1)); set PYTHON=..." >&2; exit 2; }
if [ ! -x "$VENV/bin/python" ]; then
  say "creating virtual environment $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --quiet --disable-pip-version-check)

if ! "$PY" -c "import torch" 2>/dev/null; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    say "installing torch $TORCH_VERSION (CUDA build: an NVIDIA GPU is present)"
    "${PIP[@]}" "torch==$TORCH_VERSION"
  else
    say "installing torch $TORCH_VERSION (CPU build: no GPU here)"
    # A local or configured CPU wheel first; else PyTorch's own CPU index.
    "${PIP[@]}" "torch==$TORCH_VERSION+cpu" 2>/dev/null \
      || "${PIP[@]}" --index-url https://download.pytorch.org/whl/cpu "torch==$TORCH_VERSION+cpu"
  fi
fi

stamp="$VENV/.lecture-setup"
want="$(cat pyproject.toml | sha256sum | cut -c1-16)"
have_all='import importlib.util as u, sys; sys.exit(any(u.find_spec(m) is None for m in ("manim", "matplotlib", "sklearn", "mlxtend", "pytest", "manim_slides", "engine")))'
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ] || ! "$PY" -c "$have_all" 2>/dev/null; then
  say "installing the project and its Python dependencies"
  "${PIP[@]}" -e ".[test,slides]" 2>&1 | grep -v "is ignored" || true
  "$PY" -c "import manim, matplotlib, sklearn, mlxtend, pytest, engine" \
    || { echo "setup: the Python dependencies did not install; see the messages above" >&2; exit 1; }
  echo "$want" > "$stamp"
else
  say "python packages: all present"
fi

# matplotlib caches its font list: make sure it has seen the CJK font.
"$PY" - <<'PYEOF'
import glob, json, os
import matplotlib
caches = glob.glob(os.path.join(matplotlib.get_cachedir(), "fontlist-*.json"))
seen = any("Noto Sans CJK KR" in open(c, encoding="utf-8").read() for c in caches)
if not seen:
    import matplotlib.font_manager as fm
    fm._load_fontmanager(try_read_cache=False)
PYEOF
say "ready: $("$PY" -c 'from importlib.metadata import version as v; print("torch", v("torch"), "· manim", v("manim"))')"
