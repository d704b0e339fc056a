"""The default model on the shipped labels agrees with people on occupations it never saw.

A quick guard, not the benchmark: 150 occupations (about 3,000 tasks), one split that
keeps a third of them out whole. ``benchmarks/exposure_quality.py`` measures the full
cross-validation (kappa 0.56 there); here the model must stay well clear of chance (0)
and of GPT-4's agreement on the same held-out tasks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartmoves.data.reference import exposure_labels
from smartmoves.engines.capacity.exposure import train_exposure_model
from smartmoves.engines.capacity.exposure._train import cohen_kappa, label_codes


def test_kappa_on_held_out_occupations_is_well_above_chance() -> None:
    from sklearn.model_selection import GroupShuffleSplit

    labels = exposure_labels(occupations=150)
    split = GroupShuffleSplit(n_splits=1, test_size=1 / 3, random_state=0)
    train, test = next(split.split(labels, groups=labels["soc_code"]))
    assert not set(labels["soc_code"].iloc[train]) & set(labels["soc_code"].iloc[test])
    model = train_exposure_model(labels.iloc[train])
    held_out = labels.iloc[test].reset_index(drop=True)
    predicted = model.predict(
        pd.DataFrame({"activity_id": held_out["task_id"], "name": held_out["task"]})
    )
    truth, _ = label_codes(held_out, "human_exposure")
    gpt4, _ = label_codes(held_out, "gpt4_exposure")
    ours = np.array([("E0", "E1", "E2").index(a.label) for a in predicted.activities])
    kappa = cohen_kappa(truth, ours)
    assert kappa > 0.4, kappa
    assert kappa > cohen_kappa(truth, gpt4), kappa
