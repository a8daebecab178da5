"""The main job's settings, with the lecture's values as defaults. The command line is built from
this dataclass, so ``dl101 mnist --help`` lists every field and its default."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

DATASETS = ["mnist", "fashion-mnist", "digits"]


@dataclass
class MnistSettings:
    dataset: str = field(default="mnist", metadata={"help": "data set", "choices": DATASETS})
    widths: list[int] | None = field(default=None, metadata={
        "help": "layer widths, input first; default: the lecture's inputs-64-32-classes "
                "(784 64 32 10 on MNIST)"})
    activation: str = field(default="relu", metadata={"help": "hidden activation (output: softmax)"})
    batch_size: int = field(default=64, metadata={"help": "mini-batch size b"})
    lr: float = field(default=0.01, metadata={"help": "learning rate λ"})
    epochs: int = field(default=12, metadata={"help": "epochs"})
    optimizer: str = field(default="sgd", metadata={"help": "sgd, momentum, nesterov or adam"})
    momentum: float | None = field(default=None, metadata={
        "help": "momentum μ in [0, 1): with sgd, SGD with momentum (as Keras's and PyTorch's "
                "SGD(momentum=μ)); with momentum or nesterov, their μ (default 0.9); not with adam",
        "metavar": "MU"})
    init: str = field(default="auto", metadata={"help": "initialiser: auto, glorot, he or torch"})
    seed: int = field(default=0, metadata={"help": "seed of the weights and of the data order"})
    classes: list[int] | None = field(default=None, metadata={
        "help": "keep only these classes, e.g. 0 1 2 3 as in the lecture's illustration; default: all"})
    validation_split: float | None = field(default=None, metadata={
        "help": "hold out the last fraction v of the training images (0 < v < 1, as Keras's "
                "validation_split): val_loss and val_accuracy are then measured on them after each "
                "epoch and the test set once, at the end; default: val_* are the test set",
        "metavar": "V"})
    early_stopping: int | None = field(default=None, metadata={
        "help": "stop once val_loss has not improved for PATIENCE epochs (>= 1; the API's "
                "callbacks.EarlyStopping); the model saved is the last epoch's", "metavar": "PATIENCE"})
    dtype: str = field(default="float32", metadata={"help": "float32 or float64"})
    threads: int | None = field(default=None, metadata={
        "help": "BLAS threads; default: 1 for the lecture's small products, every core for large "
                "ones (see dl101.threads)"})

    def as_dict(self):
        return asdict(self)

    def check(self):
        """Fail fast, before any data is loaded, on a setting that cannot work."""
        from .. import activations, init, optim
        from . import fitting
        from ..checks import Dl101Error, get, positive, seed
        from ..mlp import DTYPES
        positive(self.batch_size, "--batch-size", integer=True)
        positive(self.epochs, "--epochs", integer=True)
        positive(self.lr, "--lr")
        seed(self.seed, "--seed")
        activations.get(self.activation)
        init.get(self.init)
        get(optim.OPTIMIZERS, self.optimizer, "optimiser")
        get(DTYPES, self.dtype, "dtype")
        fitting.check(self)
        if self.threads is not None:
            positive(self.threads, "--threads", integer=True)
        if self.widths is not None and (len(self.widths) < 2 or min(self.widths) < 1):
            raise Dl101Error(f"--widths must list at least an input and an output size, each >= 1; "
                             f"got {' '.join(map(str, self.widths))}")
        return self


@dataclass
class RunOptions:
    """Where and how a run is written: not part of what it computes."""

    out: str | None = field(default=None, metadata={
        "help": "run folder; default: runs/<dataset>-<date>-<time>"})
    force: bool = field(default=False, metadata={
        "help": "reuse an existing run folder: the files its previous run recorded are removed, no others"})
    resume: str | None = field(default=None, metadata={
        "help": "continue the interrupted run in this folder, with its own settings (an option "
                "that contradicts them is refused) and its --no-figures and --cache-dir"})
    cache_dir: str | None = field(default=None, metadata={
        "help": "data cache folder (else $DL101_DATA, else the per-user cache)"})
    figures: bool = field(default=True, metadata={"help": "draw the curves, confusion matrix and errors"})
