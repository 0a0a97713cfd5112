"""What lies under the text: ultrasound speckle, fluoroscopy and CT/MR phantoms.

The images only need to look and compress like the real thing, so each is a few
smoothed noise fields and ellipses rather than a physical simulation.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Sector:
    """Where the ultrasound image sits: a fan (convex, phased) or a rectangle (linear)."""

    mask: np.ndarray  # bool, the pixels that carry echo data
    apex: tuple[int, int]  # virtual apex (x, y); the top-centre for a linear probe
    depth_px: float  # pixels from the skin line to the deepest row
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 of the mask, inclusive

    @property
    def skin(self) -> int:
        return self.box[1]


def sector(width: int, height: int, area: tuple[int, int, int, int], probe_kind: str, half_angle: float) -> Sector:
    """Fit the largest sector of the probe's shape inside `area` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = area
    ys, xs = np.mgrid[0:height, 0:width]
    if probe_kind == "linear":
        half_width = min((x1 - x0) // 2, (y1 - y0) * 3 // 8)
        cx = (x0 + x1) // 2
        mask = (np.abs(xs - cx) <= half_width) & (ys >= y0) & (ys <= y1)
        apex = (cx, y0)
    else:
        inner = 0.28 if probe_kind == "convex" else 0.04
        theta = np.radians(half_angle)
        outer = min((y1 - y0) / (1 - inner * np.cos(theta)), (x1 - x0) / (2 * np.sin(theta)))
        apex = ((x0 + x1) // 2, int(round(y0 - inner * outer * np.cos(theta))))
        r = np.hypot(xs - apex[0], ys - apex[1])
        angle = np.arctan2(xs - apex[0], ys - apex[1])
        mask = (r >= inner * outer) & (r <= outer) & (np.abs(angle) <= theta)
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    box = (int(cols[0]), int(rows[0]), int(cols[-1]), int(rows[-1]))
    return Sector(mask, apex, float(box[3] - box[1]), box)


def smooth_noise(rng: np.random.Generator, shape: tuple[int, int], sigma: float) -> np.ndarray:
    field = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), sigma)
    return field / (field.std() + 1e-6)


def speckle(sec: Sector, frames: int, rng: np.random.Generator) -> np.ndarray:
    """Grey B-mode frames (F, H, W): Rayleigh speckle over a few echo structures.

    Successive frames keep part of the previous speckle and a cyst that pulses,
    so a cine changes smoothly like a real one.
    """
    height, width = sec.mask.shape
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    x0, y0, x1, y1 = sec.box
    tissue = 0.55 + 0.15 * smooth_noise(rng, (height, width), 25)
    cyst_x = rng.uniform(x0 + 0.3 * (x1 - x0), x0 + 0.7 * (x1 - x0))
    cyst_y = rng.uniform(y0 + 0.35 * (y1 - y0), y0 + 0.6 * (y1 - y0))
    cyst_a, cyst_b = rng.uniform(0.08, 0.15) * (x1 - x0), rng.uniform(0.05, 0.1) * (y1 - y0)
    wall_y = y0 + rng.uniform(0.75, 0.88) * (y1 - y0) + 12 * np.sin(xs / rng.uniform(40, 90))
    tissue += 1.2 * np.exp(-(((ys - wall_y) / 3.0) ** 2))
    tissue *= 1.0 - 0.35 * np.clip((ys - y0) / max(y1 - y0, 1), 0, 1)  # attenuation with depth
    tissue = np.clip(tissue, 0.05, None)
    real = rng.standard_normal((height, width)).astype(np.float32)
    imag = rng.standard_normal((height, width)).astype(np.float32)
    out = np.zeros((frames, height, width), np.uint8)
    for f in range(frames):
        if f:
            real = 0.75 * real + 0.66 * rng.standard_normal((height, width)).astype(np.float32)
            imag = 0.75 * imag + 0.66 * rng.standard_normal((height, width)).astype(np.float32)
        pulse = 1.0 + 0.12 * np.sin(2 * np.pi * f / max(frames, 2))
        inside = np.sqrt(((xs - cyst_x) / (cyst_a * pulse)) ** 2 + ((ys - cyst_y) / (cyst_b * pulse)) ** 2)
        echo = tissue * (0.05 + 0.95 * np.clip((inside - 0.85) / 0.3, 0, 1))
        # Resolution cells are wider than deep, so the grain is blurred more across than down.
        envelope = np.hypot(cv2.GaussianBlur(real, (0, 0), 2.2, sigmaY=1.1),
                            cv2.GaussianBlur(imag, (0, 0), 2.2, sigmaY=1.1))
        level = np.log1p(5.0 * echo * envelope / envelope.mean()) / np.log1p(5.0 * 3.0)
        level = cv2.GaussianBlur(level, (0, 0), 0.8)  # scan conversion smooths the grain
        out[f] = np.where(sec.mask, np.clip(level * 255, 0, 255), 0).astype(np.uint8)
    return out


def _vessel(tree: np.ndarray, start: np.ndarray, angle: float, width: float, steps: int,
            rng: np.random.Generator, depth: int = 0) -> None:
    """A wandering, tapering vessel that sometimes branches."""
    point = start.astype(float)
    for step in range(steps):
        angle += rng.normal(0, 0.15)
        nxt = point + 5 * np.array([np.cos(angle), np.sin(angle)])
        thickness = max(1, round(width * (1 - step / steps)))
        start_px, end_px = tuple(np.round(point).astype(int)), tuple(np.round(nxt).astype(int))
        cv2.line(tree, start_px, end_px, 1.0, thickness, cv2.LINE_AA)
        point = nxt
        if depth < 2 and rng.random() < 0.04:
            _vessel(tree, point, angle + rng.choice((-1, 1)) * rng.uniform(0.4, 0.9), thickness * 0.7,
                    steps - step, rng, depth + 1)


def fluoroscopy(size: int, frames: int, rng: np.random.Generator, vessels: bool) -> np.ndarray:
    """Grey X-ray frames (F, H, W) in a round collimated field.

    Angiography (vessels=True) shows a catheter and a vessel tree that fills
    with contrast over the run; fluoroscopy shows a spine and bowel gas.
    Quantum noise differs per frame.
    """
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    centre = size / 2
    radius = size * rng.uniform(0.44, 0.48)
    dist = np.hypot(xs - centre, ys - centre)
    field = np.clip((radius - dist) / 6.0, 0, 1)
    body = 135 + 16 * smooth_noise(rng, (size, size), 40) - 55 * (dist / radius) ** 2
    spine_x = centre + rng.uniform(-40, 40)
    spine = np.exp(-(((xs - spine_x) / 28) ** 2)) * (0.75 + 0.25 * np.cos(2 * np.pi * ys / 46))
    tree = np.zeros((size, size), np.float32)
    if vessels:
        shadow = ((xs - centre - rng.uniform(-30, 30)) / 150) ** 2 + ((ys - centre - 40) / 120) ** 2
        body -= 25 * np.clip(1.2 - shadow, 0, 1) + 12 * spine
        root = np.array([centre + rng.uniform(-80, -20), centre + rng.uniform(-90, -40)])
        rows = np.arange(root[1], size, 4.0)
        bend = 40 * np.sin((rows - root[1]) / rng.uniform(90, 160)) * rng.choice((-1, 1))
        catheter = np.stack([root[0] + bend, rows], axis=1)
        cv2.polylines(body, [np.round(catheter).astype(np.int32)], False, 70.0, 2, cv2.LINE_AA)
        for _ in range(rng.integers(2, 4)):
            _vessel(tree, root, rng.uniform(-0.3, 1.9), rng.uniform(4, 7), 70, rng)
        tree = cv2.GaussianBlur(tree, (0, 0), 1.0)
    else:
        body -= 40 * spine
        for _ in range(rng.integers(3, 6)):
            centre_xy = (int(rng.uniform(120, size - 120)), int(rng.uniform(120, size - 120)))
            axes = (int(rng.uniform(12, 30)), int(rng.uniform(8, 20)))
            cv2.ellipse(tree, centre_xy, axes, float(rng.uniform(0, 180)), 0, 360, -1.0, -1)
        tree = cv2.GaussianBlur(tree, (0, 0), 6)
    out = np.zeros((frames, size, size), np.uint8)
    for f in range(frames):
        fill = min(1.0, (f + 1) / max(frames - 1, 1)) if vessels else 1.0
        image = body - 75 * fill * tree + rng.normal(0, 3, (size, size))
        out[f] = np.clip(image * field, 0, 255).astype(np.uint8)
    return out


def ct_slice(size: int, z: float, rng: np.random.Generator) -> np.ndarray:
    """Hounsfield units of a chest slice: body, fat rim, lungs, spine, aorta, table."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    s = size / 256
    hu = np.full((size, size), -1000.0, np.float32)
    body = ((xs - 128 * s) / (112 * s)) ** 2 + ((ys - 120 * s) / (82 * s)) ** 2
    hu[body < 1] = -100
    hu[body < 0.82] = 40
    lung = 34 * s * (1 + 0.1 * np.sin(z / 15))
    for side in (-1, 1):
        lobe = ((xs - (128 + side * 48) * s) / lung) ** 2 + ((ys - 112 * s) / (1.6 * lung)) ** 2
        hu[lobe < 1] = -850
    hu[np.hypot(xs - 128 * s, ys - 175 * s) < 14 * s] = 650
    hu[np.hypot(xs - 128 * s, ys - 175 * s) < 8 * s] = 220
    hu[np.hypot(xs - 118 * s, ys - 150 * s) < 10 * s] = 45
    hu[(np.abs(ys - 214 * s) < 3 * s) & (np.abs(xs - 128 * s) < 110 * s)] = 300
    noisy = hu + cv2.GaussianBlur(rng.normal(0, 14, (size, size)).astype(np.float32), (0, 0), 0.7)
    return np.where(hu > -1000, noisy, -1000)


def mr_slice(size: int, z: float, rng: np.random.Generator) -> np.ndarray:
    """Signal of a T1-weighted head slice with Rician background noise (12-bit)."""
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float32)
    s = size / 256
    head = ((xs - 128 * s) / (92 * s)) ** 2 + ((ys - 128 * s) / (112 * s)) ** 2
    signal = np.zeros((size, size), np.float32)
    signal[head < 1] = 1700  # scalp fat
    signal[head < 0.9] = 80  # skull
    signal[head < 0.8] = 900  # grey matter
    signal[head < 0.6] = 1150  # white matter
    ventricle = 1 + 0.3 * np.cos(z / 20)
    for side in (-1, 1):
        horn = ((xs - (128 + side * 14) * s) / (7 * s * ventricle)) ** 2 + ((ys - 118 * s) / (26 * s)) ** 2
        signal[horn < 1] = 250
    signal = cv2.GaussianBlur(signal, (0, 0), 1.0)
    real = signal + rng.normal(0, 25, (size, size))
    imag = rng.normal(0, 25, (size, size))
    return np.clip(np.hypot(real, imag), 0, 4095)
