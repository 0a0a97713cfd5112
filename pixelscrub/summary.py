"""The one-screen summary printed after a run, from the same dict that summary.json holds."""

from __future__ import annotations

STATUS_HELP = {
    "released": "de-identified, in OUTPUT",
    "quarantined": "held for review, with a preview PNG",
    "skipped": "not DICOM or excluded by policy",
    "failed": "could not be read or written; see the reasons",
}


def render_summary(summary: dict, top_reasons: int = 8) -> str:
    lines = [f"pixelscrub {summary['pixelscrub']}: {summary['files']} files"
             + (" (interrupted)" if summary.get("interrupted") else "")]
    for status, count in summary["status"].items():
        lines.append(f"  {status:<12}{count:>6}  {STATUS_HELP[status]}")
    if summary.get("resumed_from_earlier_run"):
        lines.append(f"  ({summary['resumed_from_earlier_run']} finished by an earlier run were not redone)")
    lines.append("by modality: " + ", ".join(f"{m} {n}" for m, n in summary["modality"].items()))
    lines.append("most common reasons:")
    for reason, count in list(summary["reasons"].items())[:top_reasons]:
        lines.append(f"  {count:>6}  {reason}")
    timings = summary["timings"]
    lines.append(f"time: {timings['wall_seconds']:.1f} s wall, {timings['files_per_second'] or 0:.2f} files/s")
    if "paths" in summary:
        lines.append(f"OUTPUT      {summary['paths']['output']}")
        lines.append(f"QUARANTINE  {summary['paths']['quarantine']}")
        lines.append(f"REPORT      {summary['paths']['report']}")
    return "\n".join(lines)
