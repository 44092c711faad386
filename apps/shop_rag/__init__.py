"""MyRetail's shopping assistant: a conversational RAG API over the product catalog in Qdrant."""
