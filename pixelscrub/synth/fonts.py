"""The typefaces of the wild archive: every family install.sh installs, found by path.

Devices draw with whatever their maker chose, so the wild layouts mix outline
fonts (DejaVu, Liberation, GNU FreeFont, Noto, URW base35), X11 bitmap fonts
drawn pixel for pixel, and OpenCV's Hershey strokes. Each file is named by
where its Debian 12 package puts it; a missing file stops the run with the
package to install, since a stand-in font would silently change the archive.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pixelscrub.errors import MissingDependencyError
from pixelscrub.synth.text import BITMAP_SUFFIXES, Font, bitmap_cap_height, ink

HEIGHTS = tuple(range(6, 21))  # capital heights the wild layouts draw, in pixels


@dataclass(frozen=True)
class Face:
    family: str
    face: str  # what Font.face takes: a file path, or a Hershey key
    package: str | None  # the apt package that installs the file; None for Hershey (inside OpenCV)
    style: str  # "sans", "serif" or "mono": layouts pick by the look a device would have
    latin1: bool = True  # has accented Latin letters; a device without them prints "Ne(e) le" for "Né(e) le"

    def heights(self, smooth: bool = True) -> tuple[int, ...]:
        """Capital heights of HEIGHTS this face can draw exactly (hinting and bitmaps leave gaps)."""
        return tuple(_sizes(self.face, smooth))

    def font(self, cap: int, smooth: bool = True) -> Font:
        """The Font whose capital H is `cap` pixels tall; `cap` must be one of heights(smooth)."""
        return Font(self.face, _sizes(self.face, smooth)[cap], smooth)


@functools.lru_cache(maxsize=None)
def _sizes(face: str, smooth: bool) -> dict[int, int]:
    """Measured capital height -> the Font height that gives it (Hershey's scale counts more than capitals)."""
    if face.endswith(BITMAP_SUFFIXES):
        cap = bitmap_cap_height(face)
        return {h: h for h in (cap, 2 * cap) if h in HEIGHTS}
    sizes: dict[int, int] = {}
    for nominal in range(3, HEIGHTS[-1] + 1):
        sizes.setdefault(ink("H", Font(face, nominal, smooth)).mask.shape[0], nominal)
    return {cap: sizes[cap] for cap in HEIGHTS if cap in sizes}


def _files(family: str, package: str, folder: str, names: dict[str, str], latin1: bool = True) -> tuple[Face, ...]:
    return tuple(Face(family, f"{folder}/{name}", package, style, latin1) for name, style in names.items())


TRUETYPE = "/usr/share/fonts/truetype"
X11 = "/usr/share/fonts/X11/misc"
FACES = (
    *_files("DejaVu", "fonts-dejavu-core", f"{TRUETYPE}/dejavu", {
        "DejaVuSans.ttf": "sans", "DejaVuSans-Bold.ttf": "sans", "DejaVuSansMono.ttf": "mono",
        "DejaVuSansMono-Bold.ttf": "mono", "DejaVuSerif.ttf": "serif"}),
    *_files("Liberation", "fonts-liberation", f"{TRUETYPE}/liberation", {
        "LiberationSans-Regular.ttf": "sans", "LiberationSans-Bold.ttf": "sans",
        "LiberationSansNarrow-Regular.ttf": "sans", "LiberationSerif-Regular.ttf": "serif",
        "LiberationMono-Regular.ttf": "mono"}),
    *_files("FreeFont", "fonts-freefont-ttf", f"{TRUETYPE}/freefont", {
        "FreeSans.ttf": "sans", "FreeSansBold.ttf": "sans", "FreeSerif.ttf": "serif", "FreeMono.ttf": "mono",
        "FreeMonoBold.ttf": "mono"}),
    *_files("Noto", "fonts-noto-core", f"{TRUETYPE}/noto", {
        "NotoSans-Regular.ttf": "sans", "NotoSans-Bold.ttf": "sans", "NotoSerif-Regular.ttf": "serif"}),
    *_files("Noto", "fonts-noto-mono", f"{TRUETYPE}/noto", {
        "NotoSansMono-Regular.ttf": "mono", "NotoSansMono-Bold.ttf": "mono"}),
    *_files("URW base35", "fonts-urw-base35", "/usr/share/fonts/opentype/urw-base35", {
        "NimbusSans-Regular.otf": "sans", "NimbusSans-Bold.otf": "sans", "NimbusSansNarrow-Regular.otf": "sans",
        "URWGothic-Book.otf": "sans", "NimbusMonoPS-Regular.otf": "mono", "NimbusMonoPS-Bold.otf": "mono",
        "NimbusRoman-Regular.otf": "serif", "C059-Roman.otf": "serif", "P052-Roman.otf": "serif"}),
    *_files("X11 fixed", "xfonts-base", X11, {
        "5x7-ISO8859-1.pcf.gz": "mono", "6x10-ISO8859-1.pcf.gz": "mono", "6x13-ISO8859-1.pcf.gz": "mono",
        "6x13B-ISO8859-1.pcf.gz": "mono", "7x14-ISO8859-1.pcf.gz": "mono", "7x14B-ISO8859-1.pcf.gz": "mono",
        "9x15-ISO8859-1.pcf.gz": "mono", "9x15B-ISO8859-1.pcf.gz": "mono", "10x20-ISO8859-1.pcf.gz": "mono"}),
    *_files("X11 clean", "xfonts-base", X11, {
        "clR5x8.pcf.gz": "mono", "clR7x14.pcf.gz": "mono", "clB8x13.pcf.gz": "mono"}, latin1=False),
    *_files("X11 clean", "xfonts-base", X11, {"clR6x12-ISO8859-1.pcf.gz": "mono"}),
    *(Face("Hershey", key, None, style, latin1=False) for key, style in {
        "hershey_simplex": "sans", "hershey_duplex": "sans", "hershey_plain": "mono", "hershey_complex": "serif",
        "hershey_complex_small": "serif", "hershey_triplex": "serif"}.items()),
)
FAMILIES = tuple(dict.fromkeys(face.family for face in FACES))


def require() -> None:
    """Stop before drawing anything when a font file is missing, naming the packages that install them."""
    missing = sorted({face.package for face in FACES if face.package and not Path(face.face).is_file()})
    if missing:
        raise MissingDependencyError(
            f"the wild layouts need fonts that are not installed; run: apt-get install -y {' '.join(missing)} "
            "(or ./install.sh)")
