"""A progress bar on stderr when it is a terminal, silent otherwise; stdout stays for results."""

from __future__ import annotations

import sys

from tqdm import tqdm


def progress(total: int, description: str) -> tqdm:
    return tqdm(total=total, desc=description, unit="file", file=sys.stderr,
                disable=not sys.stderr.isatty(), dynamic_ncols=True, leave=False)
