"""Reading and writing files: safe YAML, unit-cost tables, reference series, imports, atomic writes."""
