"""``dl101 mnist``: the lecture's MNIST example from A to Z (see :mod:`dl101.jobs.mnist`)."""

HELP = ("train the lecture's 784-64-32-10 network on MNIST (SGD, batch 64, lr 0.01, 12 epochs) "
        "and write a run folder with metrics, model and figures")


def add_arguments(parser):
    from .options import add_settings
    from ..jobs.settings import MnistSettings, RunOptions
    add_settings(parser, MnistSettings, track_given=True)  # --resume compares what was typed
    add_settings(parser, RunOptions, track_given=True)


def run(args):
    import shlex
    from .options import given, settings_from_args
    from ..jobs import mnist
    from ..jobs.settings import MnistSettings, RunOptions
    settings, options = settings_from_args(MnistSettings, args), settings_from_args(RunOptions, args)
    typed = given(MnistSettings, args) | given(RunOptions, args)
    command = shlex.join(getattr(args, "command_line", ["dl101", "mnist"]))
    run = mnist.run(settings, options, given=typed, command=command)
    return 0 if run.metrics is not None else mnist.INTERRUPTED
