"""The benchmark's results as Markdown: tables, then the ratios the targets speak of."""

from __future__ import annotations


def best(rows, prefix):
    """The fastest row whose engine name starts with ``prefix``."""
    mine = [r for r in rows if r["engine"].startswith(prefix)]
    return min(mine, key=lambda r: r["seconds_per_epoch"]) if mine else None


def training_table(section, peak):
    lines = [f"### {section['title']}",
             f"{section['samples']:,} training images, widths {'-'.join(map(str, section['widths']))}, "
             f"batch {section['batch']}, lr {section['lr']}, {section['rows'][0]['epochs']} epoch(s) "
             f"per engine, interleaved; medians.", "",
             "| engine | s / epoch | images / s | test accuracy | GFLOP/s (% of peak) |",
             "|---|---:|---:|---:|---:|"]
    for r in sorted(section["rows"], key=lambda r: r["seconds_per_epoch"]):
        threads = 2 if "2 threads" in r["engine"] else 1
        flops = (f"{r['gflops']:.1f} ({100 * r['gflops'] / peak[threads]:.0f}% of {threads}-thread peak)"
                 if r["gflops"] else "")
        lines.append(f"| {r['engine']} | {r['seconds_per_epoch']:.3f} | {r['samples_per_second']:,.0f} | "
                     f"{r['test_accuracy']:.2%} | {flops} |")
    d, t, n = best(section["rows"], "dl101"), best(section["rows"], "PyTorch"), best(section["rows"], "numpy")
    lines += ["", f"**dl101 ({d['engine'][7:-1]}) is {t['seconds_per_epoch'] / d['seconds_per_epoch']:.2f}× "
              f"the speed of PyTorch at its best ({t['engine']})** and "
              f"{n['seconds_per_epoch'] / d['seconds_per_epoch']:.2f}× the speed of the hand-written "
              f"NumPy loop at its best ({n['engine']}).", ""]
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
             f"- Measured float32 matrix-product peak (2048³ sgemm): {peak[1]:.0f} GFLOP/s with 1 thread, "
             f"{peak[2]:.0f} GFLOP/s with 2", ""]
    for section in results["sections"]:
        lines += training_table(section, peak)
    lines += ["### Inference", "", "| engine | threads | batch | images / s |", "|---|---:|---:|---:|"]
    for r in results["inference"]:
        lines.append(f"| {r['engine']} | {r['threads']} | {r['batch']:,} | {r['images_per_second']:,.0f} |")
    job = results["main_job"]
    lines += ["", "### The main job", "",
              f"`dl101 mnist` with the data cached, as a user runs it ({job['epochs']} epochs, figures "
              f"included): **{job['wall_seconds']:.1f} s** wall time, {job['seconds_per_epoch']:.3f} s per "
              f"epoch, peak memory {job['peak_rss_mib']:.0f} MiB, test accuracy {job['test_accuracy']:.2%}.", ""]
    return "\n".join(lines)
