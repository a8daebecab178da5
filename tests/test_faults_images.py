"""Faults, class 9: pictures that are not the plain 8-bit PNG a digit usually is (issue 14).
Before the fix: a 16-bit PNG was clipped to white and called blank, a 20000×20000 decompression
bomb was a DecompressionBombError traceback, and a 12000×12000 picture took 3.4 GB of memory."""

import struct
import subprocess
import sys
import zlib

import numpy as np
import pytest
from PIL import Image, ImageDraw

from dl101.images import read_grey

from clitools import cli_env
from faults import cli, one_line_error


def _digit(side, white, dtype):
    """A dark "1" on light paper, ``white`` being the paper's level."""
    pixels = np.full((side, side), white, dtype)
    pixels[side // 5:-side // 5, side * 9 // 20:side * 11 // 20] = white // 20
    return pixels


def test_a_16_bit_png_is_read_with_its_real_range(digits_run, tmp_path, capsys):
    deep, flat = tmp_path / "deep.png", tmp_path / "flat.png"
    Image.fromarray(_digit(40, 65535, np.uint16)).save(deep)   # 16-bit grey PNG
    Image.fromarray(_digit(40, 255, np.uint8)).save(flat)      # the same digit in 8 bits
    assert Image.open(deep).mode in ("I;16", "I")
    np.testing.assert_allclose(read_grey(deep), read_grey(flat), atol=1 / 255)
    code, out, err = cli(capsys, "predict", digits_run, deep, flat)
    assert code == 0 and err == ""
    got_deep, got_flat = (line.split(": ", 1)[1] for line in out.splitlines())
    assert got_deep == got_flat  # same class, same probabilities


def _png_header_only(path, width, height):
    """A 390-byte PNG that claims width × height grey pixels: what a decompression bomb does."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
                     + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1) * 16)) + chunk(b"IEND", b""))


def test_a_decompression_bomb_is_one_clear_line(digits_run, tmp_path, capsys):
    bomb = tmp_path / "bomb.png"
    _png_header_only(bomb, 20000, 20000)
    code, out, err = cli(capsys, "predict", digits_run, bomb)
    assert code == 2 and out == ""
    one_line_error(err, "predict", f"image {bomb} has more than 178,956,970 pixels",
                   "decompression bomb", "scale it down first")


@pytest.fixture(scope="module")
def large_pictures(tmp_path_factory):
    """A 12000×12000 photo of a digit, as JPEG and as PNG."""
    folder = tmp_path_factory.mktemp("large")
    image = Image.new("L", (12000, 12000), 235)
    ImageDraw.Draw(image).rectangle([5400, 2500, 6600, 9500], fill=20)
    image.save(folder / "photo.jpg", quality=80)
    image.save(folder / "photo.png", compress_level=1)
    return folder


def _one_gigabyte():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("name", ["photo.jpg", "photo.png"])
def test_a_large_picture_is_reduced_within_a_gigabyte(digits_run, large_pictures, name):
    """The whole `dl101 predict` process, NumPy and all, in 1 GB of address space."""
    result = subprocess.run([sys.executable, "-m", "dl101", "predict", digits_run,
                             large_pictures / name], capture_output=True, text=True, env=cli_env(),
                            timeout=120, preexec_fn=_one_gigabyte)
    assert result.returncode == 0 and result.stderr == ""  # no DecompressionBombWarning either
    assert result.stdout.startswith(f"{large_pictures / name}: ")


def test_a_photo_taken_sideways_is_read_as_it_was_taken(tmp_path):
    """A phone stores the pixels as the sensor saw them and an EXIF tag saying how to turn them;
    read unturned, a 1 lies on its side and is silently misread."""
    stored = _digit(40, 255, np.uint8)
    exif = Image.Exif()
    exif[0x0112] = 6  # "turn 90° clockwise to show"
    photo = tmp_path / "sideways.jpg"
    Image.fromarray(stored).save(photo, exif=exif.tobytes(), quality=95)
    np.testing.assert_allclose(read_grey(photo), np.rot90(stored, -1) / 255, atol=0.05)
