"""A synthetic regional bank to try smartmoves on, with the answers it planted.

:func:`synthesize_bank` writes every table of the import contracts (interactions as
Parquet, the rest CSV) and ``truth.json``: the best entry point and why, the pilot's
effect in the metric history, the metric drivers, the brokers, and which columns hold
the seeds' entry-point factors. The design (what each unit is like) is in :mod:`.spec`.
"""

from smartmoves.data.synth.bank import EVENTS_PER_PERSON_WEEK, FILES, SynthSummary, synthesize_bank

__all__ = ["EVENTS_PER_PERSON_WEEK", "FILES", "SynthSummary", "synthesize_bank"]
