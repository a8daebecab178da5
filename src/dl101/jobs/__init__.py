"""Jobs: whole runs built on the engine, each a settings dataclass plus one function."""
