"""What lies under the wild archive's text: radiographs, mammograms, localizers, endoscopy.

Like synth/backgrounds.py these only need to look and compress like the real
thing: bone and soft-tissue shapes with smooth gradients and grain, drawn at a
quarter of the size and scaled up, so a 2000x2500 radiograph costs little.
Grey images are floats in 0..1, bright where a display shows white.
"""

from __future__ import annotations

import cv2
import numpy as np

from pixelscrub.synth.backgrounds import smooth_noise

COARSE = 4  # shapes are drawn this many times smaller than the image


def _canvas(width: int, height: int) -> tuple[np.ndarray, float]:
    w, h = max(width // COARSE, 32), max(height // COARSE, 32)
    return np.zeros((h, w), np.float32), w / 100.0  # the canvas, and pixels per percent of its width


def _ellipse(canvas: np.ndarray, centre: tuple[float, float], axes: tuple[float, float], angle: float,
             value: float) -> None:
    cv2.ellipse(canvas, (round(centre[0]), round(centre[1])), (max(1, round(axes[0])), max(1, round(axes[1]))),
                angle, 0, 360, value, -1, cv2.LINE_AA)


def _finish(coarse: np.ndarray, width: int, height: int, rng: np.random.Generator, grain: float) -> np.ndarray:
    """Scale up, add low-frequency mottle and quantum grain, clip to 0..1."""
    image = cv2.resize(cv2.GaussianBlur(coarse, (0, 0), 1.2), (width, height), interpolation=cv2.INTER_LINEAR)
    mottle = cv2.resize(smooth_noise(rng, coarse.shape, 6), (width, height), interpolation=cv2.INTER_LINEAR)
    image = image * (1 + 0.05 * mottle) + rng.normal(0, grain, (height, width)).astype(np.float32)
    return np.clip(image, 0, 1)


def _bone(canvas: np.ndarray, start: tuple[float, float], end: tuple[float, float], thickness: float) -> None:
    """A long bone: a bright cortex around a dimmer marrow canal."""
    a, b = np.round(start).astype(int), np.round(end).astype(int)
    cv2.line(canvas, tuple(a), tuple(b), 0.78, max(2, round(thickness)), cv2.LINE_AA)
    cv2.line(canvas, tuple(a), tuple(b), 0.62, max(1, round(thickness * 0.45)), cv2.LINE_AA)


def radiograph(part: str, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A projection radiograph of a chest, a hand or a knee; air is dark, bone bright."""
    canvas, pct = _canvas(width, height)
    h, w = canvas.shape
    if part == "chest":
        _ellipse(canvas, (w / 2, h * 0.55), (w * 0.46, h * 0.52), 0, 0.42)
        for side in (-1, 1):
            _ellipse(canvas, (w / 2 + side * w * 0.2, h * 0.5), (w * 0.15, h * 0.33), side * 4, 0.16)
            for k in range(9):  # ribs curve down and out from the spine
                y = h * (0.25 + 0.065 * k)
                xs = np.linspace(0, w * 0.3, 12)
                ys = y + (xs / (w * 0.3)) ** 2 * h * 0.07
                points = np.stack([w / 2 + side * (xs + w * 0.03), ys], axis=1).round().astype(np.int32)
                cv2.polylines(canvas, [points], False, 0.6, max(1, round(pct * 0.9)), cv2.LINE_AA)
            _bone(canvas, (w / 2 + side * w * 0.04, h * 0.2), (w / 2 + side * w * 0.3, h * 0.16), pct * 1.5)
        _ellipse(canvas, (w * 0.47, h * 0.62), (w * 0.12, h * 0.14), 10, 0.55)  # heart
        cv2.rectangle(canvas, (round(w * 0.48), 0), (round(w * 0.52), h), 0.66, -1)  # spine
    elif part == "hand":
        _ellipse(canvas, (w / 2, h * 0.85), (w * 0.26, h * 0.2), 0, 0.35)
        for k in range(5):
            angle = np.radians(-40 + 20 * k)
            base = (w / 2 + np.sin(angle) * w * 0.15, h * 0.7)
            tip = (w / 2 + np.sin(angle) * w * 0.42, h * (0.12 if k else 0.45))
            cv2.line(canvas, tuple(np.round(base).astype(int)), tuple(np.round(tip).astype(int)), 0.35,
                     round(pct * 9), cv2.LINE_AA)
            _bone(canvas, base, tip, pct * 4)
    else:  # knee
        cv2.rectangle(canvas, (round(w * 0.22), 0), (round(w * 0.78), h), 0.36, -1)
        _bone(canvas, (w * 0.5, 0), (w * 0.5, h * 0.47), pct * 22)
        _bone(canvas, (w * 0.5, h * 0.53), (w * 0.5, h), pct * 19)
        _bone(canvas, (w * 0.68, h * 0.55), (w * 0.66, h), pct * 6)
        _ellipse(canvas, (w * 0.5, h * 0.45), (w * 0.17, h * 0.05), 0, 0.74)
    canvas += 0.05 * smooth_noise(rng, canvas.shape, 3).clip(-2, 2)
    return _finish(canvas, width, height, rng, 0.006)


def mammogram(width: int, height: int, view: str, right: bool, rng: np.random.Generator) -> np.ndarray:
    """A breast against the chest wall (on the left edge, or the right for a right breast), with
    fibroglandular texture, a brighter skin line, and the pectoral muscle in an MLO view."""
    canvas, _ = _canvas(width, height)
    h, w = canvas.shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    depth, half = w * rng.uniform(0.7, 0.9), h * rng.uniform(0.4, 0.47)
    radius = np.sqrt((xs / depth) ** 2 + ((ys - h / 2) / half) ** 2)
    breast = radius < 1
    tissue = 0.32 + 0.25 * np.clip(1 - radius, 0, 1) ** 0.5 + 0.06 * smooth_noise(rng, (h, w), 2).clip(-2, 2)
    canvas[breast] = tissue[breast]
    canvas[breast & (radius > 0.96)] += 0.15
    if view == "MLO":
        muscle = xs < (w * 0.35) * (1 - ys / (h * 0.6))
        canvas[muscle & breast] = 0.7
    if right:
        canvas = canvas[:, ::-1].copy()
    return _finish(canvas, width, height, rng, 0.005)


def localizer(kind: str, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """A CT scout of the trunk (with the table), or an MR sagittal head localizer."""
    canvas, pct = _canvas(width, height)
    h, w = canvas.shape
    if kind == "CT":
        cv2.rectangle(canvas, (round(w * 0.2), 0), (round(w * 0.8), h), 0.45, -1)
        for side in (-1, 1):
            _ellipse(canvas, (w / 2 + side * w * 0.14, h * 0.32), (w * 0.1, h * 0.2), 0, 0.18)
            _ellipse(canvas, (w / 2 + side * w * 0.13, h * 0.82), (w * 0.12, h * 0.08), side * 20, 0.7)
        cv2.rectangle(canvas, (round(w * 0.47), 0), (round(w * 0.53), h), 0.7, -1)
        for x in (0.16, 0.84):
            cv2.line(canvas, (round(w * x), 0), (round(w * x), h), 0.5, max(1, round(pct)), cv2.LINE_AA)
    else:
        _ellipse(canvas, (w * 0.5, h * 0.42), (w * 0.36, h * 0.4), 0, 0.75)
        _ellipse(canvas, (w * 0.5, h * 0.42), (w * 0.32, h * 0.36), 0, 0.45)
        _ellipse(canvas, (w * 0.52, h * 0.62), (w * 0.1, h * 0.12), -20, 0.35)
        cv2.rectangle(canvas, (round(w * 0.44), round(h * 0.7)), (round(w * 0.56), h), 0.4, -1)
    return _finish(canvas, width, height, rng, 0.02 if kind == "MR" else 0.01)


def endoscopy(width: int, height: int, field: tuple[int, int, int], rng: np.random.Generator) -> np.ndarray:
    """RGB mucosa around a dark lumen, with vessels and specular glints, inside a round field (x, y, radius)."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy, radius = field
    lumen_x, lumen_y = cx + rng.uniform(-0.3, 0.3) * radius, cy + rng.uniform(-0.3, 0.3) * radius
    dist = np.hypot(xs - lumen_x, ys - lumen_y) / radius
    folds = 0.5 + 0.5 * np.sin(dist * rng.uniform(14, 22) + 2 * smooth_noise(rng, (height, width), 12))
    light_level = np.clip(dist * 1.4, 0, 1) ** 0.8 * (0.75 + 0.25 * folds)
    vessels = np.zeros((height, width), np.float32)
    for _ in range(int(rng.integers(4, 9))):
        angles = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, 0.25, 40))
        steps = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radius * 0.03
        start = [rng.uniform(cx - radius, cx + radius), rng.uniform(cy - radius, cy + radius)]
        points = np.cumsum(steps, axis=0) + start
        cv2.polylines(vessels, [points.round().astype(np.int32)], False, 1.0, int(rng.integers(1, 3)), cv2.LINE_AA)
    vessels = cv2.GaussianBlur(vessels, (0, 0), 0.8)
    red = 0.98 * light_level - 0.2 * vessels
    green = 0.5 * light_level - 0.3 * vessels
    blue = 0.42 * light_level - 0.22 * vessels
    image = np.stack([red, green, blue], axis=-1)
    glints = np.zeros((height, width), np.float32)
    for _ in range(int(rng.integers(3, 8))):
        centre = (round(rng.uniform(cx - radius, cx + radius)), round(rng.uniform(cy - radius, cy + radius)))
        axes = (int(rng.integers(3, 12)), int(rng.integers(2, 5)))
        cv2.ellipse(glints, centre, axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1, cv2.LINE_AA)
    image = np.clip(image + cv2.GaussianBlur(glints, (0, 0), 1.5)[..., None], 0, 1)
    inside = np.hypot(xs - cx, ys - cy) <= radius
    return np.where(inside[..., None], image * 255, 0).round().astype(np.uint8)
