"""`pixelscrub tune`: sweep detection, OCR-confidence and matching thresholds on an archive with ground
truth, plot what each setting trades, and write the setting that reaches a recall target with the least
quarantine as a profile.

Every setting runs the whole pipeline on every image in one process, with both OCR engines behind a
cache keyed by the crop's pixels: a setting that proposes the crops an earlier one did reads nothing
again, so the sweep costs about one OCR pass plus the cheap stages per setting. The profile is the base
profile's text with the chosen values written in, so its comments and the untouched values stay.
"""

from __future__ import annotations

import html
import itertools
import re
import shutil
import time
from dataclasses import dataclass, replace
from pathlib import Path

from pixelscrub.config import Config, Profile
from pixelscrub.errors import BadArgsError
from pixelscrub.outputs import RunPaths
from pixelscrub.pipeline import Scrubber
from pixelscrub.pixels.stage import Engines
from pixelscrub.pixels.ocr.cache import CachedDetector, CachedEngine, LazyEngine
from pixelscrub.pixels.ocr.rapid import RapidDetector, RapidOcrEngine
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.project import Project
from pixelscrub.run import walk
from pixelscrub.score import RunFolders, score_run
from pixelscrub.truth import load_truth

# Threshold -> values swept by default: the stroke-edge contrast a text line needs (detection), the word
# confidence below which an image is held (OCR), the confidence below which a short line is texture
# (matching). Each list holds the default profile's value.
SWEEP = {
    "detect.edge_threshold": (45, 60, 75),
    "match.doubt_confidence": (40.0, 50.0, 60.0, 70.0),
    "match.noise_confidence": (45.0, 60.0, 75.0),
}
SECTIONS = ("detect", "match", "ocr")


@dataclass(frozen=True)
class Point:
    setting: dict[str, float]
    recall: float
    quarantine: float
    retention: float
    outside: float


def parse_sweep(spec: list[str]) -> dict[str, tuple[float, ...]]:
    """`section.name=v1,v2,...` items (from --sweep) over the defaults; an item replaces its key's list."""
    sweep = dict(SWEEP)
    for item in spec:
        key, _, values = item.partition("=")
        section, _, name = key.partition(".")
        if section not in SECTIONS or not name or not values:
            raise BadArgsError(f"--sweep {item!r}: write SECTION.NAME=V1,V2 with SECTION one of {', '.join(SECTIONS)}")
        try:
            sweep[key] = tuple(float(v) if "." in v else int(v) for v in values.split(","))
        except ValueError:
            raise BadArgsError(f"--sweep {item!r}: the values must be numbers") from None
    return sweep


def typed_setting(profile: Profile, setting: dict[str, float]) -> dict[str, float]:
    """The setting with each value of its threshold's own type (an int stays an int), checked by name."""
    typed = {}
    for key, value in setting.items():
        section, name = key.split(".")
        current = getattr(getattr(profile, section), name, None)
        if not isinstance(current, (int, float)) or isinstance(current, bool):
            raise BadArgsError(f"--sweep: [{section}] has no numeric threshold named {name!r}")
        typed[key] = type(current)(value)
    return typed


def with_setting(profile: Profile, setting: dict[str, float]) -> Profile:
    changes: dict[str, dict] = {}
    for key, value in typed_setting(profile, setting).items():
        section, name = key.split(".")
        changes.setdefault(section, {})[name] = value
    return replace(profile, **{s: replace(getattr(profile, s), **v) for s, v in changes.items()})


def sweep(input_: Path, truth_path: Path, grid: dict[str, tuple], config: Config, work: Path,
          log=print) -> tuple[list[Point], int]:
    """Scrub and score the archive once per combination of the grid's values; returns the points and
    how many images the truth scored."""
    input_ = input_.resolve()
    files = walk(input_)
    root = input_ if input_.is_dir() else input_.parent
    sources = [p.relative_to(root).as_posix() for p in files]
    truth = load_truth(truth_path, sources)
    if not truth.files:
        raise BadArgsError(f"--truth {truth_path} names none of INPUT's files")
    first = CachedEngine(tesseract_engine())
    second = CachedEngine(LazyEngine(RapidOcrEngine, RapidOcrEngine.name))
    detector = CachedDetector(RapidDetector(config.profile.check.detector_scale))
    config = replace(config, home=work / "project")  # a throwaway project, shared by every setting
    project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
    project.ensure()
    project.close()
    points = []
    try:
        for values in itertools.product(*grid.values()):
            setting = typed_setting(config.profile, dict(zip(grid, values)))
            start = time.perf_counter()
            out = work / "run"
            for name in ("run", "run-quarantine", "run-report", ".run.pixelscrub-staging"):
                shutil.rmtree(work / name, ignore_errors=True)
            paths = RunPaths.resolve(input_, out, None, None)
            scrubber = Scrubber(replace(config, profile=with_setting(config.profile, setting)), paths,
                                Engines(first, second, detector))
            records = {o.source: o.manifest() for o in map(scrubber.process, files)}
            scrubber.project.close()
            total = score_run(truth, records, RunFolders(root, out), first, config.profile.mask_pad).total
            points.append(Point(setting, total.recall, total.quarantine_rate, total.retention,
                                total.masked_outside_share))
            log(f"{_describe(setting)}: recall {total.recall:.4f}, quarantine {total.quarantine_rate:.4f}, "
                f"retention {total.retention:.4f} ({time.perf_counter() - start:.1f} s)")
    finally:
        first.close()
        second.close()
        detector.close()
    log(f"OCR reads: {len(first.reads)} by Tesseract and {len(second.reads)} by RapidOCR, "
        f"{first.hits + second.hits} more answered from the cache")
    return points, len(truth.files)


def choose(points: list[Point], target: float, base: dict[str, float]) -> Point | None:
    """The point reaching `target` recall with the least quarantine; then the best retention, the least
    masking outside PHI, and the setting nearest the base profile's."""
    reaching = [p for p in points if p.recall >= target]
    if not reaching:
        return None
    distance = lambda p: sum(abs(v - base[k]) / (abs(base[k]) or 1) for k, v in p.setting.items())  # noqa: E731
    return min(reaching, key=lambda p: (p.quarantine, -p.retention, p.outside, distance(p)))


def write_profile(base_text: str, chosen: Point, target: float, images: int, path: Path) -> None:
    """The base profile's text with the chosen values, and a first comment saying where they came from."""
    text = base_text
    for key, value in chosen.setting.items():
        section, name = key.split(".")
        text = _set_value(text, section, name, value)
    header = (f"# Written by pixelscrub tune: recall {chosen.recall:.4f} (target {target}), quarantine rate "
              f"{chosen.quarantine:.4f}, clinical retention {chosen.retention:.4f} on {images} images.\n"
              f"# Swept: {_describe(chosen.setting)}.\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + text, encoding="utf-8")


def _set_value(text: str, section: str, name: str, value: float) -> str:
    match = re.search(rf"(?m)^\[{section}\][^\n]*\n", text)
    if match is None:
        return text.rstrip("\n") + f"\n\n[{section}]\n{name} = {value}\n"
    end = re.search(r"(?m)^\[", text[match.end():])
    body_end = match.end() + (end.start() if end else len(text) - match.end())
    body = text[match.end():body_end]
    line = re.compile(rf"(?m)^(\s*{re.escape(name)}\s*=\s*)([^#\n]*?)(\s*(#.*)?)$")
    if line.search(body):
        body = line.sub(lambda m: f"{m.group(1)}{value}{m.group(3)}", body, count=1)
    else:
        body = f"{name} = {value}\n" + body
    return text[:match.end()] + body + text[body_end:]


def _describe(setting: dict[str, float]) -> str:
    return ", ".join(f"{k} {v}" for k, v in setting.items())


def plot(points: list[Point], chosen: Point | None, target: float, folder: Path) -> list[Path]:
    """recall_vs_quarantine.png, recall_vs_retention.png and index.html showing both with the table."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, attribute, label in (("recall_vs_quarantine", "quarantine", "quarantine rate (images with text held)"),
                                   ("recall_vs_retention", "retention", "clinical-text retention")):
        figure, axes = pyplot.subplots(figsize=(8, 6), dpi=100)
        axes.scatter([getattr(p, attribute) for p in points], [p.recall for p in points], s=28,
                     color="tab:blue", label="one setting")
        if chosen is not None:
            axes.scatter([getattr(chosen, attribute)], [chosen.recall], s=140, facecolors="none",
                         edgecolors="tab:red", linewidths=2, label="chosen")
        axes.axhline(target, color="tab:gray", linestyle="--", linewidth=1, label=f"recall target {target}")
        axes.set_xlabel(label)
        axes.set_ylabel("PHI recall in released files")
        axes.set_title(f"PHI recall against {label}, {len(points)} settings")
        axes.grid(True, alpha=0.3)
        axes.legend(loc="lower right")
        figure.tight_layout()
        path = folder / f"{name}.png"
        figure.savefig(path)
        pyplot.close(figure)
        written.append(path)
    rows = "".join(
        f"<tr{' class=chosen' if p == chosen else ''}><td>{html.escape(_describe(p.setting))}</td>"
        f"<td>{p.recall:.4f}</td><td>{p.quarantine:.4f}</td><td>{p.retention:.4f}</td><td>{p.outside:.4f}</td></tr>"
        for p in points)
    page = folder / "index.html"
    page.write_text(
        "<!doctype html><meta charset=utf-8><title>pixelscrub tune</title>"
        "<style>body{font-family:sans-serif}td,th{padding:2px 8px}.chosen{background:#fdd}</style>"
        f"<h1>pixelscrub tune</h1><p>Recall target {target}. "
        + (f"Chosen: {html.escape(_describe(chosen.setting))}." if chosen else "No setting reaches the target.")
        + "</p><img src=recall_vs_quarantine.png alt='recall against quarantine rate'>"
          "<img src=recall_vs_retention.png alt='recall against clinical retention'>"
          "<table><tr><th>setting</th><th>recall</th><th>quarantine</th><th>retention</th>"
          f"<th>masked outside PHI</th></tr>{rows}</table>\n", encoding="utf-8")
    return written + [page]


def base_setting(profile: Profile, grid: dict[str, tuple]) -> dict[str, float]:
    return {key: getattr(getattr(profile, key.split(".")[0]), key.split(".")[1]) for key in grid}
