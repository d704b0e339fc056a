"""Exposure model quality on occupations it never saw, beside a baseline and GPT-4.

Runs the full occupation-grouped 5-fold cross-validation of ``evaluate_exposure`` on the
labelled O*NET tasks and prints accuracy, macro-F1 and Cohen's kappa per fold and on
average for our model, a TF-IDF (word 1-2 grams) + logistic regression baseline and
GPT-4's labels, then the time to train each on all tasks.

    .venv/bin/python benchmarks/exposure_quality.py [TSV] [--words-only | --fine-tune]

TSV defaults to the labelled tasks shipped with smartmoves (the default model's). The
model is the one a workspace gets by default: with the ``embeddings`` extra installed,
the words and the labels of the tasks nearest in meaning (the shipped tasks' sentence
vectors are read from the package, not computed); ``--words-only`` measures the model of
a workspace without the extra, ``--fine-tune`` the reader stacked instead. Timings
are wall-clock and CPU seconds on whatever else the machine is doing: on a shared machine
the CPU seconds say more.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from smartmoves.data.reference import exposure_labels
from smartmoves.engines.capacity.exposure import evaluate_exposure, train_exposure_model
from smartmoves.pathway.create.capacity.exposure import model_reads, use_embeddings


def _time_baseline(labels: pd.DataFrame) -> float:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    start = time.perf_counter()
    x = TfidfVectorizer(ngram_range=(1, 2)).fit_transform(labels["task"].astype(str))
    LogisticRegression(C=10.0, max_iter=3000).fit(x, labels["human_exposure"])
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tsv", nargs="?", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--words-only", action="store_true", help="the model without the extra")
    which.add_argument("--fine-tune", action="store_true", help="the reader instead of votes")
    args = parser.parse_args()

    labels = exposure_labels() if args.tsv is None else pd.read_csv(args.tsv, sep="\t")
    print(f"{len(labels)} tasks, {labels['soc_code'].nunique()} occupations, {args.folds} folds")
    asked = False if args.words_only else (True if args.fine_tune else None)
    embeddings = use_embeddings(asked, args.tsv)
    fine_tune = args.fine_tune
    print("model reads " + model_reads({"embeddings": embeddings, "fine_tuned": fine_tune}))
    start = time.perf_counter()
    result = evaluate_exposure(
        labels, folds=args.folds, seed=args.seed, embeddings=embeddings, fine_tune=fine_tune
    )
    cv_seconds = time.perf_counter() - start
    table = result.to_frame()
    wide = table.pivot(index="fold", columns="method", values=["accuracy", "macro_f1", "kappa"])
    methods = [m for m in ("model", "baseline", "gpt4") if m in set(table["method"])]
    order = [c for c in wide.index if c != "mean"] + ["mean"]
    print()
    print(
        f"{'fold':>5} "
        + " ".join(f"{m + ' ' + k:>16}" for k in ("acc", "F1", "kappa") for m in methods)
    )
    for fold in order:
        cells = [
            f"{wide.loc[fold, (metric, m)]:>16.3f}"
            for metric in ("accuracy", "macro_f1", "kappa")
            for m in methods
        ]
        print(f"{fold:>5} " + " ".join(cells))
    ours, base = result.mean("model"), result.mean("baseline")
    print(
        f"\nmean kappa: ours {ours:.3f}, baseline {base:.3f} (ours - baseline {ours - base:+.3f})"
        + (f", GPT-4 {result.mean('gpt4'):.3f}" if "gpt4" in methods else "")
    )

    start, cpu = time.perf_counter(), time.process_time()
    train_exposure_model(labels, seed=args.seed, embeddings=embeddings, fine_tune=fine_tune)
    ours_seconds, ours_cpu = time.perf_counter() - start, time.process_time() - cpu
    base_seconds = _time_baseline(labels)
    print(
        f"training on all tasks: ours {ours_seconds:.1f} s ({ours_cpu:.1f} s CPU), baseline "
        f"{base_seconds:.1f} s (ratio {ours_seconds / base_seconds:.1f}x); whole "
        f"cross-validation {cv_seconds:.0f} s"
    )


if __name__ == "__main__":
    main()
