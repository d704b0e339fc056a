"""``python -m smartmoves`` runs the command line."""

from smartmoves.cli.main import main

if __name__ == "__main__":  # pragma: no cover - exercised through the CLI tests
    main()
