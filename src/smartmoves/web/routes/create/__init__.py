"""Create the conditions: pilots, capacity, volunteers, workgroups and cells, coaching."""
