"""The benchmark's results as Markdown: tables, then the ratios the targets speak of."""

from __future__ import annotations


def best(rows, prefix):
    """The fastest row whose engine name starts with ``prefix``."""
    mine = [r for r in rows if r["engine"].startswith(prefix)]
    return min(mine, key=lambda r: r["seconds_per_epoch"]) if mine else None


def threads_of(row):
    """The BLAS threads an engine's row ran with, as its name says (scikit-learn runs with 2)."""
    return 2 if "2 threads" in row["engine"] or row["engine"].startswith("scikit") else 1


def training_table(section):
    peak = {int(k): v for k, v in section["peak_gflops"].items()}
    lines = [f"### {section['title']}",
             f"{section['samples']:,} training images, widths {'-'.join(map(str, section['widths']))}, "
             f"batch {section['batch']}, lr {section['lr']}, {section['rows'][0]['epochs']} epoch(s) "
             f"per engine, taking turns every tenth of an epoch; medians. Every engine computes the "
             f"same products, {section['flops_per_epoch'] / 1e9:.1f} GFLOP per epoch; the float32 "
             f"peak, measured between the rounds: {peak[1]:.0f} GFLOP/s with 1 thread, "
             f"{peak[2]:.0f} with 2.", "",
             "| engine | s / epoch | images / s | test accuracy | GFLOP/s | % of the peak at its threads |",
             "|---|---:|---:|---:|---:|---:|"]
    for r in sorted(section["rows"], key=lambda r: r["seconds_per_epoch"]):
        threads = threads_of(r)
        lines.append(f"| {r['engine']} | {r['seconds_per_epoch']:.3f} | {r['samples_per_second']:,.0f} | "
                     f"{r['test_accuracy']:.2%} | {r['gflops']:.1f} | {100 * r['gflops'] / peak[threads]:.0f}% |")
    d, t, n = best(section["rows"], "dl101"), best(section["rows"], "PyTorch"), best(section["rows"], "numpy")
    threads = threads_of(d)
    lines += ["", f"**dl101 ({d['engine'][7:-1]}) is {t['seconds_per_epoch'] / d['seconds_per_epoch']:.2f}× "
              f"the speed of PyTorch at its best ({t['engine']})** and "
              f"{n['seconds_per_epoch'] / d['seconds_per_epoch']:.2f}× the speed of the hand-written "
              f"NumPy loop at its best ({n['engine']}). Counted as the issue counts, 6 FLOPs per parameter "
              f"and sample ({section['model_flops_per_epoch'] / 1e9:.1f} GFLOP per epoch), dl101 runs at "
              f"{d['model_gflops']:.1f} GFLOP/s: {100 * d['model_gflops'] / peak[threads]:.0f}% of the "
              f"{threads}-thread peak it runs with, {100 * d['model_gflops'] / max(peak.values()):.0f}% of "
              f"the machine's best peak.", ""]
    return lines


def markdown(results) -> str:
    m, peak = results["machine"], {int(k): v for k, v in results["peak_gflops"].items()}
    blas = ", ".join(f"{b['internal_api']} {b['version']} ({b['architecture']})" for b in m["blas"])
    lines = ["# Benchmarks", "",
             "Produced by `python -m benchmarks` (do not edit by hand)." +
             (" **Quick smoke run on small subsets: not representative.**" if results["quick"] else ""), "",
             f"- Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, NumPy {m['numpy']}, "
             f"PyTorch {m['torch']}, dl101 {m['dl101']}",
             f"- BLAS: {blas}; OPENBLAS_CORETYPE={m['OPENBLAS_CORETYPE']}, OPENBLAS_L2_SIZE={m['OPENBLAS_L2_SIZE']}",
             f"- Measured float32 matrix-product peak (2048³ sgemm, best of 5) at the start: "
             f"{peak[1]:.0f} GFLOP/s with 1 thread, {peak[2]:.0f} GFLOP/s with 2; each section measures "
             f"it again between its rounds, and its percentages use those medians", ""]
    for section in results["sections"]:
        lines += training_table(section)
    if "anatomy" in results:
        a, peak1 = results["anatomy"], results["sections"][0]["peak_gflops"]
        peak1 = peak1.get("1", peak1.get(1))
        rest = a["step_us"] - a["products_us"]
        lines += ["### One step, taken apart", "",
                  f"One dl101 step of {'-'.join(map(str, a['widths']))} at batch {a['batch']} (forward, loss, "
                  f"back-propagation, update; 1 thread), and its matrix products alone, timed in "
                  f"alternating blocks; medians.", "",
                  "| part | µs | share of the step |", "|---|---:|---:|",
                  f"| the whole step | {a['step_us']:.0f} | 100% |",
                  f"| its matrix products ({a['step_flops'] / 1e6:.1f} MFLOP, {a['products_gflops']:.0f} GFLOP/s, "
                  f"{100 * a['products_gflops'] / peak1:.0f}% of the 1-thread peak) | {a['products_us']:.0f} | "
                  f"{100 * a['products_us'] / a['step_us']:.0f}% |",
                  f"| everything else: bias, activations, softmax and cross-entropy, reductions, update | "
                  f"{rest:.0f} | {100 * rest / a['step_us']:.0f}% |", ""]
    counted = results.get("instructions")
    if counted and "error" in counted:
        lines += ["### Instructions per step", "", f"Not counted: {counted['error']}", ""]
    elif counted:
        per = counted["per_step"]
        lines += ["### Instructions per step", "",
                  f"Counted by valgrind (callgrind) over {counted['steps']} steps of the lecture's network at "
                  f"batch 64, start-up subtracted: a count no other process can disturb.", "",
                  "| engine | instructions per step |", "|---|---:|",
                  f"| dl101 (loss and accuracy kept every step) | {per['dl101']:,.0f} |",
                  f"| numpy loop (neither) | {per['numpy']:,.0f} |", "",
                  f"dl101 executes {per['dl101'] / per['numpy']:.3f}× the loop's instructions.", ""]
    lines += ["### Inference", "", "| engine | threads | batch | images / s |", "|---|---:|---:|---:|"]
    for r in results["inference"]:
        lines.append(f"| {r['engine']} | {r['threads']} | {r['batch']:,} | {r['images_per_second']:,.0f} |")
    job = results["main_job"]
    lines += ["", "### The main job", "",
              f"`dl101 mnist` with the data cached, as a user runs it ({job['epochs']} epochs, figures "
              f"included): **{job['wall_seconds']:.1f} s** wall time, {job['seconds_per_epoch']:.3f} s per "
              f"epoch, peak memory {job['peak_rss_mib']:.0f} MiB, test accuracy {job['test_accuracy']:.2%}.", ""]
    return "\n".join(lines)
