"""Loaders, one module per publisher. Each checks the file's hash, then its schema."""
