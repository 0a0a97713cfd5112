"""`pixelscrub evaluate`: how a run did against ground truth, for tuning and for a privacy officer.

It scores a finished run (`--run REPORT`) or scrubs INPUT afresh into OUT, then writes OUT/evaluation.json
(figures, breakdowns by modality, manufacturer and PHI kind, the misses by position) and a crop preview of
every miss in OUT/misses/. The previews show PHI that leaked, so OUT belongs with the reviewers, like the
quarantine; file names carry only a number and the PHI kind, and nothing writes the text itself.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

import cv2
import numpy as np

from pixelscrub.config import Config
from pixelscrub.errors import BadArgsError, NotFoundError
from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.review.preview import render
from pixelscrub.score import Evaluation, RunFolders, Score, first_frame, score_run
from pixelscrub.truth import Truth, load_truth

MISS_MARGIN = 24  # pixels of context around a missed box in its preview


def finished_run(report: Path) -> tuple[dict[str, dict], Path]:
    """The manifest records of a finished run by source, and its OUTPUT folder."""
    manifest, summary = report / "manifest.jsonl", report / "summary.json"
    if not manifest.is_file() or not summary.is_file():
        raise NotFoundError(f"--run {report} holds no manifest.jsonl and summary.json; "
                            "give the REPORT folder of a finished scrub")
    records = [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines() if line.strip()]
    folders = json.loads(summary.read_text(encoding="utf-8")).get("folders")
    if not folders:
        raise BadArgsError(f"--run {report} was written by an older pixelscrub that does not record its "
                           "OUTPUT folder; scrub again, or evaluate without --run")
    return {r["source"]: r for r in records}, Path(folders["output"])


def fresh_run(input_: Path, out: Path, config: Config, workers: int) -> tuple[dict[str, dict], Path]:
    """Scrub INPUT into OUT/run, in a project of its own so no real project's mapping is touched; an
    earlier evaluation's run is removed first, so nothing is resumed under other settings."""
    from pixelscrub.run import scrub

    for name in ("run", "run-quarantine", "run-report", "project"):
        shutil.rmtree(out / name, ignore_errors=True)
    config = replace(config, home=out / "project")
    scrub(input_, out / "run", None, None, config, workers)
    return finished_run(out / "run-report")[0], out / "run"


def evaluate(input_: Path, truth_path: Path, run: Path | None, out: Path, config: Config,
             workers: int) -> tuple[Evaluation, Truth]:
    if not input_.exists():
        raise BadArgsError(f"INPUT {input_} does not exist")
    out.mkdir(parents=True, exist_ok=True)
    records, output = finished_run(run) if run is not None else fresh_run(input_, out, config, workers)
    truth = load_truth(truth_path, list(records))
    if not truth.files:
        raise BadArgsError(f"--truth {truth_path} names none of the run's inputs; check that INPUT is the "
                           "folder the truth's paths are relative to")
    root = input_ if input_.is_dir() else input_.parent
    evaluation = score_run(truth, records, RunFolders(root, output), tesseract_engine(), config.profile.mask_pad)
    _write_misses(evaluation.total, output, out / "misses")
    (out / "evaluation.json").write_text(json.dumps(as_document(evaluation, truth), indent=2) + "\n",
                                         encoding="utf-8")
    return evaluation, truth


def _write_misses(score: Score, output: Path, folder: Path) -> None:
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.png"):
        stale.unlink()
    images: dict[str, np.ndarray] = {}  # several misses in one file decode it once
    for number, miss in enumerate(score.misses, start=1):
        if miss.output not in images:
            images[miss.output] = first_frame(output / miss.output)
        grey = images[miss.output]
        box = Box(*miss.box)
        area = box.pad(MISS_MARGIN, grey.shape[1], grey.shape[0])
        crop = np.ascontiguousarray(grey[area.y:area.y1, area.x:area.x1])
        crop = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_NEAREST)
        inside = Box(2 * (box.x - area.x), 2 * (box.y - area.y), 2 * box.w, 2 * box.h)
        png = render(crop, [("phi", inside)], note=f"missed {miss.kind}: {miss.source}, box {list(miss.box)}, "
                                                    f"{miss.coverage:.0%} masked")
        (folder / f"{number:03d}-{miss.kind}.png").write_bytes(png)


def _figures(score: Score) -> dict:
    return {
        "phi_recall": round(score.recall, 4), "phi_items": score.phi_items, "phi_caught": score.phi_caught,
        "clinical_retention": round(score.retention, 4), "clinical_items": score.clinical_items,
        "quarantine_rate": round(score.quarantine_rate, 4), "text_images": score.text_images,
        "text_images_held": score.text_images_held, "textless_images": score.textless_images,
        "textless_held": score.textless_held, "masked_outside_phi": round(score.masked_outside_share, 4),
    }


def as_document(evaluation: Evaluation, truth: Truth) -> dict:
    total = evaluation.total
    return {
        "figures": _figures(total),
        "by_kind": {kind: {"items": count, "missed": total.missed_by_kind[kind],
                           "recall": round(1 - total.missed_by_kind[kind] / count, 4)}
                    for kind, count in sorted(total.by_kind.items())},
        **{f"by_{axis}": {value: _figures(score) for value, score in sorted(groups.items())}
           for axis, groups in evaluation.groups.items()},
        "misses": [asdict(miss) for miss in total.misses],
        "truth_without_input": list(truth.unmatched),
    }


def render_evaluation(evaluation: Evaluation, truth: Truth, out: Path) -> str:
    total = evaluation.total
    lines = [
        f"PHI recall: {total.recall:.4f} ({total.phi_caught}/{total.phi_items} items caught: masked beyond "
        "reading, or held)",
        f"clinical-text retention: {total.retention:.4f} ({total.clinical_intact}/{total.clinical_items})",
        f"quarantine rate: {total.quarantine_rate:.4f} ({total.text_images_held}/{total.text_images} images "
        f"with text); images without text held: {total.textless_held}/{total.textless_images}",
        f"masked area outside PHI: {total.masked_outside_share:.4f}",
        "",
        f"{'by PHI kind':<24} {'items':>6} {'missed':>7} {'recall':>7}",
    ]
    for kind, count in sorted(total.by_kind.items()):
        missed = total.missed_by_kind[kind]
        lines.append(f"{kind:<24} {count:>6} {missed:>7} {1 - missed / count:>7.4f}")
    for axis, groups in evaluation.groups.items():
        lines += ["", f"{'by ' + axis:<24} {'images':>6} {'recall':>7} {'retain':>7} {'held':>7}"]
        for value, score in sorted(groups.items()):
            lines.append(f"{value[:24]:<24} {score.text_images + score.textless_images:>6} {score.recall:>7.4f} "
                         f"{score.retention:>7.4f} {score.quarantine_rate:>7.4f}")
    lines.append("")
    if total.misses:
        lines.append(f"{len(total.misses)} PHI items still legible in released files; previews in {out / 'misses'}")
    else:
        lines.append("no PHI item is legible in a released file")
    if truth.unmatched:
        lines.append(f"{len(truth.unmatched)} truth entries name no input file and were not scored")
    lines.append(f"details: {out / 'evaluation.json'}")
    return "\n".join(lines)
