"""Recognize the opportunity: the organization."""
