"""Burned-in text with exact ground truth.

Each text is rasterised on its own coverage mask, cropped to its ink, so the
truth box is the bounding box of the pixels actually drawn, never a guess from
font metrics.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

HERSHEY = {
    "hershey_simplex": cv2.FONT_HERSHEY_SIMPLEX,
    "hershey_plain": cv2.FONT_HERSHEY_PLAIN,
    "hershey_duplex": cv2.FONT_HERSHEY_DUPLEX,
    "hershey_complex": cv2.FONT_HERSHEY_COMPLEX,
}
TRUETYPE = {
    "dejavu_sans": "DejaVuSans.ttf",
    "dejavu_mono": "DejaVuSansMono.ttf",
    "dejavu_bold": "DejaVuSans-Bold.ttf",
}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
CAP_HEIGHT_PER_EM = 0.73  # DejaVu capitals are 0.73 em tall
INK_FLOOR = 32  # coverage under 1/8 is an invisible fringe; dropping it keeps boxes tight to visible ink
PHI_KINDS = ("name", "id", "date", "time", "institution", "physician", "age")
KINDS = (*PHI_KINDS, "clinical", "label")

Colour = tuple[int, int, int]
Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class Font:
    face: str  # a key of HERSHEY or TRUETYPE
    height: int  # capital height in pixels
    smooth: bool = True  # anti-aliased edges, as most modern devices draw them


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
        if "^" in text:
            raise ValueError(f"Hershey fonts draw '^' as '~', so {text!r} would not match its truth")
        face = HERSHEY[font.face]
        thickness = 2 if font.height >= 15 else 1
        scale = cv2.getFontScaleFromHeight(face, font.height, thickness)
        (text_w, cap), descent = cv2.getTextSize(text, face, scale, thickness)
        canvas = np.zeros((cap + descent + 2 * pad, text_w + 2 * pad), np.uint8)
        line = cv2.LINE_AA if font.smooth else cv2.LINE_8
        cv2.putText(canvas, text, (pad, pad + cap), face, scale, 255, thickness, line)
        return _crop(canvas, pad + cap)
    typeface = _truetype(font.face, round(font.height / CAP_HEIGHT_PER_EM))
    ascent, descent = typeface.getmetrics()
    left, _, right, _ = typeface.getbbox(text)
    image = Image.new("L", (right - left + 2 * pad, ascent + descent + 2 * pad))
    draw = ImageDraw.Draw(image)
    draw.fontmode = "L" if font.smooth else "1"
    draw.text((pad - left, pad + ascent), text, fill=255, font=typeface, anchor="ls")
    return _crop(np.asarray(image), pad + ascent)


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
        self._per_frame: list[tuple[Item, np.ndarray, Colour]] = []

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
    ) -> Item:
        """Stamp `text` with its ink's left (or right) edge at x, sitting on `baseline`."""
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        glyphs = ink(text, font)
        h, w = glyphs.mask.shape
        left = x - w + 1 if align == "right" else x
        item = Item(text, kind, (left, baseline - glyphs.baseline, w, h), frames)
        self._check(item)
        self.items.append(item)
        if frames == "all":
            x0, y0 = item.box[:2]
            coverage = glyphs.mask.astype(np.float32)[..., None] / 255.0
            region = np.s_[y0 : y0 + h, x0 : x0 + w]
            self._premultiplied[region] = self._premultiplied[region] * (1 - coverage) + coverage * colour
            self._alpha[region] = self._alpha[region] * (1 - coverage[..., 0]) + coverage[..., 0]
        else:
            self._per_frame.append((item, glyphs.mask, colour))
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
        for item, mask, colour in self._per_frame:
            if frame in item.frames:
                x, y, w, h = item.box
                coverage = mask.astype(np.float32)[..., None] / 255.0
                out[y : y + h, x : x + w] = out[y : y + h, x : x + w] * (1 - coverage) + coverage * colour
        return np.clip(np.rint(out), 0, 255).astype(np.uint8)
