"""Streamlit assistant answering questions about the AWS Competency program from a knowledge base."""
