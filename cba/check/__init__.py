"""The scenario's rules: pure functions from a parsed scenario (and what it needs) to problems.

Each rule returns ``Problem``s of one shape; ``phases`` names the lists of rules the loader
runs, in order, as beancount's loader runs parse, book, transform and validate. Rules print
nothing and read no file: the loader positions each problem in the file it came from.
"""
