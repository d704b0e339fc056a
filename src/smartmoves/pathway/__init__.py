"""Pathway: the use cases of the three phases (recognize the opportunity, create the
conditions, act for impact) and of loading the organization's data.

This is the only layer that opens transactions: each use case validates, then writes
everything in one unit of work or nothing at all.
"""
