"""The command line: parse options, load, call the engine, hand the result to a renderer."""
