"""Printing case packets: one, or several as a ZIP."""
