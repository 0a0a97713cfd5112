"""Burned-in text with exact ground truth.

Each text is rasterised on its own coverage mask, cropped to its ink, so the
truth box is the bounding box of the pixels actually drawn, never a guess from
font metrics. A font is a Hershey face, a DejaVu key, or any outline or bitmap
font file; an outline or drop shadow is drawn under the glyphs and its ink is
part of the box.
"""

from __future__ import annotations

import functools
import gzip
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import BdfFontFile, Image, ImageDraw, ImageFont, PcfFontFile

HERSHEY = {
    "hershey_simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "hershey_plain": cv2.FONT_HERSHEY_PLAIN,
    "hershey_duplex": cv2.FONT_HERSHEY_DUPLEX,
    "hershey_complex": cv2.FONT_HERSHEY_COMPLEX,
    "hershey_triplex": cv2.FONT_HERSHEY_TRIPLEX,
    "hershey_complex_small": cv2.FONT_HERSHEY_COMPLEX_SMALL,
}
TRUETYPE = {
    "dejavu_sans": "DejaVuSans.ttf",
    "dejavu_mono": "DejaVuSansMono.ttf",
    "dejavu_bold": "DejaVuSans-Bold.ttf",
}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CAP_HEIGHT_PER_EM = 0.73  # DejaVu capitals are 0.73 em tall
BITMAP_SUFFIXES = (".pcf.gz", ".pcf", ".bdf")
INK_FLOOR = 32  # coverage under 1/8 is an invisible fringe; dropping it keeps boxes tight to visible ink
PHI_KINDS = ("name", "id", "date", "time", "institution", "physician", "age")
KINDS = (*PHI_KINDS, "clinical", "label")

Colour = tuple[int, int, int]
Box = tuple[int, int, int, int]
_Layer = tuple[np.ndarray, Colour, int, int]  # coverage, colour, offset down and right inside the text's box


@dataclass(frozen=True)
class Font:
    face: str  # a key of HERSHEY or TRUETYPE, or the path of an outline (.ttf, .otf) or bitmap font file
    height: int  # capital height in pixels; a bitmap face's own, or a whole multiple of it (pixels doubled)
    smooth: bool = True  # anti-aliased edges, as most modern devices draw them; bitmaps are always sharp


@dataclass(frozen=True)
class Effect:
    """A halo under the glyphs: a 1 px outline on every side, or a drop shadow down and to the right."""

    colour: Colour
    shadow: int = 0  # 0 for an outline; otherwise the shadow's offset in pixels


@dataclass(frozen=True)
class Ink:
    mask: np.ndarray  # uint8 coverage, cropped to the inked pixels
    baseline: int  # rows from the top of the mask down to the text baseline


@dataclass(frozen=True)
class Item:
    text: str
    kind: str
    box: Box  # x, y, width, height of the ink in stored pixels
    frames: str | tuple[int, ...] = "all"

    @property
    def phi(self) -> bool:
        return self.kind in PHI_KINDS

    def shares_frames(self, other: Item) -> bool:
        if self.frames == "all" or other.frames == "all":
            return True
        return bool(set(self.frames) & set(other.frames))

    def as_truth(self) -> dict:
        frames = self.frames if self.frames == "all" else list(self.frames)
        return {"text": self.text, "kind": self.kind, "phi": self.phi, "box": list(self.box), "frames": frames}


@functools.lru_cache(maxsize=None)
def _truetype(face: str, size: int) -> ImageFont.FreeTypeFont:
    path = FONT_DIR / TRUETYPE[face]
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _cap_rows(canvas: np.ndarray) -> int:
    return len(np.flatnonzero((canvas >= INK_FLOOR).any(axis=1)))


@functools.lru_cache(maxsize=None)
def _outline(path: str, height: int) -> ImageFont.FreeTypeFont:
    """The size at which the face's capital H is `height` pixels tall: hinting makes any fixed em ratio inexact."""
    def cap(size: int) -> int:
        typeface = ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)
        image = Image.new("L", (2 * size, 2 * size))
        ImageDraw.Draw(image).text((size // 2, size // 2), "H", fill=255, font=typeface)
        return _cap_rows(np.asarray(image))

    size = min(range(height, 2 * height + 3), key=lambda s: (abs(cap(s) - height), s))
    return ImageFont.truetype(path, size, layout_engine=ImageFont.Layout.BASIC)


@dataclass(frozen=True)
class _Bitmap:
    glyphs: dict[str, tuple]  # character -> (advance, destination box, source box, image), as PIL's FontFile
    ascent: int
    descent: int
    cap: int  # rows of ink in the capital H


@functools.lru_cache(maxsize=None)
def _bitmap(path: str) -> _Bitmap:
    """A PCF or BDF face's Latin-1 glyphs, drawn pixel for pixel as X11 draws them."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as fh:
        face = BdfFontFile.BdfFontFile(fh) if path.endswith(".bdf") else PcfFontFile.PcfFontFile(fh, "iso8859-1")
    glyphs = {chr(code): glyph for code, glyph in enumerate(face.glyph) if glyph is not None}
    ascent = max(-glyph[1][1] for glyph in glyphs.values())
    descent = max(glyph[1][3] for glyph in glyphs.values())
    cap = _cap_rows(np.asarray(glyphs["H"][3].convert("L")))
    return _Bitmap(glyphs, ascent, descent, cap)


def bitmap_cap_height(path: str) -> int:
    return _bitmap(path).cap


def _bitmap_text(text: str, font: Font, pad: int) -> tuple[np.ndarray, int]:
    face = _bitmap(font.face)
    scale, rest = divmod(font.height, face.cap)
    if rest or not scale:
        raise ValueError(f"{font.face} draws capitals {face.cap} px tall, not {font.height}")
    missing = sorted(set(text) - set(face.glyphs))
    if missing:
        raise ValueError(f"{font.face} has no glyph for {missing}, so {text!r} would not match its truth")
    image = Image.new("L", (sum(face.glyphs[c][0][0] for c in text) + 2 * pad, face.ascent + face.descent + 2 * pad))
    x, baseline = pad, pad + face.ascent
    for c in text:
        (advance, _), (dx, dy, _, _), _, glyph = face.glyphs[c]
        image.paste(255, (x + dx, baseline + dy), glyph.convert("1"))
        x += advance
    canvas = np.asarray(image)
    if scale > 1:
        canvas = np.kron(canvas, np.ones((scale, scale), np.uint8))
    return canvas, baseline * scale


def _crop(canvas: np.ndarray, baseline: int) -> Ink:
    canvas = np.where(canvas >= INK_FLOOR, canvas, 0).astype(np.uint8)
    rows = np.flatnonzero(canvas.any(axis=1))
    cols = np.flatnonzero(canvas.any(axis=0))
    mask = np.ascontiguousarray(canvas[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1])
    mask.setflags(write=False)
    return Ink(mask, baseline - int(rows[0]))


@functools.lru_cache(maxsize=4096)
def ink(text: str, font: Font) -> Ink:
    """Rasterise `text` once; layouts measure and stamp the same mask."""
    pad = font.height
    if font.face in HERSHEY:
        if "^" in text or not text.isascii():
            raise ValueError(f"Hershey fonts misdraw '^' and non-ASCII letters, so {text!r} would not match its truth")
        face = HERSHEY[font.face]
        thickness = 2 if font.height >= 15 else 1
        scale = cv2.getFontScaleFromHeight(face, font.height, thickness)
        (text_w, cap), descent = cv2.getTextSize(text, face, scale, thickness)
        canvas = np.zeros((cap + descent + 2 * pad, text_w + 2 * pad), np.uint8)
        line = cv2.LINE_AA if font.smooth else cv2.LINE_8
        cv2.putText(canvas, text, (pad, pad + cap), face, scale, 255, thickness, line)
        return _crop(canvas, pad + cap)
    if font.face.endswith(BITMAP_SUFFIXES):
        return _crop(*_bitmap_text(text, font, pad))
    if font.face in TRUETYPE:
        typeface = _truetype(font.face, round(font.height / CAP_HEIGHT_PER_EM))
    else:
        typeface = _outline(font.face, font.height)
    ascent, descent = typeface.getmetrics()
    left, _, right, _ = typeface.getbbox(text)
    image = Image.new("L", (right - left + 2 * pad, ascent + descent + 2 * pad))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L" if font.smooth else "1"
    draw.text((pad - left, pad + ascent), text, fill=255, font=typeface, anchor="ls")
    return _crop(np.asarray(image), pad + ascent)


@functools.lru_cache(maxsize=4096)
def _halo(text: str, font: Font, effect: Effect) -> tuple[np.ndarray, int, int]:
    """The effect's coverage on a canvas that also holds the glyphs, and the glyphs' offset (down, right) in it."""
    glyphs = ink(text, font).mask
    if effect.shadow:
        shift = effect.shadow
        halo = np.zeros((glyphs.shape[0] + shift, glyphs.shape[1] + shift), np.uint8)
        halo[shift:, shift:] = glyphs
        offset = 0
    else:
        halo = cv2.dilate(np.pad(glyphs, 1), np.ones((3, 3), np.uint8))
        offset = 1
    halo.setflags(write=False)
    return halo, offset, offset


def extent(text: str, font: Font, effect: Effect | None = None) -> tuple[int, int, int]:
    """Height, width and baseline row of the ink a text leaves, its halo included."""
    glyphs = ink(text, font)
    if effect is None:
        return (*glyphs.mask.shape, glyphs.baseline)
    halo, down, _ = _halo(text, font, effect)
    return (*halo.shape, glyphs.baseline + down)


def width(text: str, font: Font) -> int:
    return ink(text, font).mask.shape[1]


def overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


class Overlay:
    """Panels and texts laid over a scene, each text remembering its ink box.

    Texts shown on every frame are merged into one premultiplied layer; texts
    tied to some frames (a frame counter) are kept apart and stamped per frame.
    Placing a text outside the image, over another text of the same frames, or
    over a keep-out area (the ultrasound region) is a layout bug and raises.
    """

    def __init__(self, width: int, height: int, keep_out: tuple[Box, ...] = ()):
        self.width, self.height = width, height
        self.items: list[Item] = []
        self._keep_out = keep_out
        self._premultiplied = np.zeros((height, width, 3), np.float32)
        self._alpha = np.zeros((height, width), np.float32)
        self._per_frame: list[tuple[Item, list[_Layer]]] = []

    def fill(self, x: int, y: int, w: int, h: int, paint: Colour | np.ndarray) -> None:
        """Cover a rectangle with a colour or an (h, w, 3) picture; texts go on top, never under."""
        if any(overlaps((x, y, w, h), item.box) for item in self.items):
            raise ValueError(f"panel at {(x, y, w, h)} would hide a text placed earlier")
        self._premultiplied[y : y + h, x : x + w] = paint
        self._alpha[y : y + h, x : x + w] = 1.0

    def text(
        self,
        text: str,
        x: int,
        baseline: int,
        font: Font,
        colour: Colour,
        kind: str,
        *,
        align: str = "left",
        frames: str | tuple[int, ...] = "all",
        effect: Effect | None = None,
    ) -> Item:
        """Stamp `text` with its ink's left (or right) edge at x, sitting on `baseline`."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        glyphs = ink(text, font)
        layers: list[_Layer] = [(glyphs.mask, colour, 0, 0)]
        if effect is not None:
            halo, down, right = _halo(text, font, effect)
            layers = [(halo, effect.colour, 0, 0), (glyphs.mask, colour, down, right)]
        h, w, top = extent(text, font, effect)
        left = x - w + 1 if align == "right" else x
        item = Item(text, kind, (left, baseline - top, w, h), frames)
        self._check(item)
        self.items.append(item)
        if frames == "all":
            x0, y0 = item.box[:2]
            for mask, tint, down, right in layers:
                coverage = mask.astype(np.float32)[..., None] / 255.0
                region = np.s_[y0 + down : y0 + down + mask.shape[0], x0 + right : x0 + right + mask.shape[1]]
                self._premultiplied[region] = self._premultiplied[region] * (1 - coverage) + coverage * tint
                self._alpha[region] = self._alpha[region] * (1 - coverage[..., 0]) + coverage[..., 0]
        else:
            self._per_frame.append((item, layers))
        return item

    def _check(self, item: Item) -> None:
        x, y, w, h = item.box
        if x < 0 or y < 0 or x + w > self.width or y + h > self.height:
            raise ValueError(f"text {item.text!r} at {item.box} leaves the {self.width}x{self.height} image")
        for other in self.items:
            if item.shares_frames(other) and overlaps(item.box, other.box):
                raise ValueError(f"text {item.text!r} overlaps {other.text!r}")
        if any(overlaps(item.box, area) for area in self._keep_out):
            raise ValueError(f"text {item.text!r} enters a keep-out area")

    def over(self, image: np.ndarray, frame: int) -> np.ndarray:
        """Composite the overlay on one RGB frame."""
        out = image.astype(np.float32) * (1 - self._alpha[..., None]) + self._premultiplied
        self._stamp_frame(out, frame)
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)

    def over_grey(self, image: np.ndarray, frame: int, white: int) -> np.ndarray:
        """Composite on one grey frame of any depth, the overlay's red channel scaled so 255 becomes `white`."""
        scale = white / 255.0
        out = image.astype(np.float32) * (1 - self._alpha) + self._premultiplied[..., 0] * scale
        self._stamp_frame(out[..., None], frame, scale)
        return np.clip(np.rint(out), 0, white).astype(image.dtype)

    def _stamp_frame(self, out: np.ndarray, frame: int, grey_scale: float | None = None) -> None:
        """Texts tied to some frames, stamped in place on `out`: (H, W, 3) RGB, or (H, W, 1) grey scaled."""
        for item, layers in self._per_frame:
            if frame not in item.frames:
                continue
            x, y = item.box[:2]
            for mask, colour, down, right in layers:
                h, w = mask.shape
                coverage = mask.astype(np.float32)[..., None] / 255.0
                tint = colour if grey_scale is None else (colour[0] * grey_scale,)
                region = np.s_[y + down : y + down + h, x + right : x + right + w]
                out[region] = out[region] * (1 - coverage) + coverage * tint
