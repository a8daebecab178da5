"""A picture of a digit, turned into an MNIST-style input the way MNIST's digits were made.

MNIST's digits are white on black, scaled to fit a 20×20 box (keeping their aspect ratio), then
placed in a 28×28 image so that their centre of mass is at the centre. :func:`to_mnist` does the
same to any PNG or JPEG, of any size, dark ink on light paper or the reverse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .checks import Dl101Error


MAX_SIDE = 1024  # a photo is reduced to this many pixels a side: plenty for a 20-pixel digit
MAX_PIXELS = 179_000_000  # larger is refused before decoding (Pillow's own decompression-bomb limit)


def read_grey(path) -> np.ndarray:
    """The image at ``path`` as grey levels in [0, 1] (transparent parts read as white paper).

    16-bit images keep their range (0..65535 is black..white). A large photo is reduced while it
    is decoded (JPEG decodes at 1/2 to 1/8 of its size directly) and then to at most
    ``MAX_SIDE`` pixels a side, so a 12000×12000 picture never becomes gigabytes of floats; one
    of more than ``MAX_PIXELS`` pixels, what a decompression bomb claims, is refused unread.
    """
    import warnings
    from PIL import Image, ImageOps, UnidentifiedImageError
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # checked just below
            with Image.open(path) as image:
                _check_size(image, path)
                image.draft("L", (MAX_SIDE, MAX_SIDE))  # JPEG only: decode at a reduced scale
                image.load()
                ImageOps.exif_transpose(image, in_place=True)  # a phone photo, turned as it was taken
                if image.mode in WIDE_GREY:
                    return _wide_grey(image)
                if max(image.size) > MAX_SIDE:
                    image = _reduced(image.convert("RGBA") if image.mode not in "L LA RGB RGBA"
                                     else image)
                rgba = image.convert("RGBA")
    except FileNotFoundError:
        raise Dl101Error(f"image {path} does not exist") from None
    except Image.DecompressionBombError as err:
        raise Dl101Error(f"image {path} has more than {Image.MAX_IMAGE_PIXELS * 2:,} pixels, more "
                         f"than dl101 reads (a decompression bomb?); scale it down first") from None
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise Dl101Error(f"cannot read image {path}: {err}; give a PNG or JPEG file") from None
    paper = Image.new("RGBA", rgba.size, "white")
    return np.asarray(Image.alpha_composite(paper, rgba).convert("L"), dtype=np.float64) / 255


WIDE_GREY = {"I;16": 65535, "I;16B": 65535, "I;16L": 65535, "I": 65535}  # white, 16-bit PNGs


def _wide_grey(image) -> np.ndarray:
    """A grey image of more than 8 bits (a 16-bit PNG opens as "I;16" or "I") in [0, 1]; 8-bit
    RGBA would clip every level above 255 to white."""
    white = WIDE_GREY[image.mode]
    image = image.convert("I").convert("F")  # 32-bit floats: the one wide mode reduce() takes
    if max(image.size) > MAX_SIDE:
        image = _reduced(image)
    return np.clip(np.asarray(image, dtype=np.float64) / white, 0, 1)


def _reduced(image):
    """``image`` shrunk by a whole factor (each pixel the mean of a block) to <= MAX_SIDE a side."""
    return image.reduce(-(-max(image.size) // MAX_SIDE))


def _check_size(image, path):
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise Dl101Error(f"image {path} is {width}×{height} pixels, more than the {MAX_PIXELS:,} "
                         f"dl101 reads (a decompression bomb?); scale it down first")


def to_mnist(grey: np.ndarray, box=20, size=28, name="image") -> np.ndarray:
    """A (size, size) float32 image in [0, 1]: white digit on black, fitted and centred as MNIST's."""
    from PIL import Image
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    ink = 1 - grey if np.median(border) > 0.5 else grey.copy()  # make the digit the bright part
    ink -= np.median(np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]]))  # background to 0
    ink = np.clip(ink, 0, None)
    if ink.max() <= 0.1:
        raise Dl101Error(f"{name} looks blank: no stroke stands out from the background")
    rows, cols = np.nonzero(ink > 0.2 * ink.max())
    ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1] / ink.max()
    h, w = ink.shape
    scale = box / max(h, w)
    new_h, new_w = max(1, round(h * scale)), max(1, round(w * scale))
    resized = np.asarray(Image.fromarray((ink * 255).astype(np.uint8)).resize(
        (new_w, new_h), Image.LANCZOS), dtype=np.float64) / 255
    # centre of mass of the fitted digit, moved to the centre of the 28×28 canvas
    total = resized.sum()
    cy = (resized.sum(1) * np.arange(new_h)).sum() / total
    cx = (resized.sum(0) * np.arange(new_w)).sum() / total
    top = int(np.clip(round(size / 2 - 0.5 - cy), 0, size - new_h))
    left = int(np.clip(round(size / 2 - 0.5 - cx), 0, size - new_w))
    canvas = np.zeros((size, size))
    canvas[top:top + new_h, left:left + new_w] = resized
    return np.clip(canvas, 0, 1).astype(np.float32)


def load_digit_image(path, size=28) -> np.ndarray:
    """``path`` read and converted by :func:`to_mnist`, flattened to (size * size,)."""
    return to_mnist(read_grey(path), box=round(size * 20 / 28), size=size, name=str(Path(path))).ravel()
