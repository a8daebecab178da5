"""``dl101 predict RUN IMAGE...``: classify pictures of digits with a run's saved model."""

HELP = "classify PNG/JPEG images (any size, converted as MNIST digits are) with a run's saved model"


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", help="run folder (holds model.npz, model.json)")
    parser.add_argument("images", metavar="IMAGE", nargs="+", help="PNG or JPEG files")
    parser.add_argument("--top", type=int, default=3, help="how many classes to list per image")


def run(args):
    import json
    from pathlib import Path
    import numpy as np
    from ..checks import Dl101Error
    from ..images import load_digit_image
    from ..saving import load_model
    folder = Path(args.run_folder)
    model = load_model(folder)
    side = int(round(np.sqrt(model.widths[0])))
    if side * side != model.widths[0]:
        raise Dl101Error(f"the model in {folder} takes {model.widths[0]} inputs, not a square image")
    try:
        names = json.loads((folder / "metrics.json").read_text())["data"]["class_names"]
    except (OSError, ValueError, KeyError):
        names = [str(k) for k in range(model.widths[-1])]  # a model saved without a run: 0, 1, ...
    x = np.stack([load_digit_image(path, side) for path in args.images])
    proba = model.predict_proba(x)
    for path, p in zip(args.images, proba):
        top = np.argsort(-p, kind="stable")[:max(1, args.top)]
        ranked = ", ".join(f"{names[k]} {p[k]:.1%}" for k in top)
        print(f"{path}: {names[top[0]]}  ({ranked})")
    return 0
