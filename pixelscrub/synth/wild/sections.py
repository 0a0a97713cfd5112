"""CT and MR originals with no text at all: a scrubber must hand them back byte for byte."""

from __future__ import annotations

import random

import numpy as np

from pixelscrub.synth import backgrounds
from pixelscrub.synth.wild.shot import Picture, Shot

AXIAL = ["1", "0", "0", "0", "1", "0"]


def ct(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    size, z = r.choice((256, 512)), r.uniform(-150, 150)
    hu = backgrounds.ct_slice(size, z, rng)
    inside = np.hypot(*np.mgrid[-size // 2 : size // 2, -size // 2 : size // 2]) < size // 2 - 1
    stored = np.where(inside, np.clip(np.rint(hu) + 1024, 0, 4095), -2000).astype(np.int16)
    spacing = f"{400 / size:.4g}"
    attributes = {
        "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"], "KVP": str(r.choice((80, 100, 120, 140))),
        "RescaleIntercept": "-1024", "RescaleSlope": "1", "RescaleType": "HU", "PixelPaddingValue": -2000,
        "WindowCenter": "40", "WindowWidth": "400", "SliceThickness": r.choice(("1", "2.5", "5")),
        "PixelSpacing": [spacing, spacing], "SliceLocation": f"{z:.1f}", "ImageOrientationPatient": AXIAL,
        "ImagePositionPatient": ["-200", "-200", f"{z:.1f}"],
    }
    return Picture(stored[None], [], set(), "MONOCHROME2", 16, attributes)


def mr(shot: Shot, r: random.Random, rng: np.random.Generator) -> Picture:
    size, z = r.choice((256, 384)), r.uniform(-40, 60)
    signal = np.rint(backgrounds.mr_slice(size, z, rng)).astype(np.uint16)
    spacing = f"{230 / size:.4g}"
    attributes = {
        "ImageType": ["ORIGINAL", "PRIMARY", "AXIAL"], "ScanningSequence": r.choice(("SE", "GR", "IR")),
        "SequenceVariant": "NONE", "MRAcquisitionType": "2D", "RepetitionTime": str(r.choice((450, 600, 2500))),
        "EchoTime": str(r.choice((10, 15, 90))), "MagneticFieldStrength": r.choice(("1.5", "3")),
        "WindowCenter": "900", "WindowWidth": "1600", "SliceThickness": "5", "PixelSpacing": [spacing, spacing],
        "SliceLocation": f"{z:.1f}", "ImageOrientationPatient": AXIAL,
        "ImagePositionPatient": ["-115", "-115", f"{z:.1f}"],
    }
    return Picture(signal[None], [], set(), "MONOCHROME2", 12, attributes)
