"""The REST API: JSON twins of the pages under ``/api/v1``."""
