"""Engines: pure computation for every step of the pathway.

Frames and arrays go in, frozen result dataclasses come out. Engines never touch the
stores, the web or the terminal; anything random takes ``seed``. See
``docs/architecture.md`` for the conventions every engine follows.
"""
