import cv2
import numpy as np
import skimage.data

from pixelscrub.pixels.regions.boxes import Box
from pixelscrub.pixels.regions.content import ContentParams, faces, looks_like_document


def test_a_photograph_of_a_face_is_found():
    grey = cv2.cvtColor(skimage.data.astronaut(), cv2.COLOR_RGB2GRAY)
    assert faces(grey, ContentParams()) == 1


def test_texture_and_flat_images_have_no_face():
    rng = np.random.default_rng(0)
    speckle = cv2.GaussianBlur(rng.rayleigh(40, (480, 640)).clip(0, 255).astype(np.uint8), (5, 5), 0)
    assert faces(speckle, ContentParams()) == 0
    assert faces(np.zeros((480, 640), np.uint8), ContentParams()) == 0


def test_dense_text_is_a_document_and_a_banner_is_not():
    params = ContentParams()
    page = [Box(20, 20 + 18 * i, 600, 14) for i in range(32)]
    banner = [Box(0, 0, 300, 14), Box(400, 0, 200, 14), Box(0, 20, 120, 14)]
    assert looks_like_document(page, 800, 640, params)
    assert not looks_like_document(banner, 480, 640, params)
    assert looks_like_document([Box(0, 0, 640, 200)], 480, 640, params)  # by area
