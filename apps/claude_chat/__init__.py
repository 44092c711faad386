"""Chat with Claude: a Streamlit chat over the platform's chat-model factory."""
