"""``dl101 mnist``: the lecture's MNIST example from A to Z (see :mod:`dl101.jobs.mnist`)."""

HELP = ("train the lecture's 784-64-32-10 network on MNIST (SGD, batch 64, lr 0.01, 12 epochs) "
        "and write a run folder with metrics, model and figures")


def add_arguments(parser):
    from .options import add_settings
    from ..jobs.settings import MnistSettings, RunOptions
    add_settings(parser, MnistSettings)
    add_settings(parser, RunOptions)


def run(args):
    import shlex
    from ..checks import Dl101Error
    from .options import settings_from_args
    from ..jobs import mnist
    from ..jobs.settings import MnistSettings, RunOptions
    settings, options = settings_from_args(MnistSettings, args), settings_from_args(RunOptions, args)
    if options.resume:
        given = {k: v for k, v in settings.as_dict().items() if v != getattr(MnistSettings(), k)}
        if given:
            raise Dl101Error(f"--resume continues a run with its own settings; drop "
                             f"{', '.join('--' + k.replace('_', '-') for k in given)}")
    command = shlex.join(getattr(args, "command_line", ["dl101", "mnist"]))
    run = mnist.run(settings, options, command=command)
    return 0 if run.metrics is not None else mnist.INTERRUPTED
