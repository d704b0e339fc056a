"""Setup: logging in, and the users of the workspace."""
