"""What a wild layout is asked to draw (a Shot) and what it hands back (a Picture)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from pixelscrub.synth.scenes import Region
from pixelscrub.synth.text import Item
from pixelscrub.synth.wild.identity import Visit


@dataclass(frozen=True)
class Device:
    manufacturer: str
    model: str
    station: str


@dataclass(frozen=True)
class Shot:
    """One image: whose, from which device, when, in which typeface family, and whether as a palette."""

    scene: str
    visit: Visit
    device: Device
    acquired: dt.datetime
    frames: int
    family: str  # the typeface family of the main text
    palette: bool = False  # stored as PALETTE COLOR: crisp text in few colours


@dataclass
class Picture:
    frames: np.ndarray  # (F, H, W, 3) uint8 RGB, or (F, H, W) uint8 or uint16 grey
    items: list[Item]
    fonts: set[tuple[str, int]]  # (family, capital height) of every text drawn
    photometric: str = "RGB"
    bits_stored: int = 8
    attributes: dict[str, object] = field(default_factory=dict)  # header values the pixels show
    region: Region | None = None


def rgb(grey: np.ndarray) -> np.ndarray:
    return np.repeat(grey[..., None], 3, axis=-1)
