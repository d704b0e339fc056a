"""Names and email addresses for the synthetic bank's people: plainly fictional.

Each person gets a first and a last name drawn from short lists written for this bank,
and an address at ``bank.example`` (a domain reserved for examples, so no mail can ever
reach anyone). Two people may share a name, as in any organization; their addresses
never clash (the second ``ana.silva`` is ``ana.silva2``). Drawn from a stream of their
own, so that names leave every other table of the bank as it was.

>>> import numpy as np
>>> named = with_names(pd.DataFrame({"person_id": ["P1", "P2"], "unit_id": ["A", "B"]}),
...                    np.random.default_rng(0))
>>> list(named.columns)
['person_id', 'name', 'email', 'unit_id']
>>> named["email"].str.endswith("@bank.example").all()
np.True_
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

__all__ = ["DOMAIN", "with_names"]

DOMAIN = "bank.example"

_FIRST = (
    "Ada", "Aiko", "Alba", "Amara", "Ana", "Anders", "Aroha", "Aylin", "Bea", "Bruno",
    "Carlos", "Chidi", "Clara", "Dara", "Dev", "Elif", "Emil", "Esme", "Farah", "Femi",
    "Finn", "Gia", "Hana", "Hugo", "Ines", "Ivo", "Jana", "Jonas", "Kai", "Kemal", "Lara",
    "Leon", "Lina", "Luca", "Maya", "Mateo", "Mei", "Milan", "Nadia", "Nico", "Noor",
    "Omar", "Oona", "Pablo", "Priya", "Rafa", "Rosa", "Sami", "Sara", "Tariq", "Tess",
    "Theo", "Uma", "Vera", "Wen", "Yara", "Yusuf", "Zara", "Zeno", "Zoe",
)  # fmt: skip
_LAST = (
    "Abara", "Alder", "Banks", "Barros", "Berg", "Brook", "Castell", "Cole", "Costa",
    "Dahl", "Delgado", "Dunmore", "Ekwu", "Falk", "Fenwick", "Garrow", "Haldane", "Hart",
    "Ibarra", "Iversen", "Jansen", "Kaur", "Kovac", "Lind", "Lowe", "Marsh", "Moreau",
    "Nakamura", "Navarro", "Okafor", "Ortiz", "Pereira", "Quill", "Rahman", "Reyes",
    "Rowan", "Sato", "Silva", "Stone", "Strand", "Tan", "Thorne", "Underwood", "Varga",
    "Vale", "Weller", "Wren", "Yilmaz", "Young", "Zeller",
)  # fmt: skip


def _plain(text: str) -> str:
    """Lower-case ASCII for the part of an address before the @."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return ascii_text.lower().replace(" ", "")


def with_names(people: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """``people`` with a ``name`` and an ``email`` column after ``person_id``."""
    n = len(people)
    first = np.asarray(_FIRST, dtype=object)[rng.integers(0, len(_FIRST), n)]
    last = np.asarray(_LAST, dtype=object)[rng.integers(0, len(_LAST), n)]
    local = pd.Series([f"{_plain(f)}.{_plain(s)}" for f, s in zip(first, last, strict=True)])
    # The second of a name is name2, the third name3: addresses stay one per person.
    nth = local.groupby(local).cumcount().to_numpy()
    suffix = np.where(nth > 0, (nth + 1).astype(str), "")
    email = [f"{a}{b}@{DOMAIN}" for a, b in zip(local, suffix, strict=True)]
    out = people.copy()
    at = list(out.columns).index("person_id") + 1
    out.insert(at, "name", [f"{f} {s}" for f, s in zip(first, last, strict=True)])
    out.insert(at + 1, "email", email)
    return out
