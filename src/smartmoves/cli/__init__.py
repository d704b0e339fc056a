"""The command line: ``smartmoves`` (or ``python -m smartmoves``)."""
