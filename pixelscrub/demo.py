"""The demo: a synthetic archive, scrubbed with a private demo project, in one fresh folder."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pixelscrub.config import load_config
from pixelscrub.run import scrub
from pixelscrub.summary import render_summary
from pixelscrub.synth import generate


def run_demo(folder: Path, count: int, seed: int, workers: int) -> str:
    """Generate, scrub, and return the text to print. The project key and store stay in `folder`."""
    archive = folder / "archive"
    generate(archive, seed=seed, count=count)
    config = replace(load_config(None, project="demo"), home=folder / "project-home")
    summary = scrub(archive, folder / "output", None, None, config, workers)
    return "\n".join([
        f"demo folder {folder}",
        f"INPUT       {archive} (synthetic; ground truth in truth.json)",
        render_summary(summary),
        f"Preview PNGs of held images sit next to them in {summary['paths']['quarantine']}.",
    ])
