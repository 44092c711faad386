"""The MyRetail chatbot: a Gradio UI with a Shopping tab (the shop_rag API) and a Loyalty
program tab (the platform's chat model)."""
