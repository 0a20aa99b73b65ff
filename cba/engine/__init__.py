"""The appraisal arithmetic: pure functions from validated inputs to result objects.

No printing, no files, no terminal or spreadsheet libraries: every command's figures
are computed here once, and every face of cba renders them unchanged.
"""
