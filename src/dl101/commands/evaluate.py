"""``dl101 evaluate RUN``: the saved model of a run, evaluated on its test set again."""

HELP = "evaluate a run's saved model on its data set's test images"


def add_arguments(parser):
    parser.add_argument("run_folder", metavar="RUN", help="run folder (holds model.npz, model.json)")
    parser.add_argument("--cache-dir", default=None, help="data cache folder")


def run(args):
    from ..jobs.run_folder import open_run
    from ..train import evaluate
    run = open_run(args.run_folder, args.cache_dir)
    dataset = run.dataset
    result = evaluate(run.model, dataset.x_test, dataset.y_test)
    print(f"{run.model}\n{run.settings.dataset} test set, {len(dataset.x_test):,} images: "
          f"loss {result.loss:.4f}, accuracy {result.accuracy:.2%} "
          f"(recorded at the end of training: {run.metrics['final']['test_accuracy']:.2%})")
    return 0
