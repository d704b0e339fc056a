"""Act for impact: connect workgroups to others, and follow their frontline metrics
(later: the board, obstacles)."""
