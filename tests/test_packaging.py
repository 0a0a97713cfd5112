"""The wheel must carry every subpackage and the data the product reads at run time."""

import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "pixelscrub").rglob("__init__.py")}
    assert found | {"pixelscrub.models"} == listed


def test_wheel_holds_code_models_and_reference_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(REPO)], check=True, capture_output=True)
    (wheel,) = tmp_path.glob("pixelscrub-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in ("pixelscrub/pixels/text/match.py", "pixelscrub/synth/archive.py", "pixelscrub/models/triage.toml",
                   "pixelscrub/models/profiles/default.toml",
                   "pixelscrub/models/regions/ctp.toml", "pixelscrub/models/clinical_vocabulary.toml", "pixelscrub/data/ps3.15-2024b-table-e1-1.json"):
        assert needed in names
