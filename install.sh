#!/bin/sh
# Install pixelscrub on Debian or Ubuntu: Tesseract and fonts from apt where missing, then the
# Python package and its test tools into .venv. Safe to run again.
set -eu
cd "$(dirname "$0")"

need=""
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr tesseract-ocr-eng"
[ -d /usr/share/fonts/truetype/dejavu ] || need="$need fonts-dejavu-core"
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need="$need python3-venv"
if [ -n "$need" ]; then
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    echo "install.sh: installing with apt-get:$need" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $need >/dev/null
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
echo "install.sh: ready; run .venv/bin/pixelscrub --help" >&2
