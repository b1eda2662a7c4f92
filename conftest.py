# pytest: doctests run over analysis/, but __main__ runs the CLI on import.
collect_ignore = ["analysis/__main__.py"]
