"""What one Tesseract read costs, and whether the crop size handed to it changes that.

Usage: .venv/bin/python benchmarks/ocr_cost.py [--seed 777] [--count 120] [--lines 400] [--repeat 5]

Proposes text lines on the text-bearing images of a synthetic archive (seed unused by the tests),
then reads the same lines with the first-pass crop settings and with other text heights and margins,
interleaved and repeated, and prints the median CPU milliseconds per read and the pixels handed over.
Tesseract's LSTM scales every line to its own input height, so if the cost follows the line's text
rather than the crop's pixels, the way to a faster run is fewer reads, not smaller crops.

Also prints, over every line proposed on the archive, how many are distinct as prepared crops (what
the read cache keys on) and as glyph masks of the same size wherever they sit (what a cache blind to
position and background could key on), how many of their glyphs repeat pixel for pixel (what a glyph
cache could answer), and, with tesserocr, how much of a read is layout analysis
and how much recognition.

And what the learned text detector of the independent check costs: CPU milliseconds per image at
several scales, on OpenVINO (what the pipeline runs) and on onnxruntime (how RapidOCR runs it);
whether the two runtimes find the same boxes; and how many of the archive's text items, by ink height,
fall in one of its regions.

And whether the second engine, RapidOCR's recogniser, reads faster in batches: the same lines with
the second-read crop settings, one call per crop against one call per list of crops (its recogniser
groups them by aspect ratio, `rec_batch_num` at a time, and pads each group to its widest), with the
text and the per-character confidences compared.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pydicom

sys.path.insert(0, str(Path(__file__).resolve().parent))
from machine import describe  # noqa: E402

from pixelscrub.config import load_config  # noqa: E402
from pixelscrub.pixels.text.detect import glyph_mask, propose_lines  # noqa: E402
from pixelscrub.pixels.ocr.engine import prepare_crop  # noqa: E402
from pixelscrub.pixels.codec.frames import Frames, reading_image  # noqa: E402
from pixelscrub.pixels.ocr.rapid import RapidDetector, RapidOcrEngine  # noqa: E402
from pixelscrub.pixels.ocr.tesseract import TesserocrEngine, tesseract_engine  # noqa: E402
from pixelscrub.pixels.regions.boxes import Box  # noqa: E402
from pixelscrub.pixels.regions.triage import triage  # noqa: E402
from pixelscrub.read import read  # noqa: E402
from pixelscrub.run import walk  # noqa: E402
from pixelscrub.synth import generate  # noqa: E402


def line_images(archive: Path, limit: int) -> list:
    """(grey image, line box) for the first `limit` proposed lines of the images triage sends to OCR."""
    detect = load_config(None).profile.detect
    lines = []
    for path in walk(archive):
        if path.suffix != ".dcm":
            continue
        result = read(path)
        choice = triage(result.facts)
        if not choice.look:
            continue
        frames = Frames(result.dataset, path)
        for _, frame in frames:
            grey = reading_image(frame, frames.photometric, result.dataset)
            lines += [(grey, box) for box in propose_lines(grey, detect, choice.data_regions)]
        if len(lines) >= limit:
            return lines[:limit]
    return lines


def distinct(lines: list, settings) -> tuple[int, int]:
    """Distinct prepared crops, and distinct glyph masks of the same box size."""
    crops = {hashlib.blake2b(prepare_crop(grey, box, settings)[0].tobytes(), digest_size=16).digest()
             for grey, box in lines}
    glyphs = {(box.w, box.h, hashlib.blake2b(np.packbits(glyph_mask(grey[box.y:box.y1, box.x:box.x1])).tobytes(),
                                             digest_size=16).digest()) for grey, box in lines}
    return len(crops), len(glyphs)


def glyph_repeats(lines: list) -> tuple[int, int, int, int]:
    """What a glyph cache could answer beyond the line cache, in archive order: over the lines whose
    glyph mask was not seen before, glyphs (column runs of the binarised ink, each trimmed to its own
    ink) seen before pixel for pixel, and lines all of whose glyphs were. Returns (lines, glyphs,
    repeated glyphs, lines known glyph by glyph)."""
    seen, whole, glyphs, repeated, known_lines = set(), set(), 0, 0, 0
    for grey, box in lines:
        ink = glyph_mask(grey[box.y:box.y1, box.x:box.x1])
        line_key = (ink.shape, np.packbits(ink).tobytes())
        if line_key in whole:
            continue
        whole.add(line_key)
        columns = np.flatnonzero(np.diff(np.concatenate([[0], ink.any(axis=0).astype(np.int8), [0]])))
        known = True
        for start, stop in zip(columns[::2], columns[1::2]):
            glyph = ink[:, start:stop]
            rows = np.flatnonzero(glyph.any(axis=1))
            glyph = glyph[rows[0]:rows[-1] + 1]
            key = (glyph.shape, np.packbits(glyph).tobytes())
            glyphs += 1
            repeated += key in seen
            known &= key in seen
            seen.add(key)
        known_lines += known
    return len(whole), glyphs, repeated, known_lines


def layout_share(engine: TesserocrEngine, crops: list, repeat: int) -> tuple[float, float]:
    """Median CPU ms per crop of Tesseract's layout analysis alone, and of a whole recognition."""
    api = engine._api
    timings: dict[str, list[float]] = {"layout": [], "recognize": []}
    for _ in range(repeat):
        for name, step in (("layout", api.AnalyseLayout), ("recognize", api.Recognize)):
            start = time.process_time()
            for crop in crops:
                api.SetImageBytes(crop.tobytes(), crop.shape[1], crop.shape[0], 1, crop.shape[1])
                step()
            timings[name].append(time.process_time() - start)
    return tuple(1000 * statistics.median(timings[n]) / len(crops) for n in ("layout", "recognize"))


def detector_cost(archive: Path, repeat: int) -> list[str]:
    """The learned detector on the first frame of every text-bearing image: time and text items found."""
    truth = json.loads((archive / "truth.json").read_text())
    images = []
    for entry in truth["files"]:
        if entry["items"]:
            ds = pydicom.dcmread(archive / entry["path"])
            frames = Frames(ds, archive / entry["path"])
            items = [i for i in entry["items"] if i["frames"] == "all" or 0 in i["frames"]]
            images.append((reading_image(frames.frame(0), frames.photometric, ds), items))
    lines, boxes_by_variant = [], {}
    variants = ((0.8, "onnxruntime", "f32"), (0.8, "openvino", "f32"), (0.8, "openvino", "bf16"),
                (1.0, "openvino", "f32"), (0.65, "openvino", "f32"))
    for scale, runtime, precision in variants:
        detector = RapidDetector(scale, runtime, precision)
        found, total, runs = {}, {}, []
        for run in range(repeat):
            start = time.process_time()
            regions = [detector.detect(grey) for grey, _ in images]
            runs.append(time.process_time() - start)
        boxes_by_variant[(scale, runtime, precision)] = regions
        for (grey, items), boxes in zip(images, regions):
            for item in items:
                box, height = Box(*item["box"]), f"{item['box'][3] // 4 * 4}-{item['box'][3] // 4 * 4 + 3} px"
                total[height] = total.get(height, 0) + 1
                found[height] = found.get(height, 0) + any(box.intersection(r) >= 0.5 * box.area for r in boxes)
        by_height = ", ".join(f"{h}: {found[h]}/{total[h]}" for h in sorted(total, key=lambda h: int(h.split('-')[0])))
        lines.append(f"detector at scale {scale} on {runtime}{f' ({precision})' if runtime == 'openvino' else ''}: "
                     f"{1000 * statistics.median(runs) / len(images):.1f} ms per image ({len(images)} images); "
                     f"text items inside a region, by ink height: {by_height}")
    reference = boxes_by_variant[(0.8, "onnxruntime", "f32")]
    for precision in ("f32", "bf16"):
        same = sum(_same_boxes(a, b) for a, b in zip(reference, boxes_by_variant[(0.8, "openvino", precision)]))
        lines.append(f"images whose detector boxes agree within 1 px, onnxruntime against openvino ({precision}) "
                     f"at 0.8: {same}/{len(images)}")
    return lines


def _same_boxes(first: list[Box], second: list[Box]) -> bool:
    def order(boxes: list[Box]) -> list[Box]:
        return sorted(boxes, key=lambda b: (b.y, b.x))
    return len(first) == len(second) and all(
        max(abs(a.x - b.x), abs(a.y - b.y), abs(a.x1 - b.x1), abs(a.y1 - b.y1)) <= 1
        for a, b in zip(order(first), order(second)))


def batch_cost(lines: list, repeat: int) -> str:
    """RapidOCR's recogniser on the second-read crops of `lines`: one call per crop against one call for
    them all, CPU ms per crop, and how many crops read the same text both ways."""
    ocr = RapidOcrEngine()._ocr
    crops = [prepare_crop(grey, box, load_config(None).profile.confirm)[0] for grey, box in lines]
    ocr.update_params(use_det=False, use_cls=False, use_rec=True)

    def one_by_one() -> list:
        return [ocr(crop, use_det=False, use_cls=False, use_rec=True) for crop in crops]

    def together() -> object:
        return ocr.recognize_txt([ocr.preprocess_img(ocr.load_img(crop))[0] for crop in crops])

    seconds: dict[str, list[float]] = {"single": [], "batched": []}
    for _ in range(repeat):
        for name, run in (("single", one_by_one), ("batched", together)):
            start = time.process_time()
            result = run()
            seconds[name].append(time.process_time() - start)
            if name == "single":
                single = [(r.txts[0] if r.txts else "", list(r.word_results[0].confs) if r.word_results else [])
                          for r in result]
            else:
                batched = [(text, list(words.confs)) for text, words in zip(result.txts, result.word_results)]
    same = sum(a[0] == b[0] for a, b in zip(single, batched))
    drift = max((abs(x - y) for a, b in zip(single, batched) if a[0] == b[0] for x, y in zip(a[1], b[1])), default=0.0)
    ms = {name: 1000 * statistics.median(values) / len(crops) for name, values in seconds.items()}
    return (f"second engine (RapidOCR recogniser), {len(crops)} second-read crops: one call per crop "
            f"{ms['single']:.1f} ms, batched {ms['batched']:.1f} ms per crop (batches of "
            f"{ocr.text_rec.rec_batch_num}); same text {same}/{len(crops)}; largest change of a character's "
            f"confidence where the text is the same {drift:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=777)
    parser.add_argument("--count", type=int, default=120)
    parser.add_argument("--lines", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    first = load_config(None).profile.ocr
    variants = {
        f"first pass (text {first.text_height} px, pad {first.pad})": first,
        "text 16 px": replace(first, text_height=16),
        "text 32 px": replace(first, text_height=32),
        "pad 1 px": replace(first, pad=1),
    }
    with tempfile.TemporaryDirectory() as tmp:
        generate(Path(tmp), seed=args.seed, count=args.count)
        every = line_images(Path(tmp), 1 << 30)
        detector_lines = detector_cost(Path(tmp), args.repeat)
    lines = every[:args.lines]
    unique_crops, unique_glyphs = distinct(every, first)
    engine = tesseract_engine()
    crops = {name: [prepare_crop(grey, box, settings)[0] for grey, box in lines] for name, settings in variants.items()}
    seconds: dict[str, list[float]] = {name: [] for name in variants}
    texts = {name: [" ".join(w.text for w in engine.read(crop)) for crop in batch] for name, batch in crops.items()}
    for _ in range(args.repeat):  # interleaved, so a slow spell of the machine hits every variant
        for name, batch in crops.items():
            start = time.process_time()
            for crop in batch:
                engine.read(crop)
            seconds[name].append(time.process_time() - start)
    print(f"machine: {describe()}")
    print(f"archive: pixelscrub synth --seed {args.seed} --count {args.count}; {len(lines)} proposed lines; "
          f"median of {args.repeat}")
    reference = next(iter(texts.values()))
    for name, batch in crops.items():
        pixels = sum(crop.size for crop in batch) / len(batch)
        same = sum(a == b for a, b in zip(texts[name], reference))
        print(f"{name}: {1000 * statistics.median(seconds[name]) / len(batch):.2f} ms per read, "
              f"{pixels:.0f} px per crop, same text as the first pass on {same}/{len(batch)} lines")
    print(f"every proposed line of the archive, all frames: {len(every)}; distinct prepared crops "
          f"{unique_crops}; distinct glyph masks of one size, wherever they sit, {unique_glyphs}")
    new, glyphs, repeated, known = glyph_repeats(every)
    print(f"glyphs of the {new} distinct glyph masks: {glyphs}, seen before pixel for pixel {repeated} "
          f"({100 * repeated / glyphs:.0f} %); lines whose every glyph was seen before: {known} ({100 * known / new:.0f} %)")
    if isinstance(engine, TesserocrEngine):
        layout, recognize = layout_share(engine, next(iter(crops.values())), args.repeat)
        print(f"first-pass crops: layout analysis alone {layout:.2f} ms, whole recognition {recognize:.2f} ms "
              f"per read; recognition proper {100 * (1 - layout / recognize):.0f} %")
    print("\n".join(detector_lines))
    print(batch_cost(lines, args.repeat))


if __name__ == "__main__":
    main()
