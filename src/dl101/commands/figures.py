"""``dl101 figures``: every figure of the lecture, drawn by the engine, as PNG and SVG (and the
back-propagation frames as an animated GIF)."""

HELP = "draw the lecture's figures (PNG and SVG) from dl101's own engine"
MAX_DPI = 1200  # print quality is 300 to 600; beyond, matplotlib runs out of pixels or memory


def add_arguments(parser):
    from ..jobs.latest import LATEST
    from ..jobs.catalogue import FIGURES
    parser.add_argument("--out", default="figures", help="output folder (default: figures)")
    parser.add_argument("--only", nargs="+", metavar="NAME", choices=list(FIGURES),
                        help=f"draw only these: {', '.join(FIGURES)}")
    # dest is not "run": the command line keeps each command's function under that name
    parser.add_argument("--run", dest="run_folder", default=None, metavar="RUN", nargs="?",
                        const=LATEST,
                        help="a run folder of 'dl101 mnist' whose model, data and history the MNIST "
                             "figures show; --run alone: the latest run, runs/latest (default: "
                             "train the lecture's 784-64-32-10 as 'dl101 "
                             "mnist' does); network and backprop always train their 784-16-8-4")
    parser.add_argument("--seed", type=int, default=0, help="seed of every figure (default: 0)")
    parser.add_argument("--format", nargs="+", default=["png", "svg"], choices=["png", "svg", "pdf"],
                        help="file formats (default: png svg); animations are GIF")
    parser.add_argument("--dpi", type=int, default=150, help="resolution of the PNGs (default: 150)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS and OpenMP threads at most; 0: no cap (default: 1, nearly as fast "
                             "on these small matrices, and does not stall on a busy machine)")
    parser.add_argument("--cache-dir", default=None, help="data cache folder")
    parser.add_argument("--list", action="store_true", help="list the figures and exit")


def run(args):
    import time
    from ..checks import Dl101Error, non_negative, positive, seed
    from ..extras import missing as lacking, require
    from ..jobs.catalogue import FIGURES, NEEDS, Context, draw, drawable
    if args.list:
        print("\n".join(FIGURES))
        return 0
    if positive(args.dpi, "--dpi", integer=True) > MAX_DPI:
        raise Dl101Error(f"--dpi must be at most {MAX_DPI} (a figure of 10 inches is then "
                         f"{10 * MAX_DPI:,} pixels wide), got {args.dpi}")
    non_negative(args.threads, "--threads", integer=True)
    seed(args.seed, "--seed")
    from ..jobs import latest
    if args.run_folder is latest.LATEST:
        args.run_folder = str(latest.resolve(None))
    names, missing = drawable(args.only or list(FIGURES))
    for name in missing if args.only else ():  # asked for by name: an error before drawing any
        require(NEEDS[name], f"the '{name}' figure")
    if missing:  # the others go on
        packages = sorted({p for name in missing for p in NEEDS[name]})
        them = "it" if len(missing) == 1 else "them"
        print(f"skipping {', '.join(missing)}: {lacking(packages, 'drawing ' + them)}", flush=True)
    start = time.perf_counter()
    ctx = Context(seed=args.seed, cache_dir=args.cache_dir, run=args.run_folder, threads=args.threads or None)
    paths = draw(names, ctx, args.out, log=lambda line: print(line, flush=True), formats=args.format,
                 dpi=args.dpi)
    print(f"{len(paths)} files in {args.out}/ in {time.perf_counter() - start:.1f} s")
    return 0
