"""A reader fine-tuned on the labelled tasks, for the ``embeddings`` extra.

Frozen MiniLM sentence vectors beside the tf-idf bags add about one point of kappa.
Teaching the model's top two transformer layers (and a three-way head) to read exposure
directly, then stacking the reader's three scores with those of an SVM on the words,
adds about two more on occupations never seen (grouped cross-validation; the figures are
in ``_train.py``).

Only the top layers learn: the lower four run once per task without gradients, so
training takes minutes on two CPU cores rather than the best part of an hour for the
whole network, and a saved model holds the top layers alone (about 3.6 million numbers);
the lower ones come from the model package every time. Training is seeded: the order of
the batches comes from ``seed`` and so do dropout and the new head, drawn inside a forked
random state so the caller's torch state is left as it was.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from smartmoves.engines._sentences import model_path

__all__ = ["EPOCHS", "READER_LAYERS", "Reader", "fine_tune_reader", "keep_lower_states"]

READER_LAYERS = 2
EPOCHS = 3
LEARNING_RATE = 1e-4
BATCH = 32
WARMUP = 0.1  # share of the steps over which the learning rate climbs to its value
MAX_TOKENS = 64  # the longest O*NET task statement is 45 words, about 60 tokens
_WIDTH = 384
# The frozen layers' output, kept only inside ``keep_lower_states`` (see there).
_STATES: ContextVar[dict[str, Any] | None] = ContextVar("reader_lower_states", default=None)
_STATES_MAX = 40_000  # about 1.5 GB of token states at O*NET's lengths


@dataclass(frozen=True)
class Reader:
    """The fine-tuned top layers and head: plain float32 arrays named as torch names them.

    ``scores(texts)`` gives one row of three scores (E0, E1, E2) per text; larger means
    more likely, before calibration.
    """

    arrays: Mapping[str, np.ndarray] = field(repr=False)

    def scores(self, texts: Sequence[str]) -> np.ndarray:
        """Three uncalibrated scores per text (float64)."""
        import torch

        return _scores(self._net, _lower_states(list(texts)), torch)

    @cached_property
    def _net(self) -> Any:
        # Built once per reader: a web worker scores one activity table after another.
        return _net(self.arrays)


@contextmanager
def keep_lower_states() -> Iterator[None]:
    """Keep the frozen layers' output for the texts seen inside this block.

    Cross-validation trains and predicts once per fold over the same tasks, so the lower
    layers' work is worth keeping for that long, and no longer: the states of 15,000
    tasks take about half a gigabyte. Nested blocks share the outer one's.

    >>> with keep_lower_states():
    ...     _STATES.get() == {}
    True
    >>> _STATES.get() is None
    True
    """
    if _STATES.get() is not None:
        yield
        return
    token = _STATES.set({})
    try:
        yield
    finally:
        _STATES.reset(token)


def fine_tune_reader(
    texts: Sequence[str], codes: np.ndarray, *, seed: int = 0, epochs: int = EPOCHS
) -> Reader:
    """Fine-tune the top MiniLM layers and a head to tell E0, E1 and E2 apart.

    Classes are weighted by their inverse frequency (as the SVM's are), the optimizer is
    AdamW with a short warm-up and a linear decay, batches are of ``BATCH`` tasks.

    Raises
    ------
    ConfigError
        When the ``embeddings`` extra is not installed.
    """
    import torch

    states = _lower_states(list(texts))
    labels = torch.as_tensor(np.asarray(codes, dtype=np.int64))
    counts = np.bincount(np.asarray(codes), minlength=3).astype(float)
    weights = torch.as_tensor(len(codes) / (3.0 * np.maximum(counts, 1.0)), dtype=torch.float32)
    order_rng = np.random.default_rng(seed)
    per_epoch = max(1, -(-len(texts) // BATCH))
    steps = epochs * per_epoch
    warmup = max(1, int(WARMUP * steps))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = _fresh_top()
        optimizer = torch.optim.AdamW(net.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda step: _rate(step, warmup, steps)
        )
        net.train()
        for _ in range(epochs):
            for batch in np.array_split(order_rng.permutation(len(texts)), per_epoch):
                hidden, mask = _padded([states[i] for i in batch], torch)
                loss = torch.nn.functional.cross_entropy(
                    net(hidden, mask), labels[batch], weight=weights
                )
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                schedule.step()
    arrays = {
        name: value.detach().numpy().astype(np.float32) for name, value in net.state_dict().items()
    }
    return Reader(arrays=arrays)


def _rate(step: int, warmup: int, steps: int) -> float:
    """Share of the learning rate at ``step``: a linear climb, then a linear decay to 0.

    >>> [round(_rate(s, 2, 6), 2) for s in range(7)]
    [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0]
    """
    return step / warmup if step < warmup else (steps - step) / max(1, steps - warmup)


@lru_cache(maxsize=1)
def _pretrained() -> tuple[Any, Any]:
    path = model_path()
    from transformers import AutoModel, AutoTokenizer

    model = AutoModel.from_pretrained(path)
    model.eval()
    return AutoTokenizer.from_pretrained(path), model


def _lower_states(texts: list[str]) -> list[Any]:
    """Each text's token states after the frozen lower layers (tokens x 384).

    Inside ``keep_lower_states`` the work is kept for texts already seen (bounded).
    """
    kept = _STATES.get()
    if kept is None:
        return _run_lower_layers(texts)
    todo = list(dict.fromkeys(t for t in texts if t not in kept))
    if len(kept) + len(todo) > _STATES_MAX:
        kept.clear()
        todo = list(dict.fromkeys(texts))
    kept.update(zip(todo, _run_lower_layers(todo), strict=True))
    return [kept[t] for t in texts]


def _run_lower_layers(texts: list[str]) -> list[Any]:
    import torch

    tokenizer, model = _pretrained()
    cut = len(model.encoder.layer) - READER_LAYERS
    out: list[Any] = [None] * len(texts)
    lengths = [len(t) for t in texts]
    # Texts of similar length batched together waste little padding.
    order = np.argsort(lengths, kind="stable")
    with torch.no_grad():
        for start in range(0, len(texts), 256):
            chosen = order[start : start + 256]
            encoded = tokenizer(
                [texts[i] for i in chosen],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = model(**encoded, output_hidden_states=True).hidden_states[cut]
            for row, i in enumerate(chosen):
                length = int(encoded["attention_mask"][row].sum())
                out[i] = hidden[row, :length].clone()
    return out


def _padded(states: list[Any], torch: Any) -> tuple[Any, Any]:
    hidden = torch.nn.utils.rnn.pad_sequence(states, batch_first=True)
    lengths = torch.as_tensor([len(s) for s in states])
    mask = (torch.arange(hidden.shape[1])[None, :] < lengths[:, None]).long()
    return hidden, mask


def _scores(net: Any, states: list[Any], torch: Any) -> np.ndarray:
    net.eval()
    out = np.zeros((len(states), 3))
    with torch.no_grad():
        for start in range(0, len(states), 256):
            hidden, mask = _padded(states[start : start + 256], torch)
            out[start : start + 256] = net(hidden, mask).numpy()
    return out


def _net(arrays: Mapping[str, np.ndarray]) -> Any:
    import torch

    net = _fresh_top()
    net.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in arrays.items()})
    return net


def _fresh_top() -> Any:
    _, model = _pretrained()
    return _top_class()(model.encoder.layer[-READER_LAYERS:])


@lru_cache(maxsize=1)
def _top_class() -> Any:
    """The trainable part: copies of the top layers, mean pooling, then a three-way head.

    Built on first use so that importing this module does not import torch.
    """
    import torch

    class Top(torch.nn.Module):
        def __init__(self, layers: Any) -> None:
            super().__init__()
            self.layers = torch.nn.ModuleList(copy.deepcopy(list(layers)))
            self.head = torch.nn.Linear(_WIDTH, 3)

        def forward(self, hidden: Any, mask: Any) -> Any:
            # The additive mask the layers expect: 0 on tokens, the float minimum on padding.
            blocked = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
            for layer in self.layers:
                hidden = layer(hidden, attention_mask=blocked)
            keep = mask.unsqueeze(-1).float()
            return self.head((hidden * keep).sum(1) / keep.sum(1))

    return Top
