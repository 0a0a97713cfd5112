"""Where a run writes, and how: every file goes to a staging folder first and is then renamed into place.

The staging folder sits beside OUTPUT (same file system, so the rename is atomic) and never inside it,
so a killed run leaves no partial file in OUTPUT, QUARANTINE or REPORT; the next run clears it.
"""

from __future__ import annotations

import errno
import filecmp
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pixelscrub.errors import BadArgsError, InputUnreadableError, OutputNotWritableError


@dataclass(frozen=True)
class RunPaths:
    input: Path
    output: Path
    quarantine: Path
    report: Path
    staging: Path

    @classmethod
    def resolve(cls, input_: Path, output: Path, quarantine: Path | None, report: Path | None) -> RunPaths:
        input_, output = input_.resolve(), output.resolve()
        if not input_.exists():
            raise InputUnreadableError(f"INPUT {input_} does not exist; check the path")
        if not os.access(input_, os.R_OK):
            raise InputUnreadableError(f"INPUT {input_} cannot be read; check its permissions")
        quarantine = (quarantine or output.with_name(output.name + "-quarantine")).resolve()
        report = (report or output.with_name(output.name + "-report")).resolve()
        for name, path in (("OUTPUT", output), ("QUARANTINE", quarantine), ("REPORT", report)):
            if path == input_ or path.is_relative_to(input_) or input_.is_relative_to(path):
                raise BadArgsError(f"{name} {path} overlaps INPUT {input_}; choose a folder outside the input")
        staging = output.with_name(f".{output.name}.pixelscrub-staging")
        paths = cls(input_, output, quarantine, report, staging)
        paths._prepare()
        return paths

    def _prepare(self) -> None:
        for folder in (self.output, self.quarantine, self.report):
            try:
                folder.mkdir(parents=True, exist_ok=True)
                probe = tempfile.NamedTemporaryFile(dir=folder, prefix=".pixelscrub-probe-")
                probe.close()
            except OSError as exc:
                raise OutputNotWritableError(
                    f"{folder} is not writable ({exc.strerror}); choose another folder or fix its permissions"
                ) from None
        self.clear_staging()
        self.staging.mkdir(parents=True, exist_ok=True)

    def clear_staging(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _link_into_place(temp: Path, final: Path) -> bool:
    """Move `temp` to `final` atomically unless `final` exists; False when it does."""
    try:
        os.link(temp, final)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EXDEV, errno.ENOTSUP, errno.EOPNOTSUPP):
            raise
        if final.exists():  # a file system without hard links: check, then rename
            return False
        os.replace(temp, final)
        return True
    os.unlink(temp)
    return True


def publish(temp: Path, root: Path, relative: str, replaceable: str | None = None) -> str:
    """Rename a staged file to root/relative and return the relative path it got.

    An existing file is replaced only when it is `replaceable` (this source's own earlier output) or
    identical; any other clash (two inputs with one SOP Instance UID) gets a numbered name, so
    nothing is lost.
    """
    final = root / relative
    final.parent.mkdir(parents=True, exist_ok=True)
    stem, suffix = relative.rsplit(".", 1) if "." in relative.rsplit("/", 1)[-1] else (relative, "")
    for attempt in range(1000):
        name = relative if attempt == 0 else f"{stem}-{attempt}.{suffix}" if suffix else f"{stem}-{attempt}"
        final = root / name
        if _link_into_place(temp, final):
            return name
        if name == replaceable or filecmp.cmp(temp, final, shallow=False):
            os.replace(temp, final)
            return name
    raise OutputNotWritableError(f"too many files share the name {relative}")


def stage(staging: Path, data: bytes | None = None, suffix: str = "") -> Path:
    """A fresh file in the staging folder, optionally filled with `data`."""
    fd, name = tempfile.mkstemp(dir=staging, suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        if data is not None:
            fh.write(data)
    return Path(name)
