import numpy as np

from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.mask import apply_fills, pad_boxes, plan_fills


def mask_every_frame(arr, photometric, boxes):
    """What the rewrite pass does: fills measured once, then applied to each frame as it comes."""
    fills = plan_fills(list(arr), photometric, boxes)
    for frame in arr:
        apply_fills(frame, fills)


def test_fill_is_the_surrounding_background_on_every_frame():
    arr = np.full((3, 40, 60), 200, np.uint8)
    arr[:, 10:20, 10:30] = 30  # dark text on a light panel
    mask_every_frame(arr, "MONOCHROME2", [Box(8, 8, 24, 14)])
    assert (arr[:, 8:22, 8:32] == 200).all()


def test_overlapping_boxes_share_one_fill_and_nothing_outside_changes():
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 255, (2, 50, 80, 3), dtype=np.uint8)
    before = arr.copy()
    boxes = [Box(10, 10, 20, 10), Box(25, 12, 20, 10)]
    mask_every_frame(arr, "RGB", boxes)
    inside = np.zeros((50, 80), bool)
    for box in boxes:
        inside[box.y:box.y1, box.x:box.x1] = True
    assert len({tuple(v) for v in arr[:, inside].reshape(-1, 3)}) == 1
    assert (arr[:, ~inside] == before[:, ~inside]).all()


def test_palette_fill_is_an_existing_index():
    arr = np.full((1, 20, 20), 7, np.uint8)
    arr[0, 5:10, 5:10] = 3
    mask_every_frame(arr, "PALETTE COLOR", [Box(4, 4, 7, 7)])
    assert (arr == 7).all()


def test_padding_is_clipped_to_the_image():
    assert pad_boxes([Box(0, 1, 5, 5)], 3, 6, 6) == [Box(0, 0, 6, 6)]


def test_a_small_line_is_padded_less_above_and_below():
    # Lines of 6 px text in 8 px boxes stand 9 px apart: the mask of one must not reach the next line.
    masked, below = Box(10, 20, 40, 8), Box(10, 29, 40, 8)
    (padded,) = pad_boxes([masked], 3, 200, 200)
    assert padded.x == 7 and padded.w == 46  # the full pad along the line
    assert padded.y1 <= below.y + 1 and padded.y <= masked.y - 2
    assert pad_boxes([Box(10, 20, 40, 16)], 3, 200, 200) == [Box(7, 17, 46, 22)]
