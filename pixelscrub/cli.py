"""The command line: scrub, synth, reidentify, import-regions, evaluate, tune and demo.

Exit codes come from ExitCode; messages say what to do next.
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from pixelscrub import __version__
from pixelscrub.errors import BadArgsError, BelowTargetError, ExitCode, NotFoundError, PixelscrubError

DESCRIPTION = """\
pixelscrub makes DICOM archives safe to share: it de-identifies the header (PS3.15 Basic Profile,
project pseudonyms, keyed UID remapping), finds text burned into the pixels with OCR, masks the PHI on
every frame, checks the result with a second pass, and holds every image it is not sure about in a
quarantine for a person to review."""

EXIT_CODES = "\n".join(f"  {code.value:>3}  {code.name}" for code in ExitCode)


def _at_least_one(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _fraction(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _truth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="INPUT", type=Path, help="the folder the truth's file paths are relative to")
    parser.add_argument("--truth", metavar="FILE", type=Path, required=True,
                        help="pixelscrub's truth.json, Presidio's ground_truth.json, or a CSV "
                             "(file,x,y,width,height[,text,phi,kind])")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pixelscrub", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=f"exit codes:\n{EXIT_CODES}\n\nRun 'pixelscrub COMMAND --help' for a command's options.")
    parser.add_argument("--version", action="version", version=f"pixelscrub {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    scrub = commands.add_parser(
        "scrub", help="de-identify a DICOM file or folder",
        description="De-identify INPUT into OUTPUT. Released files go to OUTPUT, held files with an overlay "
                    "preview to QUARANTINE, and manifest.jsonl and summary.json to REPORT. INPUT is never "
                    "modified; a stopped run continues where it stopped when run again.")
    scrub.add_argument("input", metavar="INPUT", type=Path, help="a DICOM file, or a folder walked recursively")
    scrub.add_argument("output", metavar="OUTPUT", type=Path,
                       help="folder for released, de-identified files (names carry no PHI)")
    scrub.add_argument("--quarantine", metavar="DIR", type=Path,
                       help="folder for held files and their preview PNGs (default: <OUTPUT>-quarantine)")
    scrub.add_argument("--report", metavar="DIR", type=Path,
                       help="folder for manifest.jsonl and summary.json (default: <OUTPUT>-report)")
    scrub.add_argument("--config", metavar="FILE", type=Path,
                       help="TOML settings: [project] name, prefix, pseudonym_width, home; [pixels] profile, policy, "
                            "output, keep_frames_mb; [header] options")
    scrub.add_argument("--project", metavar="NAME",
                       help="project whose key, pseudonyms and UID map to use (default: from config, else 'default')")
    scrub.add_argument("--profile", metavar="NAME",
                       help="detector thresholds: a name from models/profiles or a .toml path (default: 'default')")
    scrub.add_argument("--workers", metavar="N", type=_at_least_one, default=os.cpu_count() or 1,
                       help="parallel worker processes (default: the number of CPUs)")

    synth = commands.add_parser(
        "synth", help="generate a synthetic archive with ground truth",
        description="Write a deterministic synthetic DICOM archive (ultrasound, cine, screen and secondary "
                    "captures, XA/RF, CT/MR) with burned-in PHI, and its ground truth OUTDIR/truth.json.")
    synth.add_argument("outdir", metavar="OUTDIR", type=Path, help="folder to write the archive into")
    synth.add_argument("--seed", metavar="N", type=int, default=0,
                       help="random seed; the same seed gives byte-identical files (default: 0)")
    synth.add_argument("--count", metavar="N", type=_at_least_one, default=24, help="number of files (default: 24)")
    synth.add_argument("--layouts", choices=("standard", "wild"), default="standard",
                       help="'standard' (default): the layouts the detector is tuned on; 'wild': a second "
                            "archive it is never tuned on (seven languages, every installed font family, "
                            "outlined and shadowed text, 16-bit radiographs, endoscopy, viewer captures)")

    reidentify = commands.add_parser(
        "reidentify", help="look up the originals behind a pseudonym or a replaced UID",
        description="For authorised users: print the original patient attributes behind a pseudonym "
                    "(PXS_0007), or the original UID behind a replaced one. It needs the project's key and "
                    "store, which only the project's custodian holds.")
    reidentify.add_argument("value", metavar="VALUE", help="a pseudonym or a replaced UID from an output file")
    reidentify.add_argument("--project", metavar="NAME", help="the project (default: from config, else 'default')")
    reidentify.add_argument("--config", metavar="FILE", type=Path,
                            help="TOML settings naming the project and where its folder lives ([project] home)")

    regions = commands.add_parser(
        "import-regions", help="import CTP and deid burned-in region rules into models/regions",
        description="Convert RSNA CTP's DicomPixelAnonymizer.script and pydicom/deid %%filter recipes into "
                    "pixelscrub's region rules (TOML). Matched regions tell the pixel stage where text is "
                    "PHI-likely; the whole image is still read.")
    regions.add_argument("--ctp", metavar="FILE", type=Path, help="a DicomPixelAnonymizer.script")
    regions.add_argument("--deid", metavar="FILE", type=Path, action="append", default=[],
                         help="a deid recipe with %%filter sections (repeat for several)")
    regions.add_argument("--out", metavar="DIR", type=Path, required=True,
                         help="folder to write ctp.toml and deid.toml into (the package reads models/regions)")
    regions.add_argument("--ctp-origin", metavar="TEXT", default="",
                         help="where the CTP script came from (repository, path, commit), recorded in ctp.toml")
    regions.add_argument("--deid-origin", metavar="TEXT", default="",
                         help="where the deid recipes came from, recorded in deid.toml")

    evaluate = commands.add_parser(
        "evaluate", help="score a run against ground truth",
        description="Score the scrub of INPUT against ground truth: PHI recall in released files, clinical-text "
                    "retention, quarantine rate and area masked outside PHI, by modality, manufacturer and PHI "
                    "kind, with a crop preview of every PHI item still legible. Scores the finished run "
                    "--run REPORT, or scrubs INPUT afresh into OUT/run.")
    _truth_arguments(evaluate)
    evaluate.add_argument("--run", metavar="REPORT", type=Path, help="the REPORT folder of a finished scrub of INPUT")
    evaluate.add_argument("--out", metavar="DIR", type=Path,
                          help="evaluation.json, misses/ and any fresh run (default: REPORT/evaluation with --run, "
                               "else ./pixelscrub-evaluation); holds leaked PHI: keep it with the reviewers")
    evaluate.add_argument("--min-recall", metavar="R", type=_fraction,
                          help="exit with below_target when PHI recall is lower than R (0 to 1)")
    evaluate.add_argument("--config", metavar="FILE", type=Path, help="TOML settings for a fresh run")
    evaluate.add_argument("--profile", metavar="NAME", help="detector thresholds for a fresh run")
    evaluate.add_argument("--workers", metavar="N", type=_at_least_one, default=os.cpu_count() or 1,
                          help="parallel worker processes for a fresh run (default: the number of CPUs)")

    tune = commands.add_parser(
        "tune", help="sweep thresholds against ground truth and write the best profile",
        description="Scrub INPUT once per combination of detection, OCR-confidence and matching thresholds "
                    "(OCR reads are reused across settings), score each against the truth, plot recall against "
                    "quarantine rate and against clinical retention, and write the setting that reaches "
                    "--recall with the least quarantine as a profile for 'scrub --profile'.")
    _truth_arguments(tune)
    tune.add_argument("--out", metavar="FILE", type=Path, required=True,
                      help="the profile to write, e.g. models/profiles/<name>.toml")
    tune.add_argument("--recall", metavar="R", type=_fraction, default=0.99,
                      help="PHI recall the chosen setting must reach (default: 0.99)")
    tune.add_argument("--sweep", metavar="SECTION.NAME=V1,V2", action="append", default=[],
                      help="values to try for one threshold, replacing its default list; repeatable "
                           "(defaults: detect.edge_threshold=45,60,75 match.doubt_confidence=40,50,60,70 "
                           "match.noise_confidence=45,60,75)")
    tune.add_argument("--plots", metavar="DIR", type=Path, default=Path("pixelscrub-tune"),
                      help="folder for the PNG plots and index.html (default: ./pixelscrub-tune)")
    tune.add_argument("--profile", metavar="NAME", help="the profile to start from (default: 'default')")
    tune.add_argument("--config", metavar="FILE", type=Path, help="TOML settings (policy, header options)")

    demo = commands.add_parser(
        "demo", help="generate a synthetic archive, scrub it and show the result",
        description="Generate a synthetic archive in a fresh folder, scrub it with a private demo project, "
                    "and print where OUTPUT, QUARANTINE and REPORT are and a summary.")
    demo.add_argument("--dir", metavar="DIR", type=Path,
                      help="where to create the demo folder (default: a fresh folder under the system temp dir)")
    demo.add_argument("--count", metavar="N", type=_at_least_one, default=24, help="files to generate (default: 24)")
    demo.add_argument("--seed", metavar="N", type=int, default=2024, help="random seed (default: 2024)")
    demo.add_argument("--workers", metavar="N", type=_at_least_one, default=os.cpu_count() or 1,
                      help="parallel worker processes (default: the number of CPUs)")
    return parser


def _scrub(args: argparse.Namespace) -> int:
    from pixelscrub.config import load_config
    from pixelscrub.run import scrub
    from pixelscrub.summary import render_summary

    config = load_config(args.config, project=args.project, profile=args.profile)
    try:
        summary = scrub(args.input, args.output, args.quarantine, args.report, config, args.workers)
    except ValueError as exc:  # a project name that cannot be a folder name
        raise BadArgsError(f"--project: {exc}") from None
    print(render_summary(summary))
    return ExitCode.ok


def _synth(args: argparse.Namespace) -> int:
    if args.layouts == "wild":
        from pixelscrub.synth.wild import generate
    else:
        from pixelscrub.synth import generate

    truth = generate(args.outdir, seed=args.seed, count=args.count)
    print(f"wrote {args.count} files and their ground truth to {truth}")
    return ExitCode.ok


def _reidentify(args: argparse.Namespace) -> int:
    from pixelscrub.config import load_config
    from pixelscrub.project import Project

    config = load_config(args.config, project=args.project)
    try:
        project = Project(config.project, config.home, config.prefix, config.pseudonym_width)
    except ValueError as exc:
        raise BadArgsError(f"--project: {exc}") from None
    if not project.exists():
        raise NotFoundError(f"project {config.project!r} has no key and store in {project.dir}; "
                            "check --project and [project] home")
    found = project.reidentify(args.value)
    project.close()
    if found is None:
        raise NotFoundError(f"nothing in project {config.project!r} matches that value; "
                            "check the project and copy the pseudonym or UID exactly")
    for name, value in found.items():
        print(f"{name}: {value}")
    return ExitCode.ok


def _import_regions(args: argparse.Namespace) -> int:
    from pixelscrub.pixels.regions.rule_import import import_regions

    if args.ctp is None and not args.deid:
        raise BadArgsError("import-regions needs --ctp FILE or --deid FILE")
    for path in [args.ctp, *args.deid]:
        if path is not None and not path.is_file():
            raise BadArgsError(f"{path} does not exist")
    for written in import_regions(args.ctp, args.deid, args.out, ctp_origin=args.ctp_origin,
                                  deid_origin=args.deid_origin):
        print(f"wrote {written}")
    return ExitCode.ok


def _evaluate(args: argparse.Namespace) -> int:
    from pixelscrub.config import load_config
    from pixelscrub.evaluate import evaluate, render_evaluation

    config = load_config(args.config, profile=args.profile)
    out = args.out or (args.run / "evaluation" if args.run is not None else Path("pixelscrub-evaluation"))
    evaluation, truth = evaluate(args.input, args.truth, args.run, out, config, args.workers)
    print(render_evaluation(evaluation, truth, out))
    recall = evaluation.total.recall
    if args.min_recall is not None and recall < args.min_recall:
        raise BelowTargetError(f"PHI recall {recall:.4f} is below --min-recall {args.min_recall}; look at the "
                               f"previews in {out / 'misses'}, then tune the profile or review those images")
    return ExitCode.ok


def _tune(args: argparse.Namespace) -> int:
    from pixelscrub.config import load_config, profile_source
    from pixelscrub.tune import base_setting, choose, parse_sweep, plot, sweep, write_profile

    config = load_config(args.config, profile=args.profile)
    base_text = profile_source(args.profile or "default")[0]
    grid = parse_sweep(args.sweep)
    if not args.input.exists():
        raise BadArgsError(f"INPUT {args.input} does not exist")
    args.plots.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".sweep-", dir=args.plots))
    try:
        points, images = sweep(args.input, args.truth, grid, config, work,
                               log=lambda line: print(line, file=sys.stderr))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    chosen = choose(points, args.recall, base_setting(config.profile, grid))
    written = plot(points, chosen, args.recall, args.plots)
    print(f"plots: {', '.join(str(p) for p in written)}")
    if chosen is None:
        best = max(p.recall for p in points)
        raise BelowTargetError(f"no setting reaches recall {args.recall} (the best reaches {best:.4f}); widen "
                               "--sweep, lower --recall, or look at the misses with 'pixelscrub evaluate'")
    write_profile(base_text, chosen, args.recall, images, args.out)
    print(f"chosen: {', '.join(f'{k} {v}' for k, v in chosen.setting.items())}: recall {chosen.recall:.4f}, "
          f"quarantine rate {chosen.quarantine:.4f}, clinical retention {chosen.retention:.4f}, "
          f"masked outside PHI {chosen.outside:.4f}")
    print(f"wrote {args.out}; use it with 'pixelscrub scrub --profile {args.out}'")
    return ExitCode.ok


def _demo(args: argparse.Namespace) -> int:
    from pixelscrub.demo import run_demo

    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="pixelscrub-demo-", dir=args.dir))
    print(run_demo(folder, count=args.count, seed=args.seed, workers=args.workers))
    return ExitCode.ok


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="pixelscrub: %(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    handlers = {"scrub": _scrub, "synth": _synth, "reidentify": _reidentify, "import-regions": _import_regions,
                "evaluate": _evaluate, "tune": _tune, "demo": _demo}
    try:
        return int(handlers[args.command](args))
    except PixelscrubError as exc:
        print(f"pixelscrub: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("pixelscrub: interrupted; run the same command again to continue", file=sys.stderr)
        return int(ExitCode.interrupted)
