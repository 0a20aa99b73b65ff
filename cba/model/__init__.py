"""The domain as data: scenario and unit-cost models, reference series, money parsing, errors.

Nothing here reads files, prints or computes an appraisal.
"""
