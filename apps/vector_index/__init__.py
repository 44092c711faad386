"""Lambda that creates the knowledge base's vector index inside its private collection."""
