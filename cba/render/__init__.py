"""The faces of a result: terminal tables, JSON, CSV and the Excel workbook.

A renderer takes a result object from ``cba.engine`` and nothing else; it formats
and lays out figures, and never computes one.
"""
