"""Act for impact: connect workgroups to others (later: metrics, the board, obstacles)."""
