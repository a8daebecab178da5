"""``python -m benchmarks``: dl101 against a hand-written NumPy loop, PyTorch and scikit-learn on
the lecture's networks, on the real MNIST, in one run, repeats interleaved; medians and ratios go
to ``benchmarks/results.md`` and ``benchmarks/results.json``.

    python -m benchmarks            # the full run (a few minutes)
    python -m benchmarks --quick    # a smoke run on small subsets (seconds)
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from . import anatomy, contenders, instructions, machine, report

PIECES = 10  # an epoch is timed in this many pieces, the engines taking turns between them


def timed_rounds(make_all, rounds, threads_of, n_batches, peak_n=2048):
    """Train every contender ``rounds`` epochs. Within each epoch the engines take turns every
    ⌈n_batches / PIECES⌉ steps (A B C, B C A, C A B, ...), so a slow minute of the machine costs
    them all alike; the order turns so that no engine always follows the same one (PyTorch's
    threads keep spinning for a while after its turn, and slow whoever comes next). An epoch's
    time is the sum of its pieces. After each round the float32 peak is measured again at 1 and 2
    threads, so every percentage of peak compares like with like."""
    runners = make_all()
    seconds = {r.name: [] for r in runners}
    peaks = {1: [], 2: []}
    k = -(-n_batches // PIECES)
    for _ in range(rounds):
        spent, done = dict.fromkeys(seconds, 0.0), set()
        for r in runners:
            r.start_epoch()
        while len(done) < len(runners):
            runners = runners[1:] + runners[:1]  # the next engine starts the next turn
            for r in runners:
                if r.name in done:
                    continue
                with threadpool_limits(threads_of(r), "blas"):
                    start = time.perf_counter()
                    finished = r.advance(k)
                    spent[r.name] += time.perf_counter() - start
                if finished:
                    done.add(r.name)
        for name, s in spent.items():
            seconds[name].append(s)
        for t in peaks:
            peaks[t].append(machine.matmul_peak(t, peak_n, repeats=2))
    return runners, seconds, {t: statistics.median(v) for t, v in peaks.items()}


def accuracy(runner, x, y):
    with threadpool_limits(1, "blas"):
        return float((np.asarray(runner.predict(x)).argmax(1) == y).mean())


def training_section(title, x, y, x_test, y_test, widths, batch, rounds, lr=0.01, sklearn=True,
                     threads=(1, 2), peak_n=2048):
    """One configuration: every engine at every thread count, interleaved."""
    def make_all():
        made = []
        for t in threads:
            for cls in (contenders.Dl101, contenders.NumpyLoop):
                r = cls(x, y, widths, batch, lr)
                r.name, r.threads = f"{r.name} ({t} thread{'s' * (t > 1)})", t
                made.append(r)
            made.append(contenders.Torch(x, y, widths, batch, lr, threads=t))
        if sklearn:
            r = contenders.Sklearn(x, y, widths, batch, lr)
            r.threads = max(threads)
            made.append(r)
        return made

    runners, seconds, peak = timed_rounds(make_all, rounds, lambda r: r.threads, -(-len(x) // batch), peak_n)
    rows = []
    for r in runners:
        median = statistics.median(seconds[r.name])
        rows.append({"engine": r.name, "seconds_per_epoch": median, "samples_per_second": len(x) / median,
                     "all_seconds": seconds[r.name], "test_accuracy": accuracy(r, x_test, y_test),
                     "epochs": rounds})
    flops, model_flops = machine.training_flops(widths, len(x)), machine.model_flops(widths, len(x))
    for row in rows:  # every engine computes the same products (none takes ∂l/∂x_0)
        row["gflops"] = flops / row["seconds_per_epoch"] / 1e9
        row["model_gflops"] = model_flops / row["seconds_per_epoch"] / 1e9
    return {"title": title, "widths": widths, "batch": batch, "samples": len(x), "lr": lr, "rows": rows,
            "flops_per_epoch": flops, "model_flops_per_epoch": model_flops, "peak_gflops": peak}


def inference_section(x, widths, rounds=9, passes=3):
    """Images per second at batch 1 (one thread) and batch 10,000 (one and two threads), the
    engines taking turns round after round; medians. Each timing covers ``passes`` passes over
    the images, so that it lasts tens of milliseconds, not a handful."""
    y = np.zeros(len(x), dtype=np.int64)
    rows = []
    for batch, n, thread_counts in ((1, min(2000, len(x)), (1,)), (10_000, min(10_000, len(x)), (1, 2))):
        for threads in thread_counts:
            runners = (contenders.Dl101(x, y, widths, 64, 0.01), contenders.NumpyLoop(x, y, widths, 64, 0.01),
                       contenders.Torch(x, y, widths, 64, 0.01, threads=threads))
            times = {r: [] for r in runners}
            with threadpool_limits(threads, "blas"):
                for round_ in range(rounds):
                    first = round_ % len(runners)  # each engine in turn goes first
                    for r in runners[first:] + runners[:first]:
                        start = time.perf_counter()
                        for _ in range(passes):
                            for i in range(0, n, batch):
                                r.predict(x[i:i + batch])
                        times[r].append(time.perf_counter() - start)
            rows += [{"engine": r.name.split(" (")[0], "threads": threads, "batch": batch,
                      "images_per_second": passes * n / statistics.median(t)} for r, t in times.items()]
    return rows


PEAK_MEMORY = ("import runpy, sys\n"
               "sys.argv = ['dl101', *sys.argv[1:]]\n"
               "try:\n    runpy.run_module('dl101', run_name='__main__')\n"
               "finally:\n    print(next(l for l in open('/proc/self/status') if l.startswith('VmHWM')),"
               " file=sys.stderr)\n")


def main_job(quick):
    """The whole ``dl101 mnist`` job as a user runs it (data cached): wall time, and peak memory
    as the job's own process reports it (VmHWM: its largest resident size since it started)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-c", PEAK_MEMORY, "mnist", "--out", f"{tmp}/run"]
        if quick:
            args += ["--dataset", "digits"]
        start = time.perf_counter()
        done = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(f"dl101 mnist failed:\n{done.stderr}")
        peak_kib = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0])
        metrics = json.loads(Path(tmp, "run", "metrics.json").read_text())
    return {"wall_seconds": wall, "peak_rss_mib": peak_kib / 1024,
            "seconds_per_epoch": metrics["seconds_per_epoch"],
            "test_accuracy": metrics["final"]["test_accuracy"], "epochs": metrics["settings"]["epochs"]}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small subsets, for a smoke test")
    parser.add_argument("--out", default=str(Path(__file__).parent), help="folder for results.md/json")
    args = parser.parse_args(argv)
    import dl101
    data = dl101.data.load("digits" if args.quick else "mnist")
    x, y, x_test, y_test = data.x_train, data.y_train, data.x_test, data.y_test
    widths = [x.shape[1], 64, 32, 10]
    wide = [x.shape[1], 1024, 1024, 10]
    r, n = (1, 512) if args.quick else (7, 2048)  # rounds of the main section, size of the peak product
    few = max(1, r - 4)
    results = {"machine": machine.describe(), "quick": args.quick,
               "peak_gflops": {t: machine.matmul_peak(t, n) for t in (1, 2)}}
    results["sections"] = [
        training_section("Lecture network, batch 64", x, y, x_test, y_test, widths, 64, r, peak_n=n),
        training_section("Lecture network, batch 1 (the lecture's pure SGD)", x[:6000 if not args.quick else 300],
                         y[:6000 if not args.quick else 300], x_test, y_test, widths, 1, few,
                         sklearn=False, threads=(1,), peak_n=n),
        training_section("Lecture network, batch 512", x, y, x_test, y_test, widths, 512, few, peak_n=n),
        training_section("Wide network 784-1024-1024-10, batch 64 (10,000 images)", x[:10_000], y[:10_000],
                         x_test, y_test, wide, 64, few, sklearn=False, peak_n=n),
    ]
    results["anatomy"] = anatomy.step_anatomy(x, y, widths, blocks=3 if args.quick else 15)
    results["instructions"] = None if args.quick else instructions.per_step()
    results["inference"] = inference_section(x_test if not args.quick else x, widths,
                                             *((2, 1) if args.quick else ()))
    results["main_job"] = main_job(args.quick)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    (out / "results.md").write_text(report.markdown(results))
    print(report.markdown(results))


if __name__ == "__main__":
    main()
