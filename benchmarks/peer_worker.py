"""Run one peer tool over an archive, in the interpreter that has the tool installed; peers.py starts it.

Usage: PYTHON benchmarks/peer_worker.py presidio|deid INPUT OUTPUT [--workers 2]

It imports nothing of pixelscrub, so it runs in a separate environment: Presidio brings opencv-python,
which must not sit beside pixelscrub's opencv-python-headless. Each released file is written to OUTPUT at
its path under INPUT. Prints one JSON object: the tool, its version, the wall seconds of the whole run
(workers' start-up included, as for pixelscrub) and each file's status ("released", "held" or "failed")
with a reason.

- presidio: `DicomImageRedactorEngine.redact` with the header's values as deny lists (use_metadata, its
  DICOM mode), fill "contrast", its default padding. spaCy's English models are not on PyPI, so its
  analyzer runs on a blank spaCy pipeline: its pattern recognisers and the header's values, no NER.
- deid: `DicomCleaner` with deid's default recipe: files its filters flag are cleaned by the recipe's
  coordinates; a flagged file with no coordinates for its device is held (what deid leaves to a person);
  files no filter flags are released as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import pydicom  # noqa: E402

_tool = None


def _presidio():
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_image_redactor import DicomImageRedactorEngine, ImageAnalyzerEngine

    model = Path(tempfile.mkdtemp(prefix="blank-en-")) / "model"
    spacy.blank("en").to_disk(model)
    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(model)}]}).create_engine()
    engine = DicomImageRedactorEngine(ImageAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp, supported_languages=["en"])))

    def run(source: Path, target: Path) -> tuple[str, str]:
        redacted = engine.redact(pydicom.dcmread(source), fill="contrast", use_metadata=True)
        redacted.save_as(target)
        return "released", ""
    return run


def _deid():
    from deid.dicom import DicomCleaner

    def run(source: Path, target: Path) -> tuple[str, str]:
        cleaner = DicomCleaner(output_folder=str(target.parent), force=True)
        found = cleaner.detect(str(source))
        if not found.get("flagged"):
            pydicom.dcmread(source).save_as(target)
            return "released", "not flagged"
        if not any(result.get("coordinates") for result in found.get("results", [])):
            return "held", "flagged, no coordinates for this device"
        cleaner.clean()
        written = Path(cleaner.save_dicom(output_folder=str(target.parent)))
        written.replace(target)
        return "released", "cleaned by coordinates"
    return run


TOOLS = {"presidio": _presidio, "deid": _deid}


def _start(name: str) -> None:
    global _tool
    _tool = TOOLS[name]()


def _one(task: tuple[str, str, str]) -> tuple[str, str, str]:
    relative, source, target = task
    try:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        status, reason = _tool(Path(source), Path(target))
    except Exception as error:  # a peer's failure is a result to report, not a crash of the benchmark
        status, reason = "failed", type(error).__name__
        Path(target).unlink(missing_ok=True)
    return relative, status, reason


def _version(name: str) -> str:
    from importlib.metadata import version
    return version({"presidio": "presidio-image-redactor", "deid": "deid"}[name])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("tool", choices=sorted(TOOLS))
    parser.add_argument("input", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    tasks = [(p.relative_to(args.input).as_posix(), str(p), str(args.output / p.relative_to(args.input)))
             for p in sorted(args.input.rglob("*.dcm"))]
    start = time.perf_counter()
    with ProcessPoolExecutor(args.workers, initializer=_start, initargs=(args.tool,)) as pool:
        results = list(pool.map(_one, tasks))
    wall = time.perf_counter() - start
    files = {relative: {"status": status, "reason": reason} for relative, status, reason in results}
    json.dump({"tool": args.tool, "version": _version(args.tool), "wall_seconds": wall, "files": files}, sys.stdout)


if __name__ == "__main__":
    main()
