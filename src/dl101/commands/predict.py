"""``dl101 predict [RUN] PATH...``: classify pictures of digits with a run's saved model.

RUN may be left out to mean the latest run (``runs/latest``). The rule: the first argument is
RUN when it is a run folder (a folder holding ``model.json`` or ``model.npz``); otherwise every
argument is a PATH and the run is the latest.

A PATH is a PNG or JPEG file, a folder (its PNG and JPEG files), or a glob such as
``'photos/*.jpg'`` (quoted, so that dl101 expands it rather than the shell). ``--show`` writes,
beside each input, the picture the model was given (``NAME.dl101-input.png``, 28×28 for MNIST).
"""

HELP = "classify PNG/JPEG images (any size, converted as MNIST digits are) with a run's saved model"
SUFFIXES = (".png", ".jpg", ".jpeg")
SHOWN = ".dl101-input.png"  # what --show writes; never read back as an input


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", nargs="?", default=None,
                        help="run folder (holds model.npz, model.json); the first argument is RUN "
                             "only when it is such a folder, else every argument is a PATH and RUN "
                             "is the latest run, runs/latest")
    parser.add_argument("images", metavar="PATH", nargs="+",
                        help="PNG or JPEG files, folders of them, or globs such as 'digits/*.png'")
    parser.add_argument("--top", type=int, default=3, help="how many classes to list per image "
                                                           "(default: %(default)s)")
    parser.add_argument("--show", action="store_true",
                        help=f"write beside each image the picture the model was given (NAME{SHOWN})")


def image_paths(paths) -> list:
    """The image files that ``paths`` name, in order: files as given, a folder's PNG and JPEG files
    and a glob's matches, sorted; a folder without images or a glob without a match is an error."""
    import glob
    from pathlib import Path

    from ..checks import Dl101Error

    def images(found):
        return sorted(p for p in found if p.is_file() and p.suffix.lower() in SUFFIXES
                      and not p.name.endswith(SHOWN))

    files = []
    for given in map(str, paths):
        path = Path(given)
        if path.is_dir():
            found = images(path.iterdir())
            if not found:
                raise Dl101Error(f"the folder {path} holds no PNG or JPEG images")
            files += found
        elif glob.has_magic(given) and not path.exists():
            found = images(Path(p) for p in glob.glob(given, recursive=True))
            if not found:
                raise Dl101Error(f"no PNG or JPEG image matches {given}")
            files += found
        else:
            files.append(path)  # a file, or a missing one: reading it says which
    return files


def run(args):
    from pathlib import Path

    import numpy as np

    from ..checks import Dl101Error, finite, positive
    from ..images import load_digit_image
    from ..saving import load_model
    positive(args.top, "--top", integer=True)
    folder, given = run_and_paths(args.run_folder, args.images)
    model = load_model(folder)
    side = int(round(np.sqrt(model.widths[0])))
    if side * side != model.widths[0]:
        raise Dl101Error(f"the model in {folder} takes {model.widths[0]} inputs, not a square image")
    names = class_names(folder / "metrics.json", model.widths[-1])
    paths = image_paths(given)
    x = np.stack([load_digit_image(path, side) for path in paths])
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
        proba = model.predict_proba(x)
    finite(proba, f"the output of the model in {folder}", "its weights are so large that the "
           "outputs overflow")
    for path, p, seen in zip(paths, proba, x):
        top = np.argsort(-p, kind="stable")[:args.top]
        ranked = ", ".join(f"{names[k]} {p[k]:.1%}" for k in top)
        shown = f"  [{show(path, seen, side)}]" if args.show else ""
        print(f"{path}: {names[top[0]]}  ({ranked}){shown}")
    return 0


def is_run_folder(path) -> bool:
    from pathlib import Path
    return path is not None and any((Path(path) / name).is_file() for name in ("model.json", "model.npz"))


def run_and_paths(first, rest):
    """``(run folder, image paths)`` by the rule of the module's docstring."""
    from ..checks import Dl101Error
    from ..jobs import latest
    if first is None and is_run_folder(rest[0]):
        raise Dl101Error(f"no image given: dl101 predict {rest[0]} PATH... (files, folders or globs)")
    if is_run_folder(first):
        return latest.resolve(first), rest
    return latest.resolve(None), [p for p in (first, *rest) if p is not None]


def show(path, x, side):
    """Write the model's input ``x`` (side × side, in [0, 1]) beside ``path``; returns its path."""
    from pathlib import Path

    import numpy as np
    from PIL import Image

    from ..files import atomic_write
    out = Path(path).with_name(Path(path).stem + SHOWN)
    with atomic_write(out) as f:
        Image.fromarray(np.round(x.reshape(side, side) * 255).astype(np.uint8), "L").save(f, format="PNG")
    return out


def class_names(path, n_classes):
    """The class names a run's ``metrics.json`` records, one per output; 0, 1, ... for a model
    saved without a run (no ``metrics.json``); a clear error for a file that says otherwise."""
    from ..checks import Dl101Error
    from ..saving import read_json
    if not path.is_file():
        return [str(k) for k in range(n_classes)]
    metrics = read_json(path, "a run's metrics")
    data = metrics.get("data") if isinstance(metrics, dict) else None
    names = data.get("class_names") if isinstance(data, dict) else None
    if not isinstance(names, list) or len(names) != n_classes:
        got = f"{len(names)} class names" if isinstance(names, list) else "no data.class_names"
        raise Dl101Error(f"{path} holds {got} for a model with {n_classes} outputs; it does not "
                         f"belong to this model (remove it to number the classes 0..{n_classes - 1})")
    return [str(name) for name in names]
