"""``dl101 evaluate RUN``: the saved model of a run, evaluated again on its data set's test (or
training) images: loss, accuracy, a per-class table (precision, recall, F1, support, as
scikit-learn's ``classification_report``) and the confusion matrix; ``--json`` prints them as one
JSON object."""

HELP = "evaluate a run's saved model on its data set: per-class precision, recall, F1, confusion matrix"
SPLITS = {"test": "test", "train": "train"}


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", nargs="?", default=None,
                        help="run folder (holds model.npz, model.json); default: the latest run, "
                             "runs/latest")
    parser.add_argument("--split", default="test", help="the images to evaluate on: test or train "
                                                        "(default: %(default)s)")
    parser.add_argument("--json", action="store_true",
                        help="print one JSON object: accuracy, loss, confusion_matrix (K x K, rows = "
                             "true class), per_class")
    parser.add_argument("--cache-dir", default=None, help="data cache folder")


def run(args):
    import json

    from ..checks import get
    from ..jobs import latest
    from ..jobs.run_folder import open_run
    from ..metrics import confusion_matrix, per_class
    from ..train import evaluate
    split = get(SPLITS, args.split, "--split")
    folder = latest.resolve(args.run_folder)
    run = open_run(folder, args.cache_dir)
    model, dataset, settings = run.model, run.dataset, run.settings
    x, y = getattr(dataset, f"x_{split}"), getattr(dataset, f"y_{split}")
    result = evaluate(model, x, y)
    counts = confusion_matrix(y, result.predictions, len(dataset.class_names))
    report = per_class(counts, dataset.class_names)
    if args.json:
        print(json.dumps({"run": str(folder), "dataset": settings.dataset, "split": split,
                          "images": len(x), "accuracy": result.accuracy, "loss": float(result.loss),
                          "confusion_matrix": counts.tolist(), "class_names": list(dataset.class_names),
                          "per_class": report}))
        return 0
    recorded_here = f" ({_recorded(run.metrics)})" if split == "test" else ""
    print(f"{model}\n{settings.dataset} {split} set, {len(x):,} images: loss {result.loss:.4f}, "
          f"accuracy {result.accuracy:.2%}{recorded_here}\n")
    print(report_table(report, dataset.class_names), end="\n\n")
    print(matrix_table(counts, dataset.class_names))
    return 0


def report_table(report, class_names) -> str:
    """The per-class table, laid out as ``classification_report`` prints it."""
    names = [*map(str, class_names), "macro avg", "weighted avg"]
    width = max(len(n) for n in names)
    lines = [f"{'':>{width}}  precision  recall  f1-score  support"]
    for name in names:
        if name == "macro avg":
            lines.append("")
        row = report[name]
        lines.append(f"{name:>{width}}  {row['precision']:9.4f}  {row['recall']:6.4f}  "
                     f"{row['f1-score']:8.4f}  {row['support']:7,}")
    return "\n".join(lines)


def matrix_table(counts, class_names) -> str:
    """The confusion matrix as text: a row per true class, a column per predicted class."""
    names = [str(n) for n in class_names]
    cell = max(len(f"{counts.max():,}"), *(len(n) for n in names)) if len(names) else 1
    label = max(len(n) for n in names)
    lines = ["confusion matrix: rows are the true class, columns the predicted class",
             " " * (label + 2) + " ".join(f"{n:>{cell}}" for n in names)]
    lines += [f"{name:>{label}}  " + " ".join(f"{v:>{cell},}" for v in row) for name, row in zip(names, counts)]
    return "\n".join(lines)


def _recorded(metrics):
    """The test accuracy ``metrics.json`` recorded at the end of training, as a note."""
    final = metrics.get("final")
    accuracy = final.get("test_accuracy") if isinstance(final, dict) else None
    if isinstance(accuracy, (int, float)) and not isinstance(accuracy, bool) and 0 <= accuracy <= 1:
        return f"recorded at the end of training: {accuracy:.2%}"
    return "metrics.json records no final test accuracy to compare with"
