"""Create the conditions: free capacity, recruit volunteers, form workgroups and cells,
and shift supervisors to coaching.
"""
