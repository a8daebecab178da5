"""``dl101 predict RUN IMAGE...``: classify pictures of digits with a run's saved model."""

HELP = "classify PNG/JPEG images (any size, converted as MNIST digits are) with a run's saved model"


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", help="run folder (holds model.npz, model.json)")
    parser.add_argument("images", metavar="IMAGE", nargs="+", help="PNG or JPEG files")
    parser.add_argument("--top", type=int, default=3, help="how many classes to list per image")


def run(args):
    from pathlib import Path
    import numpy as np
    from ..checks import Dl101Error, finite, positive
    from ..images import load_digit_image
    from ..saving import load_model
    folder = Path(args.run_folder)
    positive(args.top, "--top", integer=True)
    model = load_model(folder)
    side = int(round(np.sqrt(model.widths[0])))
    if side * side != model.widths[0]:
        raise Dl101Error(f"the model in {folder} takes {model.widths[0]} inputs, not a square image")
    names = class_names(folder / "metrics.json", model.widths[-1])
    x = np.stack([load_digit_image(path, side) for path in args.images])
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is reported just below
        proba = model.predict_proba(x)
    finite(proba, f"the output of the model in {folder}", "its weights are so large that the "
           "outputs overflow")
    for path, p in zip(args.images, proba):
        top = np.argsort(-p, kind="stable")[:args.top]
        ranked = ", ".join(f"{names[k]} {p[k]:.1%}" for k in top)
        print(f"{path}: {names[top[0]]}  ({ranked})")
    return 0


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
