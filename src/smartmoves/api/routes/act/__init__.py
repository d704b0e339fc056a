"""Act for impact: connect to others."""
