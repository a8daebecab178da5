"""``dl101 evaluate RUN``: the saved model of a run, evaluated on its test set again."""

HELP = "evaluate a run's saved model on its data set's test images"


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", help="run folder (holds model.npz, model.json)")
    parser.add_argument("--cache-dir", default=None, help="data cache folder")


def run(args):
    import json
    from pathlib import Path
    from ..checks import Dl101Error
    from ..jobs.mnist import load_data
    from ..jobs.settings import MnistSettings
    from ..saving import load_model
    from ..train import evaluate
    folder = Path(args.run_folder)
    model = load_model(folder)
    try:
        recorded = json.loads((folder / "metrics.json").read_text())
        settings = MnistSettings(**recorded["settings"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise Dl101Error(f"{folder}/metrics.json is missing or unreadable ({err}); it names the data "
                         f"set the model was trained on") from None
    dataset = load_data(settings, args.cache_dir)
    result = evaluate(model, dataset.x_test, dataset.y_test)
    print(f"{model}\n{settings.dataset} test set, {len(dataset.x_test):,} images: "
          f"loss {result.loss:.4f}, accuracy {result.accuracy:.2%} "
          f"(recorded at the end of training: {recorded['final']['test_accuracy']:.2%})")
    return 0
