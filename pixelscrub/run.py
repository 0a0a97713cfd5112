"""A scrub run: walk INPUT, skip what an earlier run of the project finished, process the rest in
parallel, and write the report. Stopping (Ctrl-C, SIGTERM) leaves finished files and a report of
them; the next run of the same project picks up the rest.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass
from pathlib import Path

from pixelscrub.config import Config
from pixelscrub.errors import BadArgsError, RunInterrupted
from pixelscrub.executor import make_executor
from pixelscrub.outputs import RunPaths
from pixelscrub.pipeline import Outcome, Scrubber
from pixelscrub.pixels.ocr.tesseract import tesseract_engine
from pixelscrub.progress import progress
from pixelscrub.project import Project
from pixelscrub.report import Report

_scrubber: Scrubber | None = None


@dataclass(frozen=True)
class Task:
    path: Path
    source: str
    fingerprint: str
    previous: dict | None  # this source's outcome in an earlier run into the same OUTPUT


def _init_worker(config: Config, paths: RunPaths) -> None:
    global _scrubber
    _scrubber = Scrubber(config, paths)


def _run_task(task: Task) -> tuple[Task, Outcome]:
    """Process one file, then, in the worker, clear what it superseded and record it as finished: a file
    in OUTPUT is always known to the next run, however this one ends."""
    previous = task.previous or {}
    outcome = _scrubber.process(task.path, replaceable=previous.get("output"))
    _remove_stale(_scrubber.paths, task.previous, outcome)
    _scrubber.project.mark_finished(str(_scrubber.paths.output), task.source, task.fingerprint, outcome.to_json())
    return task, outcome


def _crashed(task: Task) -> tuple[Task, Outcome]:
    """Not recorded as finished: the next run tries the file again."""
    return task, Outcome(source=task.source, status="failed", reasons=[
        "error: a native library crashed the worker while processing this file; the file was not released; "
        "please report it"])


def walk(root: Path) -> list[Path]:
    """Every regular file under `root` (or `root` itself), in a stable order; links to folders are not followed."""
    if root.is_file():
        return [root]
    files = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        files.extend(Path(folder) / n for n in sorted(names) if (Path(folder) / n).is_file())
    return files


def _source_name(path: Path, paths: RunPaths) -> str:
    return path.name if path == paths.input else path.relative_to(paths.input).as_posix()


def _output_file(paths: RunPaths, outcome: dict) -> Path | None:
    root = {"released": paths.output, "quarantined": paths.quarantine}.get(outcome.get("status"))
    return root / outcome["output"] if root and outcome.get("output") else None


def _remove_stale(paths: RunPaths, previous: dict | None, outcome: Outcome) -> None:
    """An output an earlier run wrote for this source, now superseded, must not stay behind in OUTPUT."""
    old = _output_file(paths, previous or {})
    if old is None or old == _output_file(paths, outcome.to_json()):
        return
    for stale in (old, old.with_suffix(".png")):
        stale.unlink(missing_ok=True)


def _raise_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def scrub(input_: Path, output: Path, quarantine: Path | None, report_dir: Path | None,
          config: Config, workers: int) -> dict:
    """Run the whole job and return the summary; raises RunInterrupted if it was stopped."""
    paths = RunPaths.resolve(input_, output, quarantine, report_dir)
    tesseract_engine().close()  # fail now, with the install hint, rather than in every worker
    project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
    project.ensure()
    try:
        project.date_offset(config.header.date_offset_days)
    except ValueError as exc:
        raise BadArgsError(f"[header] date_offset_days: {exc}") from None
    settings = {"project": config.project, "profile": config.profile.name, "policy": config.policy,
                "workers": workers}
    report = Report(paths, settings)
    tasks = []
    for path in walk(paths.input):
        source = _source_name(path, paths)
        stat = path.stat()
        fingerprint = f"{stat.st_size}:{stat.st_mtime_ns}:{config.digest()}"
        done = project.finished(str(paths.output), source, fingerprint)
        target = _output_file(paths, done) if done else None
        if done and (target is None and done["status"] in ("skipped", "failed") or target and target.exists()):
            report.add(Outcome(**done), resumed=True)
        else:
            tasks.append(Task(path, source, fingerprint, project.previous_output(str(paths.output), source)))
    # Largest first: a long cine started last would leave the other workers idle at the end.
    tasks.sort(key=lambda task: task.path.stat().st_size, reverse=True)
    interrupted = False
    previous_handler = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        with progress(len(tasks), "scrubbing") as bar:
            executor = make_executor(workers)
            results = executor.map_unordered(_run_task, tasks, _init_worker, (config, paths), _crashed)
            for _, outcome in results:
                report.add(outcome)
                bar.update()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous_handler)
        summary = report.close(interrupted)
        paths.clear_staging()
        project.close()
    if interrupted:
        raise RunInterrupted("interrupted: finished files are in OUTPUT and listed in the report; "
                          "run the same command again to continue where it stopped")
    summary["paths"] = {"output": str(paths.output), "quarantine": str(paths.quarantine),
                        "report": str(paths.report)}
    return summary
